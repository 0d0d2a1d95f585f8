"""The cases of issue 16 on a copy of the real project: each used to build with exit 0 (or
to put the bad value into dist/); now `hrkg validate` and `hrkg build` exit 1 with one line
naming the file and the line where the problem is, and the build writes nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PROJECT
from hrkg.cli import main

Edit = Callable[[Path], tuple[str, int]]  # changes the copy; returns (file, line) to expect


def replace_first(relative: str, old: str, new: str) -> Edit:
    """An edit replacing the first `old` in one file; expects the line it was on."""

    def edit(root: Path) -> tuple[str, int]:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        at = text.index(old)
        path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
        return relative, text[:at].count("\n") + 1

    return edit


def empty(relative: str) -> Edit:
    def edit(root: Path) -> tuple[str, int]:
        (root / relative).write_text("", encoding="utf-8")
        return relative, 1

    return edit


def delete(name: str) -> Edit:
    def edit(root: Path) -> tuple[str, int]:
        (root / "shapes" / name).unlink()
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
        return "pyproject.toml", text[: text.index(f'"{name}"')].count("\n") + 1

    return edit


CASES: dict[str, Edit] = {
    "prefix-typo": replace_first(
        "shapes/statements.ttl",
        "@prefix hrkg:    <https://w3id.org/hrkg/ontology#>",
        "@prefix hrkg:    <https://w3id.org/hrkg/ontologie#>",
    ),
    "targetclass-typo": replace_first(
        "shapes/statements.ttl", "sh:targetClass hrkg:Statement", "sh:targetClass hrkg:Statment"
    ),
    "emptied-file": empty("shapes/weapons.ttl"),
    "deleted-file": delete("weapons.ttl"),
    "kg-hamsa": replace_first(
        "data/entities/organizations.ttl", "org:linkedTo kg:hamas", "org:linkedTo kg:hamsa"
    ),
    "date-under-a-shape": replace_first(
        "data/sources/hamas-relations-with-russia.ttl",
        'hrkg:startDate "2024-02-29"',
        'hrkg:startDate "2024-02-30"',
    ),
    "date-outside-the-shapes": replace_first(  # a source document's bound: no shape checks it
        "data/sources/hamas-relations-with-russia.ttl",
        'hrkg:notBefore "2024-03-02"',
        'hrkg:notBefore "2023-02-29"',
    ),
}


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real project's inputs (the source texts stay where they are)."""
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(PROJECT.sources_dir))
    root = tmp_path / "kg"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(PROJECT.root / folder, root / folder)
    shutil.copytree(PROJECT.expected_dir, root / "tests" / "expected")
    shutil.copyfile(PROJECT.root / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_issue_case_fails_validate_and_build_naming_file_and_line(
    case: str, copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = "{}:{}:".format(*CASES[case](copy))
    assert main(["validate", "--project", str(copy), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"  {where} " in err, err
    assert "Traceback" not in err

    out = copy / "dist"
    assert main(["build", "--project", str(copy), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"  {where} " in err, err
    assert "Traceback" not in err
    assert not out.exists()
