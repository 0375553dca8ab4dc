"""jailhouse cell linux on the host: the C unit tests of its layout and FDT editor (under
ASan/UBSan), its loader stub and the system test's stand-in kernel against the assembler, and the
CLI itself (built for the host with the arm64 headers) in its dry-run modes on cells and guest
DTs configgen makes: the DTB it would load, read back with fdtget, and its refusals."""
from __future__ import annotations

import base64
import gzip
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
TOOLS = TOP / "tools"
HERE = Path(__file__).resolve().parent
SANITIZE = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-std=gnu11", "-Wall", "-Wextra", "-Werror"]
SYSTEM = "dts/qemu-arm64/system.dts"
CELL_SRC = "dts/qemu-arm64/smp-demo.dtso"
MIB = 1 << 20


def run(cmd: list[str | Path], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=TOP, **kw)


def cc(out: Path, sources: list[Path], includes: list[Path]) -> Path:
    res = run(["gcc", *SANITIZE, *[f"-I{i}" for i in includes], "-o", out, *sources])
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def bins(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli-units")
    inc = [TOOLS, TOP / "hv" / "include", TOP / "hv" / "tests"]
    cli_inc = [TOP / "kmod", TOP / "hv" / "include", TOP / "hv" / "arch" / "arm64" / "include"]
    fdt = [TOOLS / "fdt_edit.c", TOOLS / "fdt_parse.c", TOOLS / "fdt_memory.c"]
    return {
        "layout": cc(d / "test_linux_layout", [HERE / "test_linux_layout.c",
                                               TOOLS / "linux_layout.c"], inc),
        "fdt": cc(d / "test_fdt_edit", [HERE / "test_fdt_edit.c", *fdt], inc),
        "fdt_memory": cc(d / "test_fdt_memory", [HERE / "test_fdt_memory.c", *fdt], inc),
        "cli": cc(d / "jailhouse", sorted(TOOLS.glob("*.c")), cli_inc),
    }


def test_layout_unit(bins):
    res = run([bins["layout"]])
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(r"linux_layout: \d+ checks, 0 failed", res.stdout)


def test_fdt_edit_unit(bins):
    res = run([bins["fdt"]])
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(r"fdt_edit: \d+ checks, 0 failed", res.stdout)


def test_fdt_memory_unit(bins):
    res = run([bins["fdt_memory"]])
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(r"fdt_memory: \d+ checks, 0 failed", res.stdout)


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed")
    return path


def test_stub_is_what_the_assembler_says(bins, tmp_path):
    objdump = tool("aarch64-linux-gnu-objdump")
    stub = tmp_path / "stub.bin"
    assert run([bins["layout"], "--stub", stub]).returncode == 0
    res = run([objdump, "-D", "-b", "binary", "-maarch64", stub])
    insns = [re.sub(r"\s+", " ", m.group(1)).strip()
             for m in re.finditer(r"^\s+[0-9a-f]+:\s+[0-9a-f]{8}\s+(.*)$", res.stdout, re.M)][:6]
    assert insns == ["ldr x0, 0x18", "mov x1, xzr", "mov x2, xzr", "mov x3, xzr",
                     "ldr x4, 0x20", "br x4"]
    data = stub.read_bytes()
    assert struct.unpack_from("<QQ", data, 24) == (0x2210000, 0x200000)


def test_standin_kernel_bytes_match_its_source(tmp_path):
    gas, objcopy = tool("aarch64-linux-gnu-as"), tool("aarch64-linux-gnu-objcopy")
    obj, binary = tmp_path / "standin.o", tmp_path / "standin.bin"
    assert run([gas, "-o", obj, HERE / "standin-kernel.S"]).returncode == 0
    assert run([objcopy, "-O", "binary", obj, binary]).returncode == 0
    script = (TOP / "tests" / "system" / "cell-linux-cli.sh").read_text()
    carried = re.search(r'STANDIN_B64="([^"]*)"', script).group(1)
    assert base64.b64decode("".join(carried.split())) == binary.read_bytes()


def test_system_test_dtb_is_smp_demos_memory(tmp_path):
    script = (TOP / "tests" / "system" / "cell-linux-cli.sh").read_text()
    carried = re.search(r'DTB_B64="([^"]*)"', script).group(1)
    dtb = tmp_path / "smp-demo.dtb"
    dtb.write_bytes(base64.b64decode("".join(carried.split())))
    assert fdtget(dtb, "/memory@0", "reg", "x") == "0 0 0 4000000"
    assert fdtget(dtb, "/memory@0", "device_type") == "memory"


# --- the CLI, dry runs --------------------------------------------------------------------------

def fake_image(path: Path, image_size: int = 32 * MIB, text_offset: int = 0,
               flags: int = 0xa, file_size: int = 4096) -> Path:
    head = struct.pack("<IIQQQQQQ4sI", 0x14000010, 0, text_offset, image_size, flags, 0, 0, 0,
                       b"ARM\x64", 0)
    path.write_bytes(head + bytes(file_size - len(head)))
    return path


@pytest.fixture(scope="module")
def cell(tmp_path_factory) -> Path:
    """smp-demo (64 MiB at guest 0, reset address 0) and its guest DT beside it."""
    d = tmp_path_factory.mktemp("cell")
    out = d / "smp-demo.cell"
    py = "/usr/bin/python3"
    res = run([py, "-m", "configgen", "compile", SYSTEM, CELL_SRC, "-o", out])
    assert res.returncode == 0, res.stderr
    res = run([py, "-m", "configgen", "guest-dt", SYSTEM, CELL_SRC, "-o", d / "smp-demo.dtb"])
    assert res.returncode == 0, res.stderr
    return out


def fdtget(dtb: Path, node: str, prop: str, kind: str = "s") -> str | None:
    res = run([tool("fdtget"), "-t", kind, dtb, node, prop])
    return res.stdout.strip() if res.returncode == 0 else None


LAYOUT = re.compile(r'Cell "smp-demo": Linux laid out \(dry run, nothing loaded\): loader 0x0, '
                    r"kernel 0x([0-9a-f]+)-0x([0-9a-f]+), DTB 0x([0-9a-f]+) \((\d+) bytes\)"
                    r"(?:, initrd 0x([0-9a-f]+)-0x([0-9a-f]+))?$")


def test_cli_writes_the_dtb_it_would_load(bins, cell, tmp_path):
    image = fake_image(tmp_path / "Image")
    initrd = tmp_path / "initrd"
    initrd.write_bytes(b"x" * 5000)
    out = tmp_path / "out.dtb"
    res = run([bins["cli"], "cell", "linux", cell, image, "-i", initrd,
               "--cmdline=console=ttyAMA0 quiet", "-w", out])
    assert res.returncode == 0, res.stderr
    m = LAYOUT.match(res.stdout.strip())
    assert m, res.stdout
    kernel, kernel_last, dtb, dtb_size, initrd_start, initrd_last = \
        [int(g, 16) if i != 3 else int(g) for i, g in enumerate(m.groups())]
    assert (kernel, kernel_last) == (2 * MIB, 2 * MIB + 32 * MIB - 1)
    assert dtb == kernel_last + 1 and dtb_size == out.stat().st_size
    assert initrd_start % 4096 == 0 and initrd_start >= dtb + dtb_size
    assert initrd_last - initrd_start + 1 == 5000
    assert fdtget(out, "/chosen", "bootargs") == "console=ttyAMA0 quiet"
    assert fdtget(out, "/chosen", "linux,initrd-start", "x") == f"0 {initrd_start:x}"
    assert fdtget(out, "/chosen", "linux,initrd-end", "x") == f"0 {initrd_last + 1:x}"
    # what configgen put there stays
    assert fdtget(out, "/chosen", "stdout-path") == fdtget(cell.with_suffix(".dtb"), "/chosen",
                                                           "stdout-path")
    assert fdtget(out, "/memory@0", "reg", "x") == "0 0 0 4000000"
    assert run([tool("dtc"), "-I", "dtb", "-O", "dts", "-o", "/dev/null", out]).returncode == 0


def test_cli_keeps_bootargs_drops_stale_initrd(bins, cell, tmp_path):
    dts = tmp_path / "in.dts"
    dts.write_text('/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; chosen { '
                   'bootargs = "from the dtb"; linux,initrd-start = <0 0x1000>; '
                   'linux,initrd-end = <0 0x2000>; }; memory@0 { device_type = "memory"; '
                   'reg = <0 0 0 0x4000000>; }; };')
    dtb = tmp_path / "in.dtb"
    assert run([tool("dtc"), "-I", "dts", "-O", "dtb", "-o", dtb, dts]).returncode == 0
    out = tmp_path / "out.dtb"
    res = run([bins["cli"], "cell", "linux", cell, fake_image(tmp_path / "Image"), "--dtb",
               dtb, "--write-params", out])
    assert res.returncode == 0, res.stderr
    assert fdtget(out, "/chosen", "bootargs") == "from the dtb"
    assert fdtget(out, "/chosen", "linux,initrd-start") is None
    assert fdtget(out, "/chosen", "linux,initrd-end") is None


def cli_fails(bins, args: list, code: int, pattern: str) -> None:
    res = run([bins["cli"], "cell", "linux", *args])
    assert res.returncode == code, (res.stdout, res.stderr)
    assert re.search(pattern, res.stderr), res.stderr
    assert "Traceback" not in res.stderr and "Sanitizer" not in res.stderr


def test_cli_refusals(bins, cell, tmp_path):
    image = fake_image(tmp_path / "Image")
    gz = tmp_path / "vmlinuz"
    gz.write_bytes(gzip.compress(image.read_bytes()))
    cli_fails(bins, [cell, gz], 1, r"vmlinuz: gzip-compressed, not an arm64 Image "
              r"\(hint: decompress it: zcat vmlinuz > Image\)")
    cli_fails(bins, [cell, cell], 1, r"not an arm64 Image: no \"ARM\\x64\" magic")
    big = fake_image(tmp_path / "Big", image_size=63 * MIB)
    cli_fails(bins, [cell, big], 1, r"the kernel image_size \(63.0 MiB at 0x200000\) does not "
              r"fit the cell's RAM 0x0-0x3ffffff \(64.0 MiB\): 1048576 bytes \(1.0 MiB\) short")
    broken = tmp_path / "broken.dtb"
    broken.write_bytes(b"\xd0\x0d\xfe\xed" + cell.with_suffix(".dtb").read_bytes()[4:100])
    cli_fails(bins, [cell, image, "-d", broken], 1,
              r"broken.dtb: broken device tree: totalsize \d+ in the header, but the file has "
              r"100 bytes \(truncated\?\)")
    foreign = tmp_path / "root.dtb"
    dts = tmp_path / "root.dts"
    dts.write_text('/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; memory@40000000 { '
                   'device_type = "memory"; reg = <0 0x40000000 0 0x28000000>; }; };')
    assert run([tool("dtc"), "-I", "dts", "-O", "dtb", "-o", foreign, dts]).returncode == 0
    cli_fails(bins, [cell, image, "-d", foreign], 1, r"root.dtb: the DTB gives the kernel "
              r"memory 0x40000000-0x67ffffff, which is not RAM of the cell \(a DTB of the root")
    alone = tmp_path / "alone.cell"
    shutil.copy(cell, alone)
    cli_fails(bins, [alone, image], 1, rf"no device tree: {alone.with_suffix('.dtb')}: "
              r"No such file or directory \(give one with -d DTB")
    cli_fails(bins, [image, image], 1, r"Image: not a cell configuration")
    cli_fails(bins, [cell, image, "--frobnicate"], 2, r"unknown option '--frobnicate'")
    cli_fails(bins, [cell, image, "-c"], 2, r"option -c needs a value")
    cli_fails(bins, [cell, image, "extra"], 2, r"unexpected argument 'extra'")
    cli_fails(bins, [cell, image, "-k", "4"], 2, r"option -k of upstream Jailhouse is not "
              r"supported")
    cli_fails(bins, [cell, image, "-a", "x86"], 2, r"only arm64")
    cli_fails(bins, [cell, image, "-c", "x" * 2048], 1, r"2048 characters; the kernel takes "
              r"at most 2047")
    cli_fails(bins, [cell], 2, r"Usage: jailhouse cell linux CELL.cell Image")
    # all checks pass, then the device: on this host there is none
    cli_fails(bins, [cell, image], 1, r"cannot open /dev/jailhouse")


def test_cli_help(bins):
    res = run([bins["cli"], "cell", "linux", "--help"])
    assert res.returncode == 0
    for opt in ("-d, --dtb", "-i, --initrd", "-c, --cmdline", "-n, --dry-run",
                "-w, --write-params"):
        assert opt in res.stdout
    res = run([bins["cli"], "cell", "--help"])
    assert res.returncode == 0 and re.search(r"^  linux CELL\.cell IMAGE", res.stdout, re.M)


def test_man_page_knows_cell_linux():
    man = (TOP / "docs" / "man" / "jailhouse.8").read_text()
    for text in ("cell linux", "\\-\\-dtb", "\\-\\-initrd", "\\-\\-cmdline",
                 "\\-\\-dry\\-run", "\\-\\-write\\-params", "zcat vmlinuz > Image"):
        assert text in man, text


COMPLETE = """
source tools/completion/jailhouse.bash
jailhouse() { "$JH" "$@"; }
complete_words() {
	COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _jailhouse
	echo "${COMPREPLY[*]}"
}
cd "$DIR"
"""


def complete(bins, tmp_path, *words: str) -> list[str]:
    res = run([tool("bash"), "-c", COMPLETE + "complete_words " +
               " ".join(f"'{w}'" for w in words)],
              env={"JH": str(bins["cli"]), "DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    return sorted(res.stdout.split())


def test_completion_of_cell_linux(bins, tmp_path):
    for name in ("a.cell", "a.dtb", "Image"):
        (tmp_path / name).write_text("")
    assert "linux" in complete(bins, tmp_path, "jailhouse", "cell", "li")
    assert complete(bins, tmp_path, "jailhouse", "cell", "linux", "") == ["a.cell"]
    assert complete(bins, tmp_path, "jailhouse", "cell", "linux", "a.cell", "") == \
        ["Image", "a.cell", "a.dtb"]
    assert complete(bins, tmp_path, "jailhouse", "cell", "linux", "a.cell", "Image", "-d",
                    "") == ["a.dtb"]
    assert complete(bins, tmp_path, "jailhouse", "cell", "linux", "a.cell", "-c", "x y",
                    "Image", "") == []
    opts = complete(bins, tmp_path, "jailhouse", "cell", "linux", "a.cell", "Image", "--")
    assert {"--dtb", "--initrd", "--cmdline", "--dry-run", "--write-params"} <= set(opts)
