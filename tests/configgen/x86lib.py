"""Builds build/host/libhvcfg-x86.so: tools/libhvcfg/hvcfg.c with the x86 limits
(hv/arch/x86/include/asm/cfg_limits.h) and the x86 validator (hv/arch/x86/config_check_x86.c),
the same C the x86 hypervisor runs. configgen/validator.py uses it for x86 blobs until the host
library picks the validator by the blob's architecture itself.

    /usr/bin/python3 tests/configgen/x86lib.py      # prints the library's path
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "build" / "host" / "libhvcfg-x86.so"
SOURCES = ["hv/core/config_check.c", "hv/core/config_cross.c", "hv/core/sha256.c", "hv/arch/x86/config_check_x86.c"]


def build(out: Path = OUT) -> Optional[Path]:
    """(Re)build the library when a source is newer; returns its path. None once hvcfg.c no longer
    hard-wires the arm64 limits: the host library then checks x86 blobs itself."""
    shim = out.with_suffix(".c")
    text = (REPO / "tools/libhvcfg/hvcfg.c").read_text()
    arm = '#include "../../hv/arch/arm64/include/asm/cfg_limits.h"'
    if arm not in text or "config_check_x86" in text:
        return None
    text = text.replace(arm, f'#include "{REPO}/hv/arch/x86/include/asm/cfg_limits.h"')
    deps = [REPO / s for s in SOURCES] + [REPO / "tools/libhvcfg/hvcfg.c", Path(__file__)]
    deps += list((REPO / "hv/include").glob("*.h")) + list((REPO / "hv/arch/x86/include/asm").glob("*.h"))
    if out.is_file() and all(d.stat().st_mtime <= out.stat().st_mtime for d in deps):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    shim.write_text(text)
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    subprocess.run(["gcc", "-shared", "-fPIC", "-fvisibility=hidden", "-O2", "-std=gnu11", "-Wall", "-Wextra",
                    "-Werror", f"-I{REPO}/hv/include", "-o", str(tmp), str(shim)] + [str(REPO / s) for s in SOURCES],
                   check=True)
    os.replace(tmp, out)
    return out


if __name__ == "__main__":
    print(build())
    sys.exit(0)
