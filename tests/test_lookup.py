"""Name lookup (hrkg find, parameter resolution): variant spellings, slugs, QIDs, typos."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrkg.cli import main
from hrkg.queries.lookup import Index, LookupFailed, fold, resolve

ROOT = Path(__file__).resolve().parent.parent
KG = "https://w3id.org/hrkg/id/"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dist/ holding only the store of the real KG (no closure: lookup does not need it)."""
    from hrkg.pipeline.assemble import assemble
    from hrkg.project import Project
    from hrkg.rdf import to_store

    out = tmp_path_factory.mktemp("lookup") / "dist"
    out.mkdir()
    store = to_store(assemble(Project(ROOT)).quads, out / "store")
    del store
    return out


@pytest.fixture(scope="module")
def store(dist: Path) -> ox.Store:
    return ox.Store.read_only(str(dist / "store"))


@pytest.fixture(scope="module")
def index(store: ox.Store) -> Index:
    return Index.from_store(store)


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Ben-Zvi") == fold("ben zvi") == "ben zvi"
    assert fold("  Zákharova ") == "zakharova"
    assert fold("Israel–Hamas war") == "israel hamas war"


@pytest.mark.parametrize(
    ("name", "slug", "how"),
    [
        ("Abu Marzouk", "musa-abu-marzouk", "exact"),
        ("Marzook", "musa-abu-marzouk", "exact"),
        ("MARZOUK", "musa-abu-marzouk", "exact"),
        ("Abu Marzook", "musa-abu-marzouk", "partial"),
        ("Marzuq", "musa-abu-marzouk", "closest"),
        ("Abu Marzuq", "musa-abu-marzouk", "closest"),
        ("Zakharova", "maria-zakharova", "exact"),
        ("Zacharova", "maria-zakharova", "closest"),
        ("Ben Zvi", "alexander-ben-zvi", "exact"),
        ("Ben-Zvi", "alexander-ben-zvi", "exact"),
        ("ben-zvi", "alexander-ben-zvi", "exact"),
        ("wd:Q159", "russia", "exact"),
        ("kg:maria-zakharova", "maria-zakharova", "exact"),
        ("russian-foreign-ministry", "russian-foreign-ministry", "exact"),
        ("Russian MFA", "russian-foreign-ministry", "exact"),
    ],
)
def test_find_variant_spellings(index: Index, name: str, slug: str, how: str) -> None:
    matches = index.find(name)
    assert matches, f"nothing found for {name!r}"
    assert (matches[0].entity.iri, matches[0].how) == (KG + slug, how)


def test_find_nothing_close(index: Index) -> None:
    assert index.find("xyzzy plugh") == []


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("Zakharova", "maria-zakharova"),
        ("wd:Q159", "russia"),
        ("Q159", "russia"),
        ("http://www.wikidata.org/entity/Q159", "russia"),
        ("kg:russia", "russia"),
        ("Russia", "russia"),
        ("Ben-Zvi", "alexander-ben-zvi"),
        ("Russian Foreign Ministry", "russian-foreign-ministry"),
        ("Israeli Foreign Ministry", "israeli-foreign-ministry"),
        (
            "kg:meeting-2024-02-29-moscow-palestinian-factions",
            "meeting-2024-02-29-moscow-palestinian-factions",
        ),
    ],
)
def test_resolve(store: ox.Store, index: Index, value: str, slug: str) -> None:
    assert resolve(store, index, value) == KG + slug


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("kg:Russia", "did you mean kg:russia (Russia)"),
        ("Marzuq", "did you mean kg:musa-abu-marzouk"),
        ("wd:Q1", "no entity is linked to Wikidata Q1"),
        ("xyzzy plugh", "try hrkg find"),
        ("https://example.org/nothing", "is not in the graph"),
    ],
)
def test_resolve_fails_clearly(store: ox.Store, index: Index, value: str, says: str) -> None:
    with pytest.raises(LookupFailed) as caught:
        resolve(store, index, value)
    assert says in str(caught.value)


def test_ambiguous_name_lists_the_candidates(store: ox.Store, index: Index) -> None:
    with pytest.raises(LookupFailed) as caught:
        resolve(store, index, "Russian")  # Russian Federation, Russian MFA, Russian presidency …
    message = str(caught.value)
    assert "names" in message and "kg:russia " in message
    assert "kg:russian-foreign-ministry" in message and "kg:kremlin" in message


def test_foreign_ministry_is_ambiguous(store: ox.Store, index: Index) -> None:
    """Two foreign ministries are curated (Russia's; Israel's, from the cited reports), so the
    bare name names both and resolution asks for one instead of guessing."""
    with pytest.raises(LookupFailed) as caught:
        resolve(store, index, "Foreign Ministry")
    message = str(caught.value)
    assert "'Foreign Ministry' names 2 entities" in message
    assert "kg:russian-foreign-ministry (" in message and "kg:israeli-foreign-ministry (" in message
    assert "give one slug" in message


def test_find_command(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["find", "Ben-Zvi", "--dist", str(dist)]) == 0
    assert "kg:alexander-ben-zvi" in capsys.readouterr().out
    assert main(["find", "Abu", "Marzuq", "--dist", str(dist), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "kg:musa-abu-marzouk" in captured.out and "closest" in captured.out
    assert main(["find", "xyzzy", "plugh", "--dist", str(dist)]) == 1
    assert "nothing is called" in capsys.readouterr().err


def test_query_typo_fails_instead_of_empty(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "07-claims-about", "--param", "actor=kg:Russia", "--dist", str(dist)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "'kg:Russia' is not in the graph" in captured.err and "kg:russia" in captured.err


def test_query_takes_names_and_qids(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "05-designation-status", "--dist", str(dist), "--format", "csv"]
    assert main([*args, "--param", "actor=Hezbollah"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("kg:hezbollah,kg:russia,dsta:not-designated")
    assert (
        main(
            [
                "query",
                "16-claims-by",
                "--dist",
                str(dist),
                "--format",
                "csv",
                "--param",
                "actor=wd:Q159",
            ]
        )
        == 0
    )
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(r.startswith("kg:russia,") for r in rows)


def test_empty_answer_points_elsewhere(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["query", "07-claims-about", "--param", "actor=Zakharova", "--dist", str(dist)]) == 0
    )
    captured = capsys.readouterr()
    assert "(0 rows)" in captured.out
    assert "no rows for kg:maria-zakharova" in captured.err
    assert "16-claims-by --param actor=kg:maria-zakharova" in captured.err
