"""The JSON-LD dump reads back to exactly the quads of the N-Quads dump, and is reproducible."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from hrkg.publish.jsonld import write_jsonld
from hrkg.rdf import quad_sort_key

KG = "https://w3id.org/hrkg/id/"
HRKG = "https://w3id.org/hrkg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
GRAPH = ox.NamedNode("https://w3id.org/hrkg/graph/source/sample")

# Terms that a careless writer gets wrong: lexical forms a JSON number or boolean would
# re-spell, xsd:string next to a language tag, characters JSON escapes, blank nodes as
# subject, object and class, a literal class, IRIs outside every prefix or whose suffix
# starts with //, a list, several values of one property, and the default graph.
SAMPLE = f"""
<{KG}a> <{RDF}type> <{HRKG}Person> <{GRAPH.value}> .
<{KG}a> <{RDF}type> <{HRKG}Agent> <{GRAPH.value}> .
<{KG}a> <{RDF}type> _:cls <{GRAPH.value}> .
<{KG}a> <{RDF}type> "not a class" <{GRAPH.value}> .
<{KG}a> <{HRKG}count> "01"^^<{XSD}integer> <{GRAPH.value}> .
<{KG}a> <{HRKG}flag> "1"^^<{XSD}boolean> <{GRAPH.value}> .
<{KG}a> <{HRKG}day> "2024-03-02"^^<{XSD}date> <{GRAPH.value}> .
<{KG}a> <{HRKG}label> "Hamas" <{GRAPH.value}> .
<{KG}a> <{HRKG}label> "Hamas"@en <{GRAPH.value}> .
<{KG}a> <{HRKG}label> "Хамас"@ru <{GRAPH.value}> .
<{KG}a> <{HRKG}note> "quote \\" backslash \\\\ newline \\n tab \\t" <{GRAPH.value}> .
<{KG}a> <{HRKG}note> "" <{GRAPH.value}> .
<{KG}a> <{HRKG}custom> "x"^^<http://example.org/type> <{GRAPH.value}> .
<{KG}a> <http://example.org/p> <http://example.org/o> <{GRAPH.value}> .
<{KG}a> <{HRKG}odd> <{KG}//not-relative> <{GRAPH.value}> .
<{KG}a> <{HRKG}members> _:l1 <{GRAPH.value}> .
_:l1 <{RDF}first> <{KG}b> <{GRAPH.value}> .
_:l1 <{RDF}rest> _:l2 <{GRAPH.value}> .
_:l2 <{RDF}first> "two" <{GRAPH.value}> .
_:l2 <{RDF}rest> <{RDF}nil> <{GRAPH.value}> .
_:cls <{RDF}type> <http://www.w3.org/2002/07/owl#Class> <{GRAPH.value}> .
<{KG}b> <{HRKG}label> "in the default graph" .
<{KG}b> <{HRKG}label> "and in the inferred one" <https://w3id.org/hrkg/graph/inferred> .
"""


def sample_quads() -> list[ox.Quad]:
    quads = ox.parse(SAMPLE.encode(), format=ox.RdfFormat.N_QUADS)
    return sorted(quads, key=quad_sort_key)


def read_back(path: Path) -> set[ox.Quad]:
    return set(ox.parse(path=str(path), format=ox.RdfFormat.JSON_LD))


def test_every_term_reads_back_as_written(tmp_path: Path) -> None:
    quads = sample_quads()
    path = tmp_path / "sample.jsonld"
    write_jsonld(quads, path)
    json.loads(path.read_text("utf-8"))  # one JSON document
    assert read_back(path) == set(quads)


def test_rdflib_reads_the_same_graphs(tmp_path: Path) -> None:
    quads = sample_quads()
    path, nq = tmp_path / "sample.jsonld", tmp_path / "sample.nq"
    write_jsonld(quads, path)
    ox.serialize(quads, str(nq), ox.RdfFormat.N_QUADS)
    ours, reference = rdflib.Dataset(), rdflib.Dataset()
    ours.parse(path, format="json-ld")
    reference.parse(nq, format="nquads")
    for graph in reference.graphs():
        assert isomorphic(ours.graph(graph.identifier), graph), graph.identifier


def test_an_iri_that_would_read_back_as_a_compact_iri_is_refused(tmp_path: Path) -> None:
    quad = ox.Quad(ox.NamedNode("kg:not-an-http-iri"), ox.NamedNode(HRKG + "p"), ox.Literal("x"))
    with pytest.raises(ValueError, match="kg:not-an-http-iri"):
        write_jsonld([quad], tmp_path / "bad.jsonld")


def test_the_dump_holds_exactly_the_quads_of_the_n_quads_dump(fixture_build: Path) -> None:
    nquads = set(ox.parse(path=str(fixture_build / "hrkg.nq"), format=ox.RdfFormat.N_QUADS))
    assert len({q.graph_name for q in nquads}) >= 5  # ontology, vocab, entities, source, inferred
    assert read_back(fixture_build / "hrkg.jsonld") == nquads


def test_the_file_does_not_depend_on_the_process(tmp_path: Path) -> None:
    """rdflib's writer emitted nodes in hash order; ours must give the same bytes whatever
    the hash seed of the process."""
    quads = tmp_path / "in.nq"
    ox.serialize(sample_quads(), str(quads), ox.RdfFormat.N_QUADS)
    script = (
        "import sys, pyoxigraph as ox; from pathlib import Path; "
        "from hrkg.publish.jsonld import write_jsonld; "
        "write_jsonld(ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_QUADS), Path(sys.argv[2]))"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}.jsonld"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(quads), str(out)], check=True, env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
