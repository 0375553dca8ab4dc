"""The rule corpus: every rule has a bad sample in corpus/bad/ that reports its rule id at the
marked line, and a good near-miss sample in corpus/good/ that sits just inside the rule (the
boundary value, the allowed variant) and must be accepted with no diagnostic of that rule."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from configgen.rules import RULES

CORPUS = REPO / "tests" / "configgen" / "corpus"
SAMPLES = sorted(p for p in (CORPUS / "bad").iterdir() if p.suffix in (".dts", ".dtso"))
GOOD = sorted(p for p in (CORPUS / "good").iterdir() if p.suffix in (".dts", ".dtso"))


def _spec(path: Path) -> tuple[list[str], str, int, str]:
    rel = str(path.relative_to(REPO))
    text = path.read_text()
    m = re.search(r"configgen-test: (.*)", text)
    if m:
        args = m.group(1).replace("{self}", rel).split()
    elif path.suffix == ".dtso":
        args = ["check", "dts/qemu-arm64/system.dts", rel]
    else:
        args = ["check", rel]
    for lineno, line in enumerate(text.splitlines(), 1):
        em = re.search(r"expect: ([a-z][a-z0-9-]*)(?:\s+also: (\S+))?", line)
        if em:
            return args, em.group(1), lineno, em.group(2) or ""
    raise AssertionError(f"{rel} has no 'expect: RULE' marker")


def _diag_block(stderr: str, head: str) -> str:
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(head):
            block = [line]
            for nxt in lines[i + 1:]:
                if nxt.startswith("    hint:") or ": note: " in nxt:
                    block.append(nxt)
                else:
                    break
            return "\n".join(block)
    return ""


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_bad_sample_reports_rule_at_line(path: Path, cli) -> None:
    args, rule, line, also = _spec(path)
    assert rule in RULES, f"unknown rule id {rule}"
    severity = RULES[rule][0]
    rc, out, err = cli(*args)
    rel = str(path.relative_to(REPO))
    head = f"{rel}:{line}: {severity}: [{rule}]"
    block = _diag_block(err, head)
    assert block, f"expected '{head}' in:\n{err}"
    assert "hint:" in block, "every diagnostic carries a hint"
    if also:
        assert also in block, f"the message must name the other offender ({also}):\n{block}"
    assert "Traceback" not in err and "internal error" not in err
    if severity == "error":
        assert rc == 1
    else:
        assert rc == 0, err
        rc2, _, err2 = cli(args[0], "-Werror", *args[1:])
        assert rc2 == 1 and f"{rel}:{line}: error: [{rule}]" in err2


def test_every_rule_has_a_bad_sample() -> None:
    covered = {_spec(p)[1] for p in SAMPLES}
    missing = sorted(set(RULES) - covered)
    assert not missing, f"rules without a bad sample in corpus/bad/: {missing}"


def _good_spec(path: Path) -> tuple[list[str], list[str]]:
    rel = str(path.relative_to(REPO))
    text = path.read_text()
    m = re.search(r"configgen-test: (.*)", text)
    if m:
        args = m.group(1).replace("{self}", rel).split()
    elif path.suffix == ".dtso":
        args = ["check", "dts/qemu-arm64/system.dts", rel]
    else:
        args = ["check", rel]
    p = re.search(r"passes: (.*)", text)
    assert p, f"{rel} has no 'passes: RULE...' marker"
    return args, p.group(1).split()


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_sample_is_accepted(path: Path, cli) -> None:
    args, rules = _good_spec(path)
    assert set(rules) <= set(RULES), f"unknown rule ids {set(rules) - set(RULES)}"
    rc, _, err = cli(*args)
    assert rc == 0, err
    assert "Traceback" not in err and "internal error" not in err
    for rule in rules:
        assert f"[{rule}]" not in err, f"near miss reported as {rule}:\n{err}"


def test_every_rule_has_a_good_near_miss() -> None:
    covered = {r for p in GOOD for r in _good_spec(p)[1]}
    missing = sorted(set(RULES) - covered)
    assert not missing, f"rules without a good sample in corpus/good/: {missing}"
