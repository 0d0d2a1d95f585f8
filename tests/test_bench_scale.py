"""The scale benchmark's parts that can be wrong without being slow: the generator of scaled
projects (bench/scaled.py), the growth fit, the process measurement, and `hrkg build --timings`.
No timing is asserted here; the benchmark itself is `make bench-scale`."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from hrkg.cli import main
from hrkg.text import Steps

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
FIXTURE_KG = Path(__file__).resolve().parent / "fixtures" / "kg"
FIXTURE_SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"
OA = "http://www.w3.org/ns/oa#"
ARTICLE_TEXT = ROOT.parent / "shared" / "sources" / "hamas-relations-with-russia.txt"


def bench_module(name: str) -> Any:
    """A module of bench/ (not a package: the benchmark runs its files as scripts)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


def triples_of(path: Path) -> list[ox.Triple]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def subjects(triples: list[ox.Triple]) -> set[str]:
    return {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}


def objects(triples: list[ox.Triple]) -> set[str]:
    return {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}


@pytest.fixture(scope="module")
def two_copies(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if not ARTICLE_TEXT.is_file():
        pytest.skip(f"the article's source text is not at {ARTICLE_TEXT}")
    scaled = bench_module("scaled")
    return scaled.make_project(tmp_path_factory.mktemp("scaled") / "two", 2)


def copy_file(made: Any, slug: str) -> Path:
    return Path(made.project) / "data" / "sources" / f"{slug}.ttl"


def test_copies_are_distinct_sources_sharing_the_entities(two_copies: Any) -> None:
    article = triples_of(ROOT / "data" / "sources" / "hamas-relations-with-russia.ttl")
    own = subjects(article)
    shared = objects(article) - own
    seen: set[str] = set(own)
    for slug in two_copies.slugs:
        copy = triples_of(copy_file(two_copies, slug))
        assert len(copy) == len(article)
        mine = subjects(copy)
        assert len(mine) == len(own)
        assert not mine & seen, f"{slug} reuses IRIs of another copy or of the article"
        seen |= mine
        assert f"https://w3id.org/hrkg/id/source-{slug}" in mine
        assert objects(copy) - mine == shared  # the same entities and vocabulary, not renamed
        assert (Path(two_copies.sources) / f"{slug}.txt").read_bytes() == ARTICLE_TEXT.read_bytes()
    assert not (Path(two_copies.project) / "tests" / "expected").exists()
    assert not (
        Path(two_copies.project) / "data" / "sources" / "m24-2023-10-14-zakharova-hamas-supply.ttl"
    ).exists()


def test_every_offset_of_a_copy_lies_in_its_own_text(two_copies: Any) -> None:
    for slug in two_copies.slugs:
        text = (Path(two_copies.sources) / f"{slug}.txt").read_text(encoding="utf-8")
        copy = triples_of(copy_file(two_copies, slug))
        by_subject: dict[str, dict[str, str]] = {}
        for t in copy:
            if t.predicate.value in (OA + "start", OA + "end", OA + "exact"):
                assert isinstance(t.object, ox.Literal)
                key = str(t.subject)
                by_subject.setdefault(key, {})[t.predicate.value[len(OA) :]] = t.object.value
        spans = [s for s in by_subject.values() if "start" in s]  # cited quotes have none
        assert len(spans) > 100
        for span in spans:
            start, end = int(span["start"]), int(span["end"])
            assert 0 <= start <= end <= len(text)
            assert text[start:end] == span.get("exact", text[start:end])


def test_touching_a_source_changes_one_literal_of_that_copy_only(
    two_copies: Any, tmp_path: Path
) -> None:
    scaled = bench_module("scaled")
    project = tmp_path / "project"
    shutil.copytree(two_copies.project, project)
    first, second = (copy_file(two_copies, s) for s in two_copies.slugs)
    before = Counter(triples_of(project / "data" / "sources" / first.name))
    scaled.touch_source(project, 0, 1)
    after = Counter(triples_of(project / "data" / "sources" / first.name))
    assert sum((before - after).values()) == 1 and sum((after - before).values()) == 1
    (added,) = after - before
    assert isinstance(added.object, ox.Literal) and added.object.value.endswith("(edit 1)")
    scaled.touch_source(project, 0, 2)  # a second edit replaces the first, it does not pile up
    (again,) = Counter(triples_of(project / "data" / "sources" / first.name)) - before
    assert isinstance(again.object, ox.Literal) and again.object.value.endswith(
        "that day. No licence is stated on the page. (edit 2)"
    )
    assert (project / "data" / "sources" / second.name).read_bytes() == second.read_bytes()


def test_copies_for_counts_the_shared_graphs_once() -> None:
    scaled = bench_module("scaled")
    shared, per_copy = scaled.shared_triples(), scaled.article_triples()
    assert scaled.copies_for(shared + 5 * per_copy) == 5
    assert scaled.copies_for(1) == 1


def test_growth_exponent_is_the_log_log_slope() -> None:
    scale = bench_module("scale")
    assert scale.slope([(1e4, 2.0), (1e5, 2.0 * 10**1.5), (1e6, 2.0 * 10**3)]) == pytest.approx(1.5)
    assert scale.slope([(1e4, 3.0)]) is None
    assert scale.parse_size("30k") == 30_000 and scale.parse_size("1M") == 1_000_000


def test_a_run_past_its_budget_is_killed_and_recorded_unfinished() -> None:
    procs = bench_module("procs")
    killed = procs.run_measured(["sleep", "30"], budget_s=0.3, interval=0.05)
    assert killed.exit is None and not killed.finished
    grown = procs.run_measured(
        [
            sys.executable,
            "-c",
            "import time; b = bytearray(80_000_000); b[::4096] = b'x' * "
            "len(b[::4096]); time.sleep(1)",
        ],
        budget_s=60,
        interval=0.05,
    )
    assert grown.exit == 0 and grown.peak_rss >= 80_000_000 and grown.peak_pss >= 80_000_000


def test_steps_record_cpu_and_nesting() -> None:
    steps = Steps(quiet=True)
    with steps.step("outer", "outer"), steps.step("inner", "inner"):
        sum(range(100_000))
    records = {r["step"]: r for r in steps.records()}
    assert records["inner"]["within"] == "outer" and records["outer"]["within"] is None
    assert set(steps.cpu) == {"outer", "inner"}
    assert all(isinstance(r["cpu_s"], float) and r["cpu_s"] >= 0 for r in records.values())


def test_build_timings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(FIXTURE_SOURCES))
    timings = tmp_path / "t.json"
    args = ["build", "--project", str(FIXTURE_KG), "--out", str(tmp_path / "dist"), "--quiet"]
    assert main([*args, "--timings", str(timings)]) == 0
    record = json.loads(timings.read_text())
    assert record["exit"] == 0
    names = [s["step"] for s in record["steps"]]
    assert {"parse", "shacl", "checks", "reason", "queries", "write"} <= set(names)
    assert {s["step"]: s["within"] for s in record["steps"]}["site"] == "write"
    assert sum(record["triples_per_graph"].values()) > 0

    broken = tmp_path / "kg"
    shutil.copytree(FIXTURE_KG, broken)
    (broken / "data" / "sources" / "fixture-source.ttl").write_text("this is not turtle .\n")
    failed = tmp_path / "failed.json"
    args = ["build", "--project", str(broken), "--out", str(tmp_path / "d2"), "--quiet"]
    assert main([*args, "--timings", str(failed)]) == 2
    record = json.loads(failed.read_text())
    assert record["exit"] == 2 and [s["step"] for s in record["steps"]] == ["parse"]
    assert not list(tmp_path.glob(".*.partial"))
