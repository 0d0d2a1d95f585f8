"""The evidence behind each Wikidata link: named sources, their strength, and no-item records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hrkg.checks import wikidata

ROOT = Path(__file__).resolve().parent.parent
TSV = ROOT / wikidata.EVIDENCE_PATH

# written by hand from the look-ups recorded in the TSV (NEREL *.ann files, OpenSanctions'
# curated crawler list): the eight links added by issue 13
ADDED = {
    "taliban": "Q42418",
    "palestinian-islamic-jihad": "Q117907",
    "kremlin": "Q2060629",
    "russian-foreign-ministry": "Q789889",
    "israel-defense-forces": "Q58967",
    "ria-novosti": "Q821172",
    "echo-of-moscow": "Q749928",
    "sergey-lavrov": "Q58217",
}


@pytest.fixture(scope="module")
def rows() -> list[wikidata.EvidenceRow]:
    rows, problems = wikidata.read_evidence(TSV, "tsv")
    assert problems == []
    return rows


def test_every_source_names_a_repository_path_a_url_or_a_stored_file(
    rows: list[wikidata.EvidenceRow],
) -> None:
    for row in rows:
        if row.status != "confirmed":
            assert row.sources == [] or row.strength == "", row.slug
            continue
        assert row.sources, row.slug
        for source in row.sources:
            match = wikidata.SOURCE_RE.fullmatch(source)
            assert match, (row.slug, source)
        # a link rests on at least one source a reader can open again, except where the search
        # index holds the file but cannot name it (kept, flagged as stored-file:<id>)
        if not row.named_sources:
            assert all(s.startswith("stored-file:") for s in row.sources), row.slug


def test_strength_counts_named_sources(rows: list[wikidata.EvidenceRow]) -> None:
    for row in rows:
        if row.status == "confirmed":
            expected = "two-sources" if len(row.named_sources) >= 2 else "one-source"
            assert row.strength == expected, row.slug
    strong = {r.slug for r in rows if r.strength == "two-sources"}
    assert {"hamas", "hezbollah", "russia", "vladimir-putin", "state-duma"} <= strong


def test_added_links_and_look_alikes(rows: list[wikidata.EvidenceRow]) -> None:
    by_slug = {r.slug: r for r in rows}
    for slug, qid in ADDED.items():
        row = by_slug[slug]
        assert (row.status, row.qid) == ("confirmed", qid), slug
        assert qid in row.snippet, slug
    # the Moscow Kremlin building (NEREL: Q133274) is not the Presidential Administration
    assert by_slug["kremlin"].qid != "Q133274"
    assert "Администрация президента" in by_slug["kremlin"].snippet
    # the Pakistani Taliban (NEREL: Q1459585) is not the Taliban
    assert by_slug["taliban"].qid != "Q1459585"
    # no link rests on hand-written mock data any more: an API test fixture (Putin), a
    # `mockEventsV2` table (Russo-Ukrainian war), a test's sample record (Israel–Hamas war)
    mocks = {"stored-file:71254324218", "stored-file:52598432832", "stored-file:71575001998"}
    assert not any(s in mocks or "test.js" in s for r in rows for s in r.sources)
    for slug in ("houthis", "maria-zakharova", "comprehensive-nuclear-test-ban-treaty"):
        assert by_slug[slug].status == "unconfirmed" and by_slug[slug].qid == "", slug


def test_bad_strength_and_sources_are_reported(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / wikidata.EVIDENCE_PATH
    lines = path.read_text(encoding="utf-8").splitlines()
    edited = []
    for line in lines:
        fields = line.split("\t")
        if fields[0] == "taliban":
            fields[3] = "two-sources"  # one named source only
        if fields[0] == "ria-novosti":
            fields[4] = "somewhere on the web"
        if fields[0] == "houthis":
            fields[3] = "one-source"  # unconfirmed rows carry no strength
        edited.append("\t".join(fields))
    path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    problems = sorted(str(p).split(": ", 1)[1] for p in wikidata.find_problems(tmp_path)[0])
    assert problems == [
        "kg:houthis: status unconfirmed must leave strength empty",
        "kg:ria-novosti: evidence source 'somewhere on the web' is neither "
        "owner/repo:path[@commit], a URL nor stored-file:<id>",
        "kg:taliban: two-sources but 1 named source(s)",
    ]


def test_no_item_records_and_counts() -> None:
    assert wikidata.no_item_iris(ROOT) == {
        "https://w3id.org/hrkg/id/" + s
        for s in (
            "hamas-armed-formations",
            "hamas-telegram-channel",
            "palestinian-factions-in-moscow",
            "western-countries",
            "russian-diplomats-and-analysts",
            "observers-in-russia-and-israel",
            # the four unnamed collective speakers (data/entities/groups.ttl)
            "unnamed-quoted-speakers",
            "unnamed-report-author",
            "unnamed-russian-voices",
            "unnamed-suspicion-holders",
        )
    }
    # 85 curated entities: the 14 added with the cited reports (their outlets, Peskov, Naim,
    # al-Ahmad, Haiat, the Israeli Foreign Ministry) are unconfirmed, not looked up.
    assert wikidata.link_counts(ROOT) == {"linked": 41, "unconfirmed": 34, "no-item": 10}


def test_hrkg_wikidata_reports_the_strength(capsys: pytest.CaptureFixture[str]) -> None:
    from hrkg.cli import command_parser

    parser, command = command_parser("wikidata")
    assert command.run(parser.parse_args(["--project", str(ROOT)])) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert "strength of the confirmed links: 23 two-sources, 18 one-source" in out
    row = next(line for line in out.splitlines() if line.startswith("taliban "))
    assert row.split()[1:] == ["Q42418", "confirmed", "one-source"]
