"""Dereferencing the IRIs through `hrkg serve` (serve/linked_data.py): the site's page for a
browser, the resource's description as Turtle, N-Triples or JSON-LD for an RDF client (by
Accept or by suffix), `Vary: Accept` on every answer; and the site in headless Chromium.

The description is compared with a CONSTRUCT written here, by graph isomorphism.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import PROJECT, ROOT
from hrkg import rdf as ns
from hrkg.project import Project
from hrkg.publish.site import render_site
from hrkg.serve import server as serve
from hrkg.serve.linked_data import describe
from stores import chromium, require

QUERIES_DIR = PROJECT.queries_dir

KG = ns.KG
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
]

# Written by hand: a resource's description is its triples either way, its blank nodes, and
# its evidence with that evidence's selectors, from every graph but the inferred one.
DESCRIPTION = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH ?g {
    { BIND(<RESOURCE> AS ?s) ?s ?p ?o }
    UNION { BIND(<RESOURCE> AS ?o) ?s ?p ?o }
    UNION { <RESOURCE> ?any ?s . FILTER(isBlank(?s)) ?s ?p ?o }
    UNION { <RESOURCE> prov:wasDerivedFrom ?s . ?s ?p ?o }
    UNION { <RESOURCE> prov:wasDerivedFrom ?e . ?e oa:hasSelector ?s . ?s ?p ?o }
  }
  FILTER(?g != <https://w3id.org/hrkg/graph/inferred>)
}
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hrkg.pipeline.assemble import assemble
    from hrkg.rdf import to_store

    out = tmp_path_factory.mktemp("ld") / "dist"
    out.mkdir()
    quads = assemble(Project(ROOT)).quads
    # an inferred graph, as the build has, that the description must leave out
    inferred = ox.NamedNode(ns.GRAPH_INFERRED)
    quads.append(
        ox.Quad(
            ox.NamedNode(KG + "hamas"),
            ox.NamedNode(ns.HRKG + "note"),
            ox.Literal("inferred, not described"),
            inferred,
        )
    )
    store = to_store(quads, out / "store")
    render_site(store, out, PROJECT.sources_dir)
    del store
    return out


@pytest.fixture(scope="module")
def endpoint(dist: Path) -> Iterator[str]:
    config = serve.ServerConfig(
        store=dist / "store", queries=QUERIES_DIR, timeout=10.0, limit=100_000, workers=1
    )
    server, _thread = serve.start_in_thread(config)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        serve.stop(server)


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def expected(dist: Path, iri: str) -> rdflib.Graph:
    store = ox.Store.read_only(str(dist / "store"))
    answer = store.query(DESCRIPTION.replace("RESOURCE", iri))
    assert isinstance(answer, ox.QueryTriples)
    triples = list(answer)
    assert len(triples) > 5
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


@pytest.mark.parametrize(
    "slug", ["hamas", "designation-russia-hamas", "statement-2023-10-14-maria-zakharova"]
)
def test_turtle_is_exactly_the_description(endpoint: str, dist: Path, slug: str) -> None:
    status, headers, body = get(f"{endpoint}/id/{slug}", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert headers["Vary"] == "Accept"
    answer = rdflib.Graph().parse(data=body.decode(), format="turtle")
    assert isomorphic(answer, expected(dist, KG + slug))
    assert (None, rdflib.URIRef(ns.HRKG + "note"), None) not in answer  # not the inferred graph


def test_suffixes_and_formats(endpoint: str, dist: Path) -> None:
    want = expected(dist, KG + "designation-russia-hamas")
    for suffix, rdflib_format in ((".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")):
        status, headers, body = get(f"{endpoint}/id/designation-russia-hamas{suffix}")
        assert status == 200, suffix
        assert headers["Vary"] == "Accept"
        assert isomorphic(rdflib.Graph().parse(data=body.decode(), format=rdflib_format), want)
    status, headers, body = get(f"{endpoint}/id/hamas", "application/ld+json")
    assert status == 200 and headers["Content-Type"] == "application/ld+json"
    assert json.loads(body)


def test_browsers_get_the_page(endpoint: str, dist: Path) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = get(f"{endpoint}/id/hamas", browser)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Vary"] == "Accept"
    assert body == (dist / "site" / "id" / "hamas.html").read_bytes()
    assert get(f"{endpoint}/id/hamas.html")[2] == body
    assert get(f"{endpoint}/id/hamas")[2] == body  # no Accept: the page
    status, _, page = get(f"{endpoint}/vocab/designation-status/not-designated", browser)
    assert status == 200 and b"not designated" in page


def test_site_pages_dumps_and_refusals(endpoint: str, dist: Path) -> None:
    assert get(f"{endpoint}/timeline.html")[0] == 200
    assert get(f"{endpoint}/index.html")[2] == (dist / "site" / "index.html").read_bytes()
    assert get(f"{endpoint}/static/site.css")[1]["Content-Type"].startswith("text/css")
    assert get(f"{endpoint}/")[0] == 200  # the query page stays at /
    assert get(f"{endpoint}/id/no-such-thing", "text/turtle")[0] == 404
    assert get(f"{endpoint}/id/no-such-thing")[0] == 404
    assert get(f"{endpoint}/id/hamas", "image/png")[0] == 406
    assert get(f"{endpoint}/static/../../store/CURRENT")[0] == 404
    assert get(f"{endpoint}/id/..%2F..%2Fstore%2FCURRENT")[0] == 404


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("*/*", "text/html"),
        ("", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/ld+json;q=0.9, text/turtle", "text/turtle"),
        ("text/html;q=0, */*", "text/turtle"),
        ("text/plain", "application/n-triples"),
        ("application/json", "application/ld+json"),
        ("image/png", None),
    ],
)
def test_negotiation(accept: str, media: str | None) -> None:
    from hrkg.serve.linked_data import choose

    assert choose("/id/hamas", accept) == ("/id/hamas", media)
    assert choose("/id/hamas.nt", "text/html") == ("/id/hamas", "application/n-triples")


def test_describe_is_sorted_and_complete_for_a_statement(dist: Path) -> None:
    store = ox.Store.read_only(str(dist / "store"))
    triples = describe(store, KG + "statement-2023-10-14-maria-zakharova")
    assert triples == sorted(
        triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )
    exacts = [t for t in triples if t.predicate.value == "http://www.w3.org/ns/oa#exact"]
    # its eleven evidence spans, each with its words: nine in the article, two in the M24 report
    assert len(exacts) == 11
    assert describe(store, KG + "no-such-thing") == []


# --- the site in headless Chromium ---------------------------------------------------------


def browse(url: str, *extra: str) -> str:
    binary = chromium()
    require(None if binary else "chromium (apt-get install chromium)", "Chromium")
    assert binary is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [binary, *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, url],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout


def screenshot(url: str, name: str, tmp_path: Path, height: int = 1600) -> Path:
    """HRKG_SCREENSHOT_DIR=/some/folder keeps the screenshots to look at."""
    folder = Path(os.environ.get("HRKG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"{name}.png"
    browse(url, f"--window-size=1280,{height}", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    return shot


@pytest.mark.browser
def test_hamas_page_in_chromium_lists_russias_non_designation(
    endpoint: str, tmp_path: Path
) -> None:
    dom = browse(f"{endpoint}/id/hamas", "--dump-dom")
    section = dom[dom.index('id="designatedActor"') :]
    at = section.index("Designation by Russia of Hamas")
    row = section[at : section.index("</tr>", at)]
    assert ">not designated</a>" in row
    screenshot(f"{endpoint}/id/hamas", "actor-hamas", tmp_path, 2400)


def item(dom: str, slug: str) -> str:
    """The <li> … </li> of one timeline item in a page's DOM."""
    at = dom.index(f'data-iri="{KG}{slug}"')
    start = dom.rindex("<li", 0, at)
    return dom[start : dom.index("</li>", at)]


