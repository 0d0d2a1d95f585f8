"""The SHACL shapes (shapes/*.ttl) fire exactly where they should, and nowhere else.

Fixtures live in tests/shapes/ and are validated together with tests/shapes/_base.ttl, a small
graph that conforms on its own:

- `<ShapeId>-valid.ttl` must conform with no result at all (no warning either).
- `<ShapeId>-invalid-NN.ttl` starts with two comment lines

      # Invalid: <reason>
      # Expect: <focus> <path or -> <shape> <Violation|Warning> <component>

  and must produce exactly that one result. Terms are <full IRIs> or prefixed names declared in
  the fixture; a path is an IRI, `^p` (inverse), `p/q` (sequence) or `(p|q)` (alternatives);
  <shape> is the result's sh:sourceConstraint for SPARQL constraints, else its sh:sourceShape,
  and its local name is the fixture's <ShapeId>; <component> is the constraint component
  without its namespace and "ConstraintComponent" (MinCount, Class, SPARQL …).

Validation runs as the build runs it (docs/design.md): pyshacl, inference off, the ontology
and vocabularies merged in as ont_graph. The shapes graph is checked against SHACL's own shapes
(meta-SHACL) once, when it is loaded, so a malformed shape fails every test loudly; repeating
that check per fixture would cost over a second each and could not find anything new.

Note that pyshacl copies only RDFS/OWL axioms from ont_graph into the data graph, never
instances: the vocabularies' concepts are checked by test_vocabularies_conform, as data.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pyshacl
import pyshacl.errors
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_FILES = [
    ROOT / "ontology" / "hrkg.ttl",
    *sorted((ROOT / "ontology" / "vocab").glob("*.ttl")),
]
FIXTURES = Path(__file__).parent / "shapes"
BASE = FIXTURES / "_base.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
HRKGSH = "https://w3id.org/hrkg/shapes#"

INVALID_NAME = re.compile(r"^(?P<shape>.+)-invalid-\d{2}\.ttl$")
TERM = re.compile(r"<(?P<iri>[^>]*)>|[A-Za-z][\w-]*:[\w.-]*")

# The constraint parameters the shapes use, and the component each one belongs to. A parameter
# missing here fails test_every_constraint_has_an_invalid_fixture, so new kinds get noticed.
COMPONENT_OF: dict[Node, str] = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.datatype: "Datatype",
    SH["class"]: "Class",
    SH["in"]: "In",
    SH.languageIn: "LanguageIn",
    SH.nodeKind: "NodeKind",
    SH.pattern: "Pattern",
    SH["or"]: "Or",
    SH.minInclusive: "MinInclusive",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH.qualifiedMinCount: "QualifiedMinCount",
    SH.qualifiedMaxCount: "QualifiedMaxCount",
}
NOT_CONSTRAINTS = {
    RDF.type,
    SH.path,
    SH.message,
    SH.severity,
    SH.targetClass,
    SH.target,
    SH.property,
    SH.sparql,
    SH.qualifiedValueShape,
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}


class FixtureError(Exception):
    """A fixture that cannot be used: it does not parse, or its header is malformed."""


class Result(NamedTuple):
    """One validation result, IRIs in <angle brackets> so that it compares with an Expect line."""

    focus: str
    path: str
    shape: str
    severity: str
    component: str
    message: str = ""

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.focus, self.path, self.shape, self.severity, self.component)


# --------------------------------------------------------------------------- graphs


@cache
def shapes_graph() -> Graph:
    """All of shapes/*.ttl, after a meta-SHACL check that raises on a malformed shape."""
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    pyshacl.validate(Graph(), shacl_graph=graph, meta_shacl=True)
    return graph


@cache
def ontology_graph() -> Graph:
    graph = Graph()
    for path in ONTOLOGY_FILES:
        graph.parse(path, format="turtle")
    return graph


def parse(path: Path, into: Graph) -> None:
    """Parse Turtle, turning any parser failure into a FixtureError (never a pass)."""
    try:
        into.parse(path, format="turtle")
    except Exception as error:  # rdflib raises several exception types for bad syntax
        raise FixtureError(f"{path.name} does not parse: {error}") from error


def validate(data: Graph, ontology: Graph | None = None) -> list[Result]:
    """Validate with the build's own validator (pyshacl for the core constraints, the project's
    SPARQL-constraint evaluator for sh:sparql); meta-SHACL already ran in shapes_graph."""
    from hrkg.pipeline.shacl import shacl_validate

    results = shacl_validate(
        data, ontology_graph() if ontology is None else ontology, shapes_graph()
    )
    return sorted(
        Result(
            focus=f"<{r.focus}>",
            path=r.path if r.path[:1] in ("<", "^", "(") else (f"<{r.path}>" if r.path else "-"),
            shape=f"<{r.source_constraint or r.source_shape}>",
            severity=r.severity,
            component=r.component.removesuffix("ConstraintComponent"),
            message=r.message,
        )
        for r in results
    )


# --------------------------------------------------------------------------- fixtures


def read_header(path: Path) -> tuple[str, list[str]]:
    """The reason and the Expect fields of an invalid fixture."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if (
        len(lines) < 2
        or not lines[0].startswith("# Invalid: ")
        or not lines[1].startswith("# Expect: ")
    ):
        raise FixtureError(f"{path.name}: the first lines must be '# Invalid: …' and '# Expect: …'")
    fields = lines[1].removeprefix("# Expect: ").split()
    if len(fields) != 5 or fields[3] not in {"Violation", "Warning"}:
        raise FixtureError(
            f"{path.name}: Expect needs <focus> <path|-> <shape> <Violation|Warning> <component>"
        )
    return lines[0].removeprefix("# Invalid: "), fields


def expand(text: str, graph: Graph) -> str:
    """Replace prefixed names (declared in the fixture) by <full IRIs>."""

    def one(match: re.Match[str]) -> str:
        if match.group("iri") is not None:
            return match.group(0)
        try:
            return f"<{graph.namespace_manager.expand_curie(match.group(0))}>"
        except ValueError as error:
            raise FixtureError(f"unknown prefix in Expect: {match.group(0)}") from error

    return TERM.sub(one, text)


def load(path: Path) -> Graph:
    """The fixture plus the shared base graph."""
    data = Graph()
    parse(BASE, data)
    parse(path, data)
    return data


def expected_result(path: Path) -> tuple[Result, Graph]:
    """The one result an invalid fixture announces, and the fixture's data."""
    _reason, fields = read_header(path)
    data = load(path)
    focus, result_path, shape, severity, component = fields
    expected = Result(
        expand(focus, data), expand(result_path, data), expand(shape, data), severity, component
    )
    return expected, data


def invalid_fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*-invalid-*.ttl"))


def valid_fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*-valid.ttl"))


# --------------------------------------------------------------------------- the shapes graph


def node_shapes() -> set[Node]:
    """The shapes with targets (sh:targetClass, or a SHACL-AF sh:target)."""
    graph = shapes_graph()
    return set(graph.subjects(SH.targetClass, None)) | set(graph.subjects(SH.target, None))


def property_shapes() -> set[Node]:
    """The property shapes of node shapes (shapes nested in parameters belong to their parent)."""
    graph = shapes_graph()
    return {p for shape in node_shapes() for p in graph.objects(shape, SH.property)}


def sparql_constraints() -> set[Node]:
    return set(shapes_graph().objects(None, SH.sparql))


def constraints() -> set[tuple[str, str]]:
    """Every (shape, component) pair in shapes/, SPARQL constraints as (constraint, 'SPARQL')."""
    graph = shapes_graph()
    found = set()
    for shape in property_shapes() | node_shapes():
        for parameter in set(graph.predicates(shape, None)) - NOT_CONSTRAINTS:
            component = COMPONENT_OF.get(parameter)
            assert component, f"{shape}: add {parameter} to COMPONENT_OF in {Path(__file__).name}"
            found.add((f"<{shape}>", component))
    found |= {(f"<{c}>", "SPARQL") for c in sparql_constraints()}
    return found


# --------------------------------------------------------------------------- tests


def test_shapes_pass_meta_shacl() -> None:
    assert len(shapes_graph()) > 0  # shapes_graph() raises if a shape is malformed


def test_meta_shacl_catches_a_malformed_shape() -> None:
    broken = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        '<urn:x:S> a sh:NodeShape ; sh:minCount "one" .\n',
        format="turtle",
    )
    with pytest.raises(pyshacl.errors.ReportableRuntimeError):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True)


def test_base_graph_conforms() -> None:
    data = Graph()
    parse(BASE, data)
    assert validate(data) == []


def test_vocabularies_conform() -> None:
    """The concept schemes as data (pyshacl's ont_graph would not show their concepts)."""
    vocab = Graph()
    for path in ONTOLOGY_FILES[1:]:
        parse(path, vocab)
    ontology = Graph()
    parse(ONTOLOGY_FILES[0], ontology)
    assert len(set(vocab.subjects(RDF.type, SKOS.Concept))) >= 50
    assert validate(vocab, ontology) == []


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in valid_fixtures()])
def test_valid_fixture_conforms(path: Path) -> None:
    results = validate(load(path))
    assert results == [], "\n".join(f"{r.key()} {r.message}" for r in results)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in invalid_fixtures()])
def test_invalid_fixture_gives_exactly_its_result(path: Path) -> None:
    expected, data = expected_result(path)
    name = INVALID_NAME.match(path.name)
    assert name and expected.shape == f"<{HRKGSH}{name['shape']}>", (
        f"{path.name} is named after another shape than {expected.shape}"
    )
    results = validate(data)
    assert [r.key() for r in results] == [expected.key()], "\n".join(
        f"{r.key()} {r.message}" for r in results
    )
    assert "{?" not in results[0].message and "{$" not in results[0].message


def sparql_fixtures() -> list[Path]:
    """Invalid fixtures of SPARQL constraints (read from their Expect line) and valid fixtures."""
    sparql = [p for p in invalid_fixtures() if read_header(p)[1][4] == "SPARQL"]
    return sparql + valid_fixtures()


def test_every_constraint_has_an_invalid_fixture() -> None:
    covered = set()
    for path in invalid_fixtures():
        expected, _data = expected_result(path)
        covered.add((expected.shape, expected.component))
    missing = sorted(constraints() - covered)
    assert not missing, "constraints without an invalid fixture:\n" + "\n".join(
        f"{shape} {component}" for shape, component in missing
    )


def test_every_node_shape_has_a_valid_fixture() -> None:
    names = {p.name.removesuffix("-valid.ttl") for p in valid_fixtures()}
    missing = sorted(str(s).removeprefix(HRKGSH) for s in node_shapes())
    missing = [name for name in missing if name not in names]
    assert not missing, f"node shapes without a <ShapeId>-valid.ttl: {missing}"


def test_every_constraint_has_a_message_and_a_severity() -> None:
    graph = shapes_graph()
    lacking = []
    carriers = property_shapes() | {
        s for s in node_shapes() if set(graph.predicates(s, None)) - NOT_CONSTRAINTS
    }
    for shape in carriers | sparql_constraints():
        messages = list(graph.objects(shape, SH.message))
        if (
            len(messages) != 1
            or not isinstance(messages[0], Literal)
            or messages[0].language != "en"
        ):
            lacking.append(f"{shape}: needs one sh:message@en")
    for shape in carriers | set(graph.subjects(SH.sparql, None)):
        if graph.value(shape, SH.severity) not in {SH.Violation, SH.Warning}:
            lacking.append(f"{shape}: needs sh:severity sh:Violation or sh:Warning")
    assert not lacking, "\n".join(sorted(lacking))


def test_shapes_are_named_and_used_once() -> None:
    """Named IRIs in hrkgsh:, and each property shape in one node shape, so no result doubles."""
    graph = shapes_graph()
    named = node_shapes() | property_shapes() | sparql_constraints()
    unnamed = [s for s in named if not (isinstance(s, URIRef) and s.startswith(HRKGSH))]
    assert not unnamed, f"shapes that need an hrkgsh: IRI: {unnamed}"
    for shape in property_shapes() | sparql_constraints():
        users = list(graph.subjects(SH.property, shape)) + list(graph.subjects(SH.sparql, shape))
        assert len(users) == 1, f"{shape} is used by {users}"


def test_concept_lists_match_the_vocabularies() -> None:
    """Every sh:in list of concepts is exactly the concepts of one scheme, so neither drifts."""
    graph, vocab = shapes_graph(), ontology_graph()
    checked = 0
    for shape, members in graph.subject_objects(SH["in"]):
        listed = {str(m) for m in Collection(graph, members)}
        schemes = {vocab.value(URIRef(m), SKOS.inScheme) for m in listed}
        assert len(schemes) == 1 and None not in schemes, f"{shape}: {listed} are not one scheme"
        in_scheme = {str(c) for c in vocab.subjects(SKOS.inScheme, schemes.pop())}
        if shape in property_shapes():  # a whole property's values; nested lists may pick some
            assert listed == in_scheme, f"{shape}: {sorted(listed ^ in_scheme)} differ from scheme"
            checked += 1
    assert checked >= 10


def test_unparsable_fixture_is_an_error_not_a_pass(tmp_path: Path) -> None:
    broken = tmp_path / "ResourceShape-invalid-99.ttl"
    broken.write_text(
        "# Invalid: not Turtle\n"
        "# Expect: kg:x - hrkgsh:ResourceShape Violation Pattern\n"
        "@prefix kg: <https://w3id.org/hrkg/id/> .\n"
        "kg:x a a a .\n",
        encoding="utf-8",
    )
    with pytest.raises(FixtureError, match="does not parse"):
        expected_result(broken)


def test_fixture_without_header_is_an_error(tmp_path: Path) -> None:
    headless = tmp_path / "ResourceShape-invalid-98.ttl"
    headless.write_text("@prefix kg: <https://w3id.org/hrkg/id/> .\n", encoding="utf-8")
    with pytest.raises(FixtureError, match="first lines"):
        expected_result(headless)
