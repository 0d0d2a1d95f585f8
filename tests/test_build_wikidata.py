"""The build's Wikidata steps on the miniature KG: no "should be linked" warning for entities
recorded as having no item, link counts in the summary, and the view's files in dist/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hrkg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "kg"
LINK_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix hrkg: <https://w3id.org/hrkg/ontology#> .
@prefix hrkgsh: <https://w3id.org/hrkg/shapes#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
hrkgsh:ActorLinkShape a sh:NodeShape ; sh:targetClass hrkg:Actor ;
    sh:property hrkgsh:Actor-exactMatch .
hrkgsh:Actor-exactMatch a sh:PropertyShape ; sh:path skos:exactMatch ; sh:minCount 1 ;
    sh:severity sh:Warning ; sh:message "An actor should be linked to Wikidata." .
"""


def test_no_item_entities_get_no_link_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kg"
    shutil.copytree(FIXTURE, root)
    (root / "shapes" / "links.ttl").write_text(LINK_SHAPE, encoding="utf-8")
    config = root / "hrkg.toml"  # the new shapes file and its external term, declared
    declared = config.read_text(encoding="utf-8").replace(
        '"fixture.ttl"', '"fixture.ttl", "links.ttl"'
    )
    config.write_text(
        declared.replace("[external-terms]\n", '[external-terms]\n"skos:exactMatch" = "links"\n'),
        encoding="utf-8",
    )
    out = root / "dist"
    assert main(["build", "--root", str(root), "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    # kg:acme is unconfirmed: warned; kg:alice and kg:bob are recorded as having no item
    assert "kg:acme" in captured.err
    assert "kg:alice" not in captured.err and "kg:bob" not in captured.err
    summary = {
        line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1]
        for line in captured.out.splitlines()
        if line.startswith("Wikidata: ")
    }
    assert {
        k: summary[k]
        for k in (
            "Wikidata: linked",
            "Wikidata: unconfirmed",
            "Wikidata: no-item",
            "Wikidata: statements",
        )
    } == {
        "Wikidata: linked": "0",
        "Wikidata: unconfirmed": "1",
        "Wikidata: no-item": "2",
        "Wikidata: statements": "0",
    }
    assert summary["Wikidata: facts without Wikidata form"].isdigit()
    for name in ("hrkg-wikidata.nt", "hrkg-wikidata-report.md", "hrkg-wikidata.qs.tsv"):
        assert (out / name).is_file(), name
    assert "A HUMAN MUST REVIEW" in (out / "hrkg-wikidata.qs.tsv").read_text(encoding="utf-8")
