"""`hrkg docs`: render human-readable HTML documentation of the ontology and its vocabularies.

The ontology page is made by pyLODE's OntPub profile, each SKOS scheme gets a pyLODE VocPub page,
and a plain overview page lists every scheme with its concepts. pyLODE is fed a derived copy of
the ontology, never the source file: external-term declarations are left out (they would be
listed as if they were ours), and what pyLODE does not display — rdfs:comment kept apart from
the definition, disjointness, inverses, the property chain, Wikidata mappings — is turned into
notes it does display.

rdflib and pyLODE are imported inside the functions, so `hrkg --help` stays fast.
"""

from __future__ import annotations

import html
import re
import sys
import types
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrkg import rdf as ns
from hrkg.rdf import DCTERMS, OWL, SKOS, disjoint_pairs

if TYPE_CHECKING:
    import rdflib


VOCAB_PAGE = "vocabularies.html"
"""The overview page of all SKOS schemes, next to index.html."""


def import_pylode() -> Any:
    """Import pyLODE around two packaging faults of 3.4.x.

    pylode/version.py reads a pyproject.toml that the wheel does not ship (RDFLib/pyLODE#260),
    so a stand-in module gives the installed version instead; and importing pyLODE calls
    logging.basicConfig(level=DEBUG), so the root logger is put back as it was.
    """
    import importlib.metadata
    import logging

    if "pylode.version" not in sys.modules:
        stub = types.ModuleType("pylode.version")
        stub.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = stub
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import pylode
        import pylode.profiles.ontpub
        import pylode.profiles.vocpub
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    share_background_ontologies(pylode.profiles.ontpub, pylode.profiles.vocpub)
    return pylode


def share_background_ontologies(*profiles: types.ModuleType) -> None:
    """Load pyLODE's background ontologies once per process instead of once per page.

    Each OntPub/VocPub page unpickles the same background graph (about 0.2 s each, two
    thirds of rendering eleven pages); the pages only read it, so one copy serves all.
    """
    import functools

    for profile in profiles:
        loader = profile.load_background_onts
        if not isinstance(loader, functools._lru_cache_wrapper):
            profile.load_background_onts = functools.cache(loader)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- derived graph for OntPub


def _label(graph: rdflib.Graph, term: rdflib.term.Node) -> str:
    import rdflib

    for label in graph.objects(term, rdflib.RDFS.label):
        if isinstance(label, rdflib.Literal) and (label.language or "en") == "en":
            return str(label)
    text = str(term)
    return re.split(r"[#/]", text)[-1] or text


def _scheme_links(text: str, scheme_titles: dict[str, str]) -> str:
    """Turn scheme IRIs in a note into markdown links to the scheme's page."""
    for iri in sorted(scheme_titles, key=len, reverse=True):
        slug = iri.rsplit("/", 1)[-1]
        text = re.sub(
            re.escape(iri) + r"(?![\w/-])", f"[{scheme_titles[iri]}](vocab/{slug}.html)", text
        )
    return text


def _disjoint_partners(graph: rdflib.Graph) -> dict[rdflib.term.Node, set[rdflib.term.Node]]:
    """For each class, the classes the ontology declares disjoint with it."""
    import rdflib

    partners: dict[rdflib.term.Node, set[rdflib.term.Node]] = defaultdict(set)
    for a, b in disjoint_pairs(graph):
        partners[rdflib.URIRef(a)].add(rdflib.URIRef(b))
        partners[rdflib.URIRef(b)].add(rdflib.URIRef(a))
    return partners


