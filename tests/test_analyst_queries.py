"""The analysts' questions with other parameters than their defaults, answers written by hand.

From the article and data/sources/hamas-relations-with-russia.ttl: Maria Zakharova spoke for
the Russian Foreign Ministry, an organ of Russia (org:subOrganizationOf, a curated entity
fact), about the armed formations affiliated with Hamas (org:linkedTo); the IDF report is
Israel's through the same link. Each answer is checked on pyoxigraph and on rdflib.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from hrkg.queries.catalog import load_query
from hrkg.queries.results import Result
from hrkg.queries.run import run_oxigraph, run_rdflib

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"


@pytest.fixture(scope="module")
def engines() -> tuple[ox.Store, rdflib.Dataset]:
    from hrkg.pipeline.assemble import assemble
    from hrkg.project import Project
    from hrkg.rdf import to_rdflib_dataset, to_store

    quads = assemble(Project(ROOT)).quads
    return to_store(quads), to_rdflib_dataset(quads)


def answer(engines: tuple[ox.Store, rdflib.Dataset], name: str, **params: str) -> Result:
    q = load_query(QUERIES / f"{name}.rq")
    a = run_oxigraph(engines[0], q, params)
    b = run_rdflib(engines[1], q, params)
    assert sorted(a.rows) == sorted(b.rows), f"{name} {params}: engines disagree"
    return a


def cells(result: Result, *columns: str) -> list[tuple[str, ...]]:
    index = [result.columns.index(c) for c in columns]
    return [tuple(row[i] for i in index) for row in result.rows]


def test_russian_officials_on_hamas(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    """04 for Russia about Hamas: Zakharova (for the MFA, about Hamas's armed formations),
    Bogdanov twice for Russia (to RIA before his Qatar trip, to TASS on 16 February 2024, both
    from cited reports), the article's Russian statement on the October 2023 visit (speaker
    Russia), and the Foreign Ministry's own account of the visit in Pravda.ru's report (a
    statement of its own: the two accounts differ, so they are not merged)."""
    result = answer(
        engines, "04-statements-by-members-about", organization="kg:russia", about="kg:hamas"
    )
    assert sorted(cells(result, "statement", "date", "speaker")) == [
        ("kg:statement-2023-10-14-maria-zakharova", "2023-10-14", "kg:maria-zakharova"),
        (
            "kg:statement-2023-10-26-russian-foreign-ministry-on-hamas-visit-topics",
            "",
            "kg:russian-foreign-ministry",
        ),
        (
            "kg:statement-2023-10-mikhail-bogdanov-ria-on-meeting-hamas-in-qatar",
            "",
            "kg:mikhail-bogdanov",
        ),
        (
            "kg:statement-2024-02-16-mikhail-bogdanov-tass-on-intra-palestinian-meeting",
            "2024-02-16",
            "kg:mikhail-bogdanov",
        ),
        ("kg:statement-russia-on-2023-10-26-hamas-visit", "", "kg:russia"),
    ]


def test_israeli_voices_on_hamas(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    """04 for Israel about Hamas: Azari for Israel, Israel's 2011 accusation, the IDF report, and
    the Israeli army's records of MANPADS with Hamas since 2012 (the article: "according to the
    Israeli army").
    "The same report" on Hamas's anti-tank weapons is not Israel's: its speaker is the unnamed
    report author (the article names neither the report nor its author)."""
    result = answer(
        engines, "04-statements-by-members-about", organization="kg:israel", about="kg:hamas"
    )
    assert sorted(cells(result, "statement", "speaker")) == [
        ("kg:statement-2008-12-30-anna-azari-echo-of-moscow", "kg:anna-azari"),
        ("kg:statement-2011-israel-accuses-russia-kornet-supply", "kg:israel"),
        ("kg:statement-idf-report-hamas-manpads", "kg:israel-defense-forces"),
        ("kg:statement-israeli-army-records-manpads-2012", "kg:israel-defense-forces"),
    ]


def test_no_claim_is_about_zakharova(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    assert answer(engines, "07-claims-about", actor="kg:maria-zakharova").rows == []


def test_profile_lists_what_zakharova_denied(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    result = answer(engines, "14-actor-profile", actor="kg:maria-zakharova")
    statement = "kg:statement-2023-10-14-maria-zakharova"
    stances = sorted(
        (p, o) for s, p, o in result.rows if s == statement and p in ("hrkg:asserts", "hrkg:denies")
    )
    assert stances == [
        ("hrkg:asserts", "kg:claim-nato-countries-seek-soviet-russian-weapons"),
        ("hrkg:asserts", "kg:claim-western-countries-spread-rumours-of-russian-supply"),
        ("hrkg:denies", "kg:claim-russia-helped-establish-arms-factory-in-gaza"),
        ("hrkg:denies", "kg:claim-russia-supplies-weapons-to-hamas-armed-formations"),
    ]
    wording = [
        o for s, p, o in result.rows if s == "kg:claim-russia-helped-establish-arms-factory-in-gaza"
    ]
    assert wording == [
        '"Russia assisted in establishing a factory in the Gaza Strip for the '
        'production of small arms, light weapons and ammunition."@en'
    ]


def test_what_russia_and_its_organs_said(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    """16 for Russia: the Kremlin, Peskov (his own remarks in Head Topics' report, not the
    article's Kremlin comment), the MFA and Bogdanov count; Azari (for Israel) and the unnamed
    'Russian point of view' do not."""
    result = answer(engines, "16-claims-by", actor="kg:russia")
    rows = set(cells(result, "speaker", "statement", "stance", "claim"))
    assert (
        "kg:maria-zakharova",
        "kg:statement-2023-10-14-maria-zakharova",
        "denied",
        "kg:claim-russia-supplies-weapons-to-hamas-armed-formations",
    ) in rows
    assert (
        "kg:kremlin",
        "kg:statement-kremlin-on-hamas-delegation-talks",
        "asserted",
        "kg:claim-no-plans-to-receive-hamas-leadership-at-presidency",
    ) in rows
    assert (
        "kg:dmitry-peskov",
        "kg:statement-2023-10-27-dmitry-peskov-on-hamas-delegation",
        "asserted",
        "kg:claim-hamas-delegation-met-foreign-ministry-not-putin",
    ) in rows
    assert ("kg:dmitry-peskov", "kg:statement-kremlin-on-hamas-delegation-talks") not in {
        r[:2] for r in rows
    }
    assert (
        "kg:russian-foreign-ministry",
        "kg:statement-russian-foreign-ministry-readiness-settlement",
        "asserted",
        "kg:claim-russia-ready-to-contribute-to-settlement",
    ) in rows
    assert (
        "kg:russia",
        "kg:statement-russia-stresses-palestinian-reconciliation",
        "",
        "",
    ) in rows
    assert "kg:statement-russian-view-on-mediation-path" not in {r[1] for r in rows}
    speakers = {r[0] for r in rows}
    assert speakers == {
        "kg:russia",
        "kg:kremlin",
        "kg:dmitry-peskov",
        "kg:russian-foreign-ministry",
        "kg:maria-zakharova",
        "kg:mikhail-bogdanov",
    }
    # Zakharova's confirmation of the visit (Pravda.ru) asserts no recorded claim: empty stance.
    assert {r[2] for r in rows if r[0] == "kg:maria-zakharova"} == {"asserted", "denied", ""}


def test_who_spoke_about_the_armed_formations(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    result = answer(engines, "17-who-spoke-about", about="kg:hamas-armed-formations")
    assert cells(result, "speaker", "onBehalfOf", "start") == [
        ("kg:maria-zakharova", "kg:russian-foreign-ministry", "2023-10-14"),
    ]


def test_contacts_the_other_way_round(engines: tuple[ox.Store, rdflib.Dataset]) -> None:
    """18 with the sides swapped gives the same events, with the parties swapped."""
    forward = answer(engines, "18-contacts-between", a="kg:hamas", b="kg:russia")
    backward = answer(engines, "18-contacts-between", a="kg:russia", b="kg:hamas")
    assert sorted(cells(backward, "event", "partyA", "partyB")) == sorted(
        cells(forward, "event", "partyB", "partyA")
    )
    assert answer(engines, "18-contacts-between", a="kg:israel", b="kg:hamas").rows == []
