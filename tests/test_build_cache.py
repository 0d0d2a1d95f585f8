"""The build's cache changes nothing but time: a cached build equals a clean one byte for byte,
and changing one source validates that source's part again and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrkg.cli import main
from scaled_copies import edit_copy, scaled_project, sources_of

COMPARED = ("hrkg.nq", "hrkg.nt", "hrkg.trig", "hrkg.ttl", "hrkg.jsonld", "hrkg-inferred.nt")


def build(project: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """Run `hrkg build`; returns its progress output (stderr)."""
    capsys.readouterr()
    assert main(["build", "--project", str(project), "--out", str(out), *extra]) == 0
    return capsys.readouterr().err


def dumps(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in COMPARED}


def test_cached_build_equals_clean_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HRKG_CACHE_DIR")  # the default: .hrkg-cache/ in the project
    project = scaled_project(tmp_path / "made", 2)
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(sources_of(tmp_path / "made")))
    cold = build(project, tmp_path / "cold", capsys)
    assert "3 part(s): 3 validated, 0 from the cache" in cold
    warm = build(project, tmp_path / "warm", capsys)
    assert "3 part(s): 0 validated, 3 from the cache" in warm
    assert dumps(tmp_path / "warm") == dumps(tmp_path / "cold")

    edit_copy(project, 1)
    again = build(project, tmp_path / "again", capsys)
    assert "3 part(s): 1 validated, 2 from the cache" in again
    clean = build(project, tmp_path / "clean", capsys, "--no-cache")
    assert "3 part(s): 3 validated, 0 from the cache" in clean
    assert dumps(tmp_path / "again") == dumps(tmp_path / "clean")
    assert dumps(tmp_path / "again") != dumps(tmp_path / "cold")


def test_no_cache_reads_and_writes_no_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HRKG_CACHE_DIR")
    project = scaled_project(tmp_path / "made", 1)
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(sources_of(tmp_path / "made")))
    build(project, tmp_path / "out", capsys, "--no-cache")
    assert not (project / ".hrkg-cache" / "shacl").exists()


def test_hrkg_cache_dir_moves_the_cache_out_of_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HRKG_CACHE_DIR", str(tmp_path / "elsewhere"))
    project = scaled_project(tmp_path / "made", 1)
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(sources_of(tmp_path / "made")))
    build(project, tmp_path / "out", capsys)
    assert not (project / ".hrkg-cache").exists()
    assert list((tmp_path / "elsewhere").glob("project-*/shacl/??/*.json"))


def test_coverage_is_checked_again_only_for_the_changed_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrkg.cache import ContentCache
    from hrkg.checks import coverage
    from hrkg.pipeline.assemble import assemble
    from hrkg.project import Project

    project_dir = scaled_project(tmp_path / "made", 3)
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(sources_of(tmp_path / "made")))
    project = Project(project_dir)
    cache = ContentCache(tmp_path / "coverage")
    checked: list[str] = []
    real = coverage.source_outcome

    def counting(project: Project, path: Path, quads: list) -> coverage.SourceOutcome:  # type: ignore[type-arg]
        checked.append(path.stem)
        return real(project, path, quads)

    monkeypatch.setattr(coverage, "source_outcome", counting)
    first = coverage.coverage_failures(project, assemble(project).by_graph(), cache)
    assert first == ([], 3) and len(checked) == 3
    checked.clear()
    assert coverage.coverage_failures(project, assemble(project).by_graph(), cache) == first
    assert checked == []
    edit_copy(project_dir, 1)
    assert coverage.coverage_failures(project, assemble(project).by_graph(), cache) == first
    assert checked == ["hamas-relations-with-russia-copy-0001"]
    text = sources_of(tmp_path / "made") / "hamas-relations-with-russia-copy-0002.txt"
    body = text.read_text(encoding="utf-8")
    end = body.index(coverage.END_MARKER)  # a paragraph before the page chrome: offsets hold
    text.write_text(body[:end] + "A new paragraph nobody cites.\n\n" + body[end:], "utf-8")
    checked.clear()
    failures, _ = coverage.coverage_failures(project, assemble(project).by_graph(), cache)
    assert checked == ["hamas-relations-with-russia-copy-0002"]
    assert failures and "copy-0002" in failures[0]
