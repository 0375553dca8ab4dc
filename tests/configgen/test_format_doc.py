"""docs/config-format.md's constant and struct tables are generated from the headers
(scripts/gen-format-doc.py): the document cannot drift from hv/include/config_format.h."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from configgen import abi

TOP = Path(__file__).resolve().parents[2]
SCRIPT = TOP / "scripts/gen-format-doc.py"
DOC = TOP / "docs/config-format.md"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--abi", str(abi.GENERATED_PATH), *args],
                          capture_output=True, text=True, timeout=60)


def test_the_document_matches_the_headers() -> None:
    res = run("--check", str(DOC))
    assert res.returncode == 0, res.stderr


def test_a_changed_table_is_noticed_and_rewritten(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    cur = f"| `HVCFG_REVISION` | {abi.REVISION} |"
    assert cur in DOC.read_text()
    doc.write_text(DOC.read_text().replace(cur, f"| `HVCFG_REVISION` | {abi.REVISION - 1} |"))
    res = run("--check", str(doc))
    assert res.returncode == 1 and "differ from the headers" in res.stderr
    assert run(str(doc)).returncode == 0
    assert doc.read_text() == DOC.read_text()


def test_every_struct_and_field_is_in_the_document() -> None:
    text = DOC.read_text()
    for cname, (size, fields) in abi._generated.STRUCTS.items():
        assert f"### struct {cname} ({size} bytes)" in text
        for name, _ctype, _count, offset in fields:
            assert f"| {offset} | " in text and f"`{name}`" in text


def test_a_document_without_markers_is_a_usage_error(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("no markers\n")
    res = run(str(doc))
    assert res.returncode == 2 and "markers" in res.stderr and "Traceback" not in res.stderr