@pytest.mark.browser
def test_timeline_in_chromium_has_the_visit_as_a_point_and_qatar_talks_bounded(
    endpoint: str, tmp_path: Path
) -> None:
    """The visit has a day: a point. The Qatar talks were 'a few days ago' in an undated
    passage: only the upper bound is known, so they are listed with one bound, never placed
    on a day or given an invented start (issue 10 removed the old lower bound). The Moscow
    meeting, from 29 February and not after 2 March 2024, is a range."""
    dom = browse(f"{endpoint}/timeline.html?actor=mikhail-bogdanov", "--dump-dom")
    visit = item(dom, "visit-2023-10-26-hamas-delegation-moscow")
    assert visit.startswith('<li class="item point') and "26 October 2023" in visit
    # "a few days ago" before the visit: an upper bound, no earliest date (none is recorded)
    qatar = item(dom, "talks-2023-10-mikhail-bogdanov-hamas-qatar")
    assert qatar.startswith('<li class="item open')
    assert "not after 26 October 2023" in qatar and "not before" not in qatar
    meeting = item(dom, "meeting-2024-02-29-moscow-palestinian-factions")
    assert meeting.startswith('<li class="item range')
    # the script filtered by ?actor=: Bogdanov took part in the talks, not in the visit
    assert qatar.startswith('<li class="item open"')
    assert visit.startswith('<li class="item point hidden"')
    screenshot(f"{endpoint}/timeline.html", "timeline", tmp_path, 1800)


@pytest.mark.browser
def test_search_in_chromium_finds_zakharova(endpoint: str, tmp_path: Path) -> None:
    dom = browse(f"{endpoint}/search.html?q=Zakharova", "--dump-dom")
    # the name is carried by the person, her position, her statements of 14 and 26 October
    # 2023, and the M24 report of 14 October 2023 (a cited source document)
    assert 'data-shown="5"' in dom and "5 of " in dom
    entry = dom[dom.rindex("<li", 0, dom.index('href="id/maria-zakharova.html"')) :]
    assert "hidden" not in entry[: entry.index(">")]
    hamas = dom[dom.rindex("<li", 0, dom.index('href="id/hamas.html"')) :]
    assert "hidden" in hamas[: hamas.index(">")]


@pytest.mark.browser
def test_screenshots_of_a_statement_and_the_network(endpoint: str, tmp_path: Path) -> None:
    screenshot(f"{endpoint}/id/statement-2023-10-14-maria-zakharova", "statement", tmp_path, 2000)
    screenshot(f"{endpoint}/network.html", "network", tmp_path, 1300)