def documentation_graph(ontology: rdflib.Graph, scheme_titles: dict[str, str]) -> rdflib.Graph:
    """The graph pyLODE renders: the ontology's own terms, with extra facts as notes."""
    import rdflib

    owl = rdflib.Namespace(OWL)
    skos = rdflib.Namespace(SKOS)
    rdfs = rdflib.RDFS
    doc = rdflib.Graph()
    for prefix, namespace in ontology.namespace_manager.namespaces():
        doc.bind(prefix, namespace, override=True)

    ontology_iris = set(ontology.subjects(rdflib.RDF.type, owl.Ontology))

    def own(node: rdflib.term.Node) -> bool:
        return isinstance(node, rdflib.URIRef) and str(node).startswith(ns.HRKG)

    dropped = {rdfs.comment, rdfs.isDefinedBy, skos.closeMatch, skos.exactMatch}
    functional = owl.FunctionalProperty
    for s, p, o in sorted(ontology):  # pyLODE lists terms in insertion order: make it A-Z
        if isinstance(s, rdflib.BNode) or s in ontology_iris:
            doc.add((s, p, o))
        elif own(s) and p not in dropped and not (p == rdflib.RDF.type and o == functional):
            doc.add((s, p, o))  # functional: a note instead of pyLODE's duplicate section

    partners = _disjoint_partners(ontology)
    for term in sorted({s for s in ontology.subjects() if own(s)}, key=str):
        notes = term_notes(ontology, term, scheme_titles, partners.get(term, set()))
        if notes:
            doc.add((term, skos.note, rdflib.Literal("\n\n".join(notes), lang="en")))

    if scheme_titles:
        links = ", ".join(
            f"[{title}](vocab/{iri.rsplit('/', 1)[-1]}.html)"
            for iri, title in sorted(scheme_titles.items(), key=lambda x: x[1])
        )
        note = (
            f"The values of several properties are SKOS concepts: see the "
            f"[overview of all vocabularies]({VOCAB_PAGE}) and the schemes {links}."
        )
        for iri in ontology_iris:
            doc.add((iri, skos.note, rdflib.Literal(note, lang="en")))
    return doc


def term_notes(
    ontology: rdflib.Graph,
    term: rdflib.term.Node,
    scheme_titles: dict[str, str],
    disjoint: set[rdflib.term.Node],
) -> list[str]:
    """What pyLODE would not show of a term: comments, inverses, chains, disjointness, links."""
    import rdflib
    from rdflib.collection import Collection

    owl = rdflib.Namespace(OWL)
    skos = rdflib.Namespace(SKOS)
    comments = ontology.objects(term, rdflib.RDFS.comment)
    notes = [_scheme_links(str(c), scheme_titles) for c in comments]
    inverses = [*ontology.objects(term, owl.inverseOf), *ontology.subjects(owl.inverseOf, term)]
    notes += [f"Inverse of *{_label(ontology, inverse)}*." for inverse in inverses]
    for chain in ontology.objects(term, owl.propertyChainAxiom):
        steps = " then ".join(f"*{_label(ontology, p)}*" for p in Collection(ontology, chain))
        notes.append(f"Inferred by the OWL property chain {steps}.")
    if (term, rdflib.RDF.type, owl.FunctionalProperty) in ontology:
        notes.append("Functional: at most one value per subject.")
    if disjoint:
        names = sorted(_label(ontology, c) for c in disjoint)
        notes.append("Disjoint with " + ", ".join(f"*{n}*" for n in names) + ".")
    for prop, kind in ((skos.exactMatch, "exact"), (skos.closeMatch, "close")):
        for target in sorted(ontology.objects(term, prop), key=str):
            qid = str(target).rsplit("/", 1)[-1]
            notes.append(f"Wikidata {kind} match: [{qid}]({target}).")
    return notes


# ---------------------------------------------------------------- vocabularies overview


def _text(graph: rdflib.Graph, node: rdflib.term.Node, prop: str) -> str:
    import rdflib

    values = sorted(
        str(v)
        for v in graph.objects(node, rdflib.URIRef(prop))
        if isinstance(v, rdflib.Literal) and (v.language or "en") == "en"
    )
    return values[0] if values else ""


