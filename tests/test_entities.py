"""Curated entities: every contract slug is typed and labelled, and every Wikidata link is backed.

The slug list below is the contract's fixed entity list (other helpers' facts refer to these IRIs),
so a renamed, missing or extra entity fails here rather than as a dangling IRI in a query.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from hrkg.checks import wikidata
from hrkg.checks.wikidata import (
    EVIDENCE_PATH,
    check_links,
    check_parsed_links,
    compare_online,
    find_problems,
)
from hrkg.cli import command_parser
from hrkg.commands import wikidata as wikidata_command
from hrkg.pipeline.assemble import assemble
from hrkg.project import Project

ROOT = Path(__file__).resolve().parent.parent
ENTITIES_DIR = ROOT / "data" / "entities"
TSV = ROOT / EVIDENCE_PATH

HRKG = Namespace("https://w3id.org/hrkg/ontology#")
KG = Namespace("https://w3id.org/hrkg/id/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ORG = Namespace("http://www.w3.org/ns/org#")
WCAT = Namespace("https://w3id.org/hrkg/vocab/weapon-category/")

CONTRACT: dict[str, list[str]] = {
    "Person": [
        "musa-abu-marzouk",
        "ahmed-abdel-hadi",
        "maria-zakharova",
        "mikhail-bogdanov",
        "sergey-lavrov",
        "vladimir-putin",
        "anna-azari",
        "alexander-ben-zvi",
        "nikolai-kozanov",
        "dmitry-peskov",
        "lior-haiat",
        "basem-naim",
        "azzam-al-ahmad",
    ],
    "State": [
        "russia",
        "israel",
        "united-states",
        "ukraine",
        "qatar",
        "egypt",
        "lebanon",
        "iran",
        "north-korea",
        "china",
        "soviet-union",
        "syria",
        "yemen",
        "afghanistan",
        "palestine",
    ],
    "Place": ["moscow", "gaza-strip", "west-bank", "jerusalem", "tel-aviv"],
    "PoliticalOrganization": [
        "hamas",
        "fatah",
        "palestinian-islamic-jihad",
        "palestine-liberation-organization",
        "hezbollah",
        "houthis",
        "taliban",
        "muslim-brotherhood",
    ],
    "OrganizationalUnit": ["hamas-political-bureau"],
    "ArmedWing": ["hamas-armed-formations"],
    "GovernmentBody": ["russian-foreign-ministry", "kremlin", "israeli-foreign-ministry"],
    "Legislature": ["state-duma"],
    "MilitaryForce": ["israel-defense-forces"],
    "InternationalOrganization": [
        "european-union",
        "nato",
        "un-security-council",
        "quartet-on-the-middle-east",
    ],
    "MediaOutlet": [
        "ria-novosti",
        "echo-of-moscow",
        "hamas-telegram-channel",
        "globalsecurity-org",
        "tass",
        "news-az",
        "pravda-ru",
        "islam-times",
        "head-topics",
        "ukraine-today",
        "news-of-israel",
        "palestinian-information-center",
        "m24",
    ],
    "InformalGroup": [
        "palestinian-factions-in-moscow",
        "western-countries",
        "russian-diplomats-and-analysts",
        "observers-in-russia-and-israel",
        "unnamed-quoted-speakers",
        "unnamed-report-author",
        "unnamed-russian-voices",
        "unnamed-suspicion-holders",
    ],
    "WeaponSystem": [
        "kornet",
        "fagot",
        "konkurs",
        "strela-2",
        "igla",
        "qw-manpads",
        "misagh-1",
        "ht-16pgj",
    ],
    "Treaty": ["comprehensive-nuclear-test-ban-treaty"],
    "ArmedConflict": ["israeli-palestinian-conflict", "russo-ukrainian-war", "israel-hamas-war"],
}
SLUG_CLASS = [(slug, cls) for cls, slugs in CONTRACT.items() for slug in slugs]
ALL_SLUGS = {slug for slug, _cls in SLUG_CLASS}
NO_ITEM = {
    "hamas-armed-formations",
    "hamas-telegram-channel",
    "palestinian-factions-in-moscow",
    "western-countries",
    "russian-diplomats-and-analysts",
    "observers-in-russia-and-israel",
    "unnamed-quoted-speakers",
    "unnamed-report-author",
    "unnamed-russian-voices",
    "unnamed-suspicion-holders",
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    merged = Graph()
    for path in sorted(ENTITIES_DIR.glob("*.ttl")):
        merged.parse(path, format="turtle")
    return merged


@pytest.fixture(scope="module")
def tsv_rows() -> list[dict[str, str]]:
    with TSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# ---------------------------------------------------------------- the entity Turtle


def test_contract_has_85_distinct_slugs() -> None:
    assert len(SLUG_CLASS) == len(ALL_SLUGS) == 85


@pytest.mark.parametrize(("slug", "cls"), [pytest.param(s, c, id=s) for s, c in SLUG_CLASS])
def test_slug_is_typed_with_one_english_label(graph: Graph, slug: str, cls: str) -> None:
    subject = KG[slug]
    assert (subject, RDF.type, HRKG[cls]) in graph, f"kg:{slug} is not a hrkg:{cls}"
    labels = list(graph.objects(subject, RDFS.label))
    english = [lab for lab in labels if isinstance(lab, Literal) and lab.language == "en"]
    assert len(english) == 1, f"kg:{slug} has {len(english)} English labels"
    comments = list(graph.objects(subject, RDFS.comment))
    assert len(comments) == 1, f"kg:{slug} needs one rdfs:comment (neutral description)"


def test_no_entity_outside_the_contract(graph: Graph) -> None:
    typed = {
        str(s)[len(str(KG)) :] for s in graph.subjects(RDF.type, None) if str(s).startswith(str(KG))
    }
    assert typed == ALL_SLUGS


def test_no_skos_definition_on_entities(graph: Graph) -> None:
    """Entities use rdfs:comment; skos:definition is reserved for ontology terms."""
    assert list(graph.subject_objects(SKOS.definition)) == []


def test_descriptions_and_labels_are_neutral(graph: Graph) -> None:
    wording = [
        str(o)
        for p in (RDFS.label, RDFS.comment, SKOS.altLabel, SKOS.scopeNote)
        for o in graph.objects(None, p)
    ]
    assert wording, "no text found: the check would pass vacuously"
    offending = [w for w in wording if "terror" in w.lower()]
    assert offending == []


@pytest.mark.parametrize(
    ("slug", "category", "origin"),
    [
        pytest.param("kornet", "anti-tank-guided-missile", "russia", id="kornet"),
        pytest.param("fagot", "anti-tank-guided-missile", "soviet-union", id="fagot"),
        pytest.param("konkurs", "anti-tank-guided-missile", "soviet-union", id="konkurs"),
        pytest.param("strela-2", "man-portable-air-defence-system", "soviet-union", id="strela-2"),
        pytest.param("igla", "man-portable-air-defence-system", "soviet-union", id="igla"),
        pytest.param("qw-manpads", "man-portable-air-defence-system", "china", id="qw-manpads"),
        pytest.param("misagh-1", "man-portable-air-defence-system", "iran", id="misagh-1"),
        pytest.param("ht-16pgj", "man-portable-air-defence-system", "north-korea", id="ht-16pgj"),
    ],
)
def test_weapon_system_category_and_origin(
    graph: Graph, slug: str, category: str, origin: str
) -> None:
    assert list(graph.objects(KG[slug], HRKG.weaponCategory)) == [WCAT[category]]
    assert list(graph.objects(KG[slug], HRKG.countryOfOrigin)) == [KG[origin]]


def test_misagh_is_derived_from_qw(graph: Graph) -> None:
    assert list(graph.objects(KG["misagh-1"], HRKG.derivedFrom)) == [KG["qw-manpads"]]


def test_political_bureau_is_a_unit_of_hamas(graph: Graph) -> None:
    assert list(graph.objects(KG["hamas-political-bureau"], ORG.unitOf)) == [KG.hamas]


def test_spelling_variants_are_alt_labels(graph: Graph) -> None:
    def alts(slug: str) -> set[str]:
        return {str(o) for o in graph.objects(KG[slug], SKOS.altLabel)}

    assert {"Mousa Abu Marzook", "Musa Abu Marzouq", "Abu Marzouk"} <= alts("musa-abu-marzouk")
    assert "Ansar Allah" in alts("houthis")
    assert "Islamic Jihad" in alts("palestinian-islamic-jihad")
    assert "Ekho Moskvy" in alts("echo-of-moscow")
    assert "Novosti" in alts("ria-novosti")


# ---------------------------------------------------------------- the evidence file


def test_tsv_header_and_one_row_per_slug(tsv_rows: list[dict[str, str]]) -> None:
    with TSV.open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\n").split("\t") == list(wikidata.HEADER)
    slugs = [row["slug"] for row in tsv_rows]
    assert sorted(slugs) == sorted(ALL_SLUGS)
    assert len(slugs) == len(set(slugs))


def test_tsv_rows_are_well_formed(tsv_rows: list[dict[str, str]]) -> None:
    for row in tsv_rows:
        assert None not in row and all(v is not None for v in row.values()), row
        assert row["status"] in wikidata.STATUSES, row
        assert len(row["snippet"]) <= wikidata.MAX_SNIPPET, row["slug"]
        if row["status"] == "confirmed":
            assert wikidata.QID_RE.fullmatch(row["qid"]), row["slug"]
            assert row["evidence_source"] and row["snippet"], row["slug"]
            assert row["qid"] in row["snippet"], f"{row['slug']}: snippet must show the QID"
        else:
            assert row["qid"] == "", row["slug"]
            assert row["snippet"], f"{row['slug']}: say why there is no QID"
    no_item = {row["slug"] for row in tsv_rows if row["status"] == "no-item"}
    assert no_item == NO_ITEM


def test_read_evidence_finds_nothing_wrong() -> None:
    rows, problems = wikidata.read_evidence(TSV, "tsv")
    assert problems == []
    assert len(rows) == 85


def test_every_exact_match_is_confirmed_in_the_tsv(
    graph: Graph, tsv_rows: list[dict[str, str]]
) -> None:
    confirmed = {row["slug"]: row["qid"] for row in tsv_rows if row["status"] == "confirmed"}
    linked = {
        str(s)[len(str(KG)) :]: str(o).rsplit("/", 1)[1]
        for s, o in graph.subject_objects(SKOS.exactMatch)
    }
    assert linked == confirmed
    assert len(confirmed) >= 20


# ---------------------------------------------------------------- check_links


def test_check_links_passes_on_the_real_data() -> None:
    assert check_links(ROOT) == []


def _copy_data(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "hrkg.toml").write_text("")
    return tmp_path


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_check_links_reports_a_broken_turtle_fixture(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    _append(
        root / "data" / "entities" / "organizations.ttl",
        "\n".join(
            [
                "",
                "kg:houthis skos:exactMatch wd:Q999999999 .",  # QID missing from the TSV
                "kg:quartet-on-the-middle-east skos:exactMatch wd:Q159 .",  # QID of kg:russia
                # a page, not an entity
                "kg:hamas-political-bureau skos:exactMatch <https://www.wikidata.org/wiki/Q42> .",
                "",
            ]
        ),
    )
    tsv = "data/entities/wikidata-evidence.tsv"
    orgs = "data/entities/organizations.ttl"
    assert sorted(check_links(root)) == sorted(
        [
            f"{orgs}: kg:houthis: skos:exactMatch wd:Q999999999 has no confirmed row in {tsv}",
            f"{orgs}: kg:quartet-on-the-middle-east: skos:exactMatch wd:Q159 has no confirmed "
            f"row in {tsv}",
            f"{orgs}: kg:hamas-political-bureau: skos:exactMatch "
            "<https://www.wikidata.org/wiki/Q42> is not a Wikidata entity IRI "
            "(http://www.wikidata.org/entity/Q…)",
            "data/: wd:Q159: is used by several entities: kg:quartet-on-the-middle-east, kg:russia",
        ]
    )
    problems, _rows, _entities = find_problems(root)
    assert {p.subject for p in problems} == {
        "kg:houthis",
        "kg:quartet-on-the-middle-east",
        "kg:hamas-political-bureau",
        "wd:Q159",
    }


def _rewrite_tsv(root: Path, edit: dict[str, dict[str, str]], extra: list[str]) -> list[str]:
    path = root / EVIDENCE_PATH
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        fields = dict(zip(wikidata.HEADER, line.split("\t"), strict=True))
        fields.update(edit.get(fields["slug"], {}))
        out.append("\t".join(fields[h] for h in wikidata.HEADER))
    out.extend(extra)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return out


def test_check_links_reports_a_broken_tsv_fixture(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    lines = _rewrite_tsv(
        root,
        {
            "russia": {"qid": "Q160", "snippet": "Q160 Russia"},
            "houthis": {
                "qid": "Q1",
                "status": "confirmed",
                "strength": "one-source",
                "evidence_source": "a/b:c.txt",
                "snippet": "Q1",
            },
        },
        [
            "atlantis\tQ12\tconfirmed\tone-source\ta/b:c.txt\tQ12 Atlantis",
            "israel\t\tmaybe\t\t\twhy",
        ],
    )
    tsv = "data/entities/wikidata-evidence.tsv"
    line: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        line.setdefault(text.split("\t")[0], number)
    russia, houthis = line["russia"], line["houthis"]
    atlantis, israel2 = len(lines) - 1, len(lines)
    assert sorted(check_links(root)) == sorted(
        [
            f"{tsv}:{russia}: kg:russia: evidence confirms Q160 but data/entities/states.ttl "
            "links wd:Q159",
            f"{tsv}:{russia}: kg:russia: confirmed as Q160 but has no skos:exactMatch wd:Q160",
            f"{tsv}:{houthis}: kg:houthis: confirmed as Q1 but has no skos:exactMatch wd:Q1",
            f"{tsv}:{atlantis}: kg:atlantis: names no entity typed in data/entities",
            f"{tsv}:{atlantis}: kg:atlantis: confirmed as Q12 but has no skos:exactMatch wd:Q12",
            f"{tsv}:{israel2}: kg:israel: status 'maybe' is not one of "
            "('confirmed', 'unconfirmed', 'no-item')",
            f"{tsv}:{israel2}: kg:israel: duplicate row (first on line {line['israel']})",
        ]
    )


def test_check_links_reports_a_missing_row(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / EVIDENCE_PATH
    kept = [
        ln
        for ln in path.read_text(encoding="utf-8").splitlines()
        if not ln.startswith("hamas-political-bureau\t")
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert check_links(root) == [
        "data/entities/organizations.ttl: kg:hamas-political-bureau: has no row in "
        "data/entities/wikidata-evidence.tsv"
    ]


def _parsed_links(root: Path) -> list[str]:
    """What the build reports: the check run on the quads it assembled, no file re-read."""
    assembled = assemble(Project(root))
    return check_parsed_links(assembled.quads, assembled.subject_files, root)


def _break_turtle(root: Path) -> None:
    _append(
        root / "data" / "entities" / "organizations.ttl",
        "\nkg:houthis skos:exactMatch wd:Q999999999 .\n"
        "kg:quartet-on-the-middle-east skos:exactMatch wd:Q159 .\n"
        "kg:hamas-political-bureau skos:exactMatch <https://www.wikidata.org/wiki/Q42> .\n",
    )
    _append(
        root / "data" / "sources" / "hamas-relations-with-russia.ttl",
        "\nkg:source-hamas-relations-with-russia "
        "<http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.wikidata.org/entity/Q7> .\n",
    )


def _break_tsv(root: Path) -> None:
    _rewrite_tsv(
        root,
        {"russia": {"qid": "Q160", "snippet": "Q160 Russia"}},
        ["atlantis\tQ12\tconfirmed\tone-source\ta/b:c.txt\tQ12 Atlantis"],
    )


def _drop_row(root: Path) -> None:
    path = root / EVIDENCE_PATH
    kept = [
        ln
        for ln in path.read_text(encoding="utf-8").splitlines()
        if not ln.startswith("hamas-political-bureau\t")
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "problems"), [(_break_turtle, 5), (_break_tsv, 4), (_drop_row, 1)]
)
def test_the_build_reports_the_same_link_problems_from_its_quads(
    tmp_path: Path, edit: Callable[[Path], None], problems: int
) -> None:
    root = _copy_data(tmp_path)
    edit(root)
    by_files = check_links(root)
    assert len(by_files) == problems, by_files
    assert sorted(_parsed_links(root)) == sorted(by_files)


def test_the_build_names_every_file_that_writes_an_entity(tmp_path: Path) -> None:
    """A quad does not say which of a graph's files it came from: the check names the files
    of that graph that write the subject (reading the files, it names the one)."""
    root = _copy_data(tmp_path)
    _append(root / "data" / "entities" / "places.ttl", "\nkg:houthis skos:exactMatch wd:Q1 .\n")
    tsv = "data/entities/wikidata-evidence.tsv"
    message = f"kg:houthis: skos:exactMatch wd:Q1 has no confirmed row in {tsv}"
    assert check_links(root) == [f"data/entities/places.ttl: {message}"]
    assert _parsed_links(root) == [
        f"data/entities/organizations.ttl, data/entities/places.ttl: {message}"
    ]


def test_a_data_file_that_does_not_parse_is_named_with_its_line(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    _append(root / "data" / "entities" / "places.ttl", "\nkg:broken skos:exactMatch .\n")
    lines = (root / "data" / "entities" / "places.ttl").read_text().count("\n")
    [problem] = [p for p in check_links(root) if "(file)" in p]
    assert problem.startswith(f"data/entities/places.ttl:{lines}: (file): does not parse: ")


# ---------------------------------------------------------------- the command


def _args(root: Path, online: bool = False) -> argparse.Namespace:
    parser, _ = command_parser("wikidata")
    argv = ["--project", str(root)] + (["--online"] if online else [])
    return parser.parse_args(argv)


def test_run_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert wikidata_command.run(_args(ROOT)) == 0
    out = capsys.readouterr().out
    assert "vladimir-putin" in out and "Q7747" in out and "0 problem(s)" in out
    root = _copy_data(tmp_path)
    orgs = root / "data" / "entities" / "organizations.ttl"
    _append(orgs, "\nkg:hamas skos:exactMatch wd:Q5 .\n")
    assert wikidata_command.run(_args(root)) == 1
    assert "kg:hamas" in capsys.readouterr().err


def test_online_fails_clearly_without_network(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_network(*_args: object, **_kwargs: object) -> None:
        raise urllib.error.URLError("network is closed (test)")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    assert wikidata_command.run(_args(ROOT, online=True)) == 3
    assert "cannot reach the Wikidata API" in capsys.readouterr().err


def test_compare_online_reports_label_mismatches() -> None:
    """A fake API answer: one matching label, one different, one missing item; no network."""
    rows, _problems = wikidata.read_evidence(TSV, "tsv")
    asked: list[str] = []

    def fake_fetch(url: str) -> bytes:
        asked.append(url)
        assert "action=wbgetentities" in url and "languages=en" in url
        entities = {
            "Q159": {"labels": {"en": {"value": "Russia"}}},
            "Q801": {"labels": {"en": {"value": "Land of Israel"}}},
            "Q7747": {"missing": ""},
        }
        return json.dumps({"entities": entities}).encode()

    findings = compare_online(
        ROOT, [r for r in rows if r.qid in {"Q159", "Q801", "Q7747"}], fake_fetch
    )
    assert len(asked) == 1
    assert sorted(f.split(": ")[0] for f in findings) == ["kg:israel", "kg:vladimir-putin"]


def test_exact_match_targets_are_entity_iris(graph: Graph) -> None:
    targets = list(graph.objects(None, SKOS.exactMatch))
    assert targets
    assert all(isinstance(t, URIRef) and wikidata.ENTITY_IRI_RE.fullmatch(str(t)) for t in targets)


def test_state_institutions_name_their_state(graph: Graph) -> None:
    organ_of = HRKG.organOf
    assert list(graph.objects(KG["russian-foreign-ministry"], organ_of)) == [KG.russia]
    assert list(graph.objects(KG.kremlin, organ_of)) == [KG.russia]
    assert list(graph.objects(KG["state-duma"], organ_of)) == [KG.russia]
    assert list(graph.objects(KG["israel-defense-forces"], organ_of)) == [KG.israel]
    assert list(graph.objects(KG["israeli-foreign-ministry"], organ_of)) == [KG.israel]


def test_groups_are_tied_to_the_places_the_source_names(graph: Graph) -> None:
    assert list(graph.objects(KG.hezbollah, HRKG.basedIn)) == [KG.lebanon]
    assert list(graph.objects(KG.taliban, HRKG.basedIn)) == [KG.afghanistan]
    assert list(graph.objects(KG.houthis, HRKG.basedIn)) == [KG.yemen]
