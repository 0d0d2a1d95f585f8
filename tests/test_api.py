"""The Python API (hrkg.open, KnowledgeGraph, Rows) and the tutorial, run as a doctest."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

import hrkg
from hrkg.api import KnowledgeGraph
from hrkg.project import ProjectNotFound, find_project

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.md"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh dist/ with the store of the working tree (not whatever dist/ holds today)."""
    from hrkg.pipeline.assemble import assemble
    from hrkg.project import Project
    from hrkg.rdf import to_store

    out = tmp_path_factory.mktemp("api") / "dist"
    out.mkdir()
    store = to_store(assemble(Project(ROOT)).quads, out / "store")
    del store
    return out


@pytest.fixture(scope="module")
def kg(dist: Path) -> KnowledgeGraph:
    opened: KnowledgeGraph = hrkg.open(ROOT, dist=dist)
    return opened


def test_tutorial_runs(dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("HRKG_DIST", str(dist))
    result = doctest.testfile(
        str(TUTORIAL),
        module_relative=False,
        verbose=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted >= 15
    assert result.failed == 0, "docs/tutorial.md: see the doctest report above"


def test_query_by_name_gives_labels(kg: KnowledgeGraph) -> None:
    rows = kg.query("07-claims-about", actor="Hamas")
    assert rows.columns[:4] == ("actor", "actor_label", "claim", "claim_label")
    assert set(rows.column("actor_label")) == {"Hamas"}
    denied = {r["claim"] for r in rows if r["stance"] == "denied"}
    # Azari denied the Russian-made weapons used against Israeli cities, and Zakharova the
    # supply to the armed formations; that Russia supplies Hamas, Azari only doubts ("no
    # evidence"): hrkg:entertains with stance:doubts, not a denial.
    assert denied == {
        "kg:claim-hamas-uses-russian-made-weapons-against-israeli-cities",
        "kg:claim-russia-supplies-weapons-to-hamas-armed-formations",
    }
    assert "kg:claim-russia-supplies-weapons-to-hamas" not in denied


def test_doubted_claim_names_who_doubts_it(kg: KnowledgeGraph) -> None:
    rows = kg.query("07-claims-about", actor="Hamas")
    doubted = [r for r in rows if r["claim"] == "kg:claim-russia-supplies-weapons-to-hamas"]
    assert [(r["statement"], r["claimant"]) for r in doubted] == [
        ("kg:statement-2008-12-30-anna-azari-echo-of-moscow", "kg:anna-azari")
    ]
    assert doubted[0]["stance"] == "doubts"


def test_unknown_name_raises(kg: KnowledgeGraph) -> None:
    with pytest.raises(LookupError, match="did you mean kg:russia"):
        kg.query("07", actor="kg:Russia")
    with pytest.raises(KeyError, match="no single stored query"):
        kg.query("99-nothing")


def test_find_and_describe(kg: KnowledgeGraph) -> None:
    assert kg.find("Marzouq")[0]["entity"] == "kg:musa-abu-marzouk"
    facts = kg.describe("Ben-Zvi")
    spoke = [r for r in facts if r["property"] == "hrkg:speaker" and r["direction"] == "in"]
    assert [r["value"] for r in spoke] == ["kg:statement-alexander-ben-zvi-questions-on-visit"]
    assert "inferred" not in " ".join(facts.column("graph"))


def test_sparql_text_and_rendering(kg: KnowledgeGraph) -> None:
    rows = kg.query(
        "SELECT ?state WHERE { ?state a <https://w3id.org/hrkg/ontology#State> } "
        "ORDER BY ?state LIMIT 1"
    )
    assert [dict(r) for r in rows] == [{"state": "kg:afghanistan", "state_label": "Afghanistan"}]
    assert "kg:afghanistan  Afghanistan" in str(rows)
    assert rows._repr_html_() == (
        "<table><thead><tr><th>state</th><th>state_label</th></tr>"
        "</thead><tbody><tr><td>kg:afghanistan</td><td>Afghanistan"
        "</td></tr></tbody></table>"
    )


def test_to_pandas(kg: KnowledgeGraph) -> None:
    rows = kg.query("16-claims-by", actor="Zakharova")
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            rows.to_pandas()
        return
    frame = rows.to_pandas()
    assert list(frame.columns) == list(rows.columns) and len(frame) == 4


def test_project_found_from_a_subfolder() -> None:
    assert find_project(start=ROOT / "queries" / "checks").root == ROOT
    with pytest.raises(ProjectNotFound, match="no hrkg project"):
        find_project(start=Path("/"))


def test_import_hrkg_is_light() -> None:
    code = (
        "import sys, hrkg\n"
        "print([m for m in ('hrkg.api', 'pyoxigraph', 'rich') if m in sys.modules])\n"
        "hrkg.open\nprint('hrkg.api' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]


def test_readme_example_runs(dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    section = re.sub(r"^```.*$", "", section, flags=re.MULTILINE)  # a fence ends the output
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("HRKG_DIST", str(dist))
    test = doctest.DocTestParser().get_doctest(section, {}, "README.md", str(ROOT), 0)
    assert len(test.examples) >= 3
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0