def vocabularies_page(schemes: list[tuple[str, rdflib.Graph]], ontology_title: str) -> str:
    """A plain HTML page: every scheme with its definition and a table of its concepts."""
    import rdflib

    skos = rdflib.Namespace(SKOS)
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>SKOS vocabularies — {esc(ontology_title)}</title>",
        "<style>",
        "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}",
        "h1,h2{color:#005A9C} table{border-collapse:collapse;width:100%;margin-bottom:2em}",
        "th,td{border:1px solid #ccc;padding:.4em .6em;text-align:left;vertical-align:top}",
        "th{background:#eef3f8} code{color:#900;font-size:.9em} nav a{margin-right:1em}",
        "</style></head><body>",
        f'<nav><a href="index.html">{esc(ontology_title)}</a></nav>',
        "<h1>SKOS vocabularies</h1>",
        "<p>Concept schemes whose concepts are the values of the ontology's properties.</p>",
        "<ul>",
    ]
    ordered = []
    for slug, graph in schemes:
        for scheme in graph.subjects(rdflib.RDF.type, skos.ConceptScheme):
            ordered.append(
                (
                    slug,
                    graph,
                    scheme,
                    _text(graph, scheme, SKOS + "prefLabel")
                    or _text(graph, scheme, DCTERMS + "title")
                    or slug,
                )
            )
    ordered.sort(key=lambda item: item[3])
    for slug, _graph, _scheme, title in ordered:
        parts.append(f'<li><a href="#{esc(slug)}">{esc(title)}</a></li>')
    parts.append("</ul>")
    for slug, graph, scheme, title in ordered:
        concepts = sorted(
            graph.subjects(rdflib.RDF.type, skos.Concept),
            key=lambda c: _text(graph, c, SKOS + "prefLabel"),
        )
        parts += [
            f'<h2 id="{esc(slug)}">{esc(title)}</h2>',
            f"<p>{esc(_text(graph, scheme, SKOS + 'definition'))}</p>",
            f"<p>Scheme <code>{esc(str(scheme))}</code> — "
            f'<a href="vocab/{esc(slug)}.html">full page</a></p>',
            "<table><tr><th>concept</th><th>definition</th><th>IRI</th></tr>",
        ]
        for concept in concepts:
            label = _text(graph, concept, SKOS + "prefLabel")
            alt = ", ".join(sorted(str(a) for a in graph.objects(concept, skos.altLabel)))
            shown = esc(label) + (f" <small>({esc(alt)})</small>" if alt else "")
            parts.append(
                f"<tr><td>{shown}</td>"
                f"<td>{esc(_text(graph, concept, SKOS + 'definition'))}</td>"
                f"<td><code>{esc(str(concept))}</code></td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- entry point


class DocsError(Exception):
    """pyLODE could not document a file; the message names it."""


def render_docs(ontology_ttl: Path, vocab_files: list[Path], out_dir: Path) -> Path:
    """Render the ontology to out_dir/index.html, each scheme to out_dir/vocab/<scheme>.html and
    the overview of all schemes to out_dir/vocabularies.html; return the index path."""
    import rdflib

    pylode = import_pylode()
    ontology = rdflib.Graph().parse(ontology_ttl, format="turtle")
    schemes: list[tuple[str, rdflib.Graph]] = []
    scheme_titles: dict[str, str] = {}
    skos = rdflib.Namespace(SKOS)
    for path in sorted(vocab_files):
        graph = rdflib.Graph().parse(path, format="turtle")
        graph.bind("hv", ns.VOCAB)  # the scheme IRIs' namespace; pyLODE would say "ns1"
        schemes.append((path.stem, graph))
        for scheme in graph.subjects(rdflib.RDF.type, skos.ConceptScheme):
            scheme_titles[str(scheme)] = _text(graph, scheme, SKOS + "prefLabel") or path.stem

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "vocab").mkdir(exist_ok=True)
    index = out_dir / "index.html"
    try:
        page = pylode.OntPub(documentation_graph(ontology, scheme_titles)).make_html()
    except Exception as err:  # pyLODE raises plain Exceptions for graphs it cannot use
        raise DocsError(f"{ontology_ttl}: pyLODE cannot document it: {err}") from None
    index.write_text(page, encoding="utf-8")
    for slug, graph in schemes:
        try:
            html_text = pylode.VocPub(graph).make_html()
        except Exception as err:
            path = next(p for p in vocab_files if p.stem == slug)
            raise DocsError(f"{path}: pyLODE cannot document it: {err}") from None
        back = f'<a href="../index.html">ontology</a> · <a href="../{VOCAB_PAGE}">vocabularies</a>'
        html_text = html_text.replace('<div id="content">', f'<div id="content"><p>{back}</p>', 1)
        (out_dir / "vocab" / f"{slug}.html").write_text(html_text, encoding="utf-8")
    title = _text(
        ontology,
        next(
            iter(ontology.subjects(rdflib.RDF.type, rdflib.OWL.Ontology)),
            rdflib.URIRef(ns.ONTOLOGY_IRI),
        ),
        DCTERMS + "title",
    )
    (out_dir / VOCAB_PAGE).write_text(
        vocabularies_page(schemes, title or "hrkg ontology"), encoding="utf-8"
    )
    return index


def docs_key(inputs: list[Path]) -> str:
    """A digest of everything the pages depend on: inputs, renderer code and pyLODE version."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(version("pylode").encode())
    for path in [*inputs, Path(__file__)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def render_docs_worker(ontology: Path, vocab: list[Path], out: Path) -> Path:
    """render_docs in a worker process: returns the folder it wrote."""
    render_docs(ontology, vocab, out)
    return out
