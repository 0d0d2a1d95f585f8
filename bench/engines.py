"""The engine comparison of `make bench-scale`: SHACL engines and closure engines on one input.

`prepare` writes a scaled project's parsed input once (N-Triples and the shapes as Turtle);
`python bench/engines.py ENGINE WORKDIR` runs one engine on it in its own process (so the
runner measures its CPU and memory and can stop it at a budget) and prints one JSON line:
the number of results, and a digest of them so the table can say whether two engines agree.

SHACL results are compared as (focus node, severity, constraint component); closures as the
kept inferences (`new_own_triples`, as the build keeps them). Blank nodes are written `_:`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SH = "http://www.w3.org/ns/shacl#"
JAVA_DIR = Path("/usr/share/java")
SHACL_ENGINES = ("pyshacl", "pyshacl-turbo", "jena", "pyrudof")
CLOSURE_ENGINES = ("owlrl", "rules", "reasonable")


class Unavailable(Exception):
    """The engine is not installed here; the message says what is missing."""


def prepare(project: Path, work: Path) -> int:
    """Write WORK/{data,ontology,merged,all}.nt and shapes.ttl from the project; returns the
    number of input triples. `data` is what the build validates, `merged` adds the ontology
    (for engines without an ontology-graph option), `all` is the closure's input."""
    import pyoxigraph as ox

    from hrkg import rdf as ns
    from hrkg.pipeline.assemble import assemble, parse_shapes
    from hrkg.project import Project

    work.mkdir(parents=True, exist_ok=True)
    quads = assemble(Project(project)).quads
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    ontology = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in quads
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == ns.GRAPH_ONTOLOGY
    ]
    data = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in quads
        if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == ns.GRAPH_ONTOLOGY)
    ]
    for name, part in (("data", data), ("ontology", ontology), ("all", triples)):
        ox.serialize(part, str(work / f"{name}.nt"), format=ox.RdfFormat.N_TRIPLES)
    merged = sorted({*data, *ontology}, key=str)
    ox.serialize(merged, str(work / "merged.nt"), format=ox.RdfFormat.N_TRIPLES)
    parse_shapes(Project(project)).serialize(work / "shapes.ttl", format="turtle")
    return len(triples)


def digest(lines: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:12]


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def node_text(node: object) -> str:
    import rdflib

    return "_:" if isinstance(node, rdflib.BNode) else str(node)


def report_keys(report: Any) -> list[str]:
    """(focus, severity, component) of every result of an rdflib SHACL report graph."""
    import rdflib

    sh = rdflib.Namespace(SH)
    keys = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        severity = report.value(result, sh.resultSeverity)
        component = report.value(result, sh.sourceConstraintComponent)
        keys.append(f"{node_text(focus)} {local(str(severity))} {local(str(component))}")
    return keys


def graph_of(path: Path) -> Any:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(path, format="nt" if path.suffix == ".nt" else "turtle")
    return graph


def run_pyshacl(work: Path) -> list[str]:
    """As the build calls it: pyshacl on the core shapes, SHACL-SPARQL in pyoxigraph."""
    from hrkg.pipeline.shacl import shacl_validate

    results = shacl_validate(
        graph_of(work / "data.nt"), graph_of(work / "ontology.nt"), graph_of(work / "shapes.ttl")
    )
    return [
        f"{'_:' if r.focus.startswith('_:') else r.focus} {r.severity} {local(r.component)}"
        for r in results
    ]


def run_pyshacl_turbo(work: Path) -> list[str]:
    try:
        import pyshacl_turbo
    except ImportError:
        raise Unavailable("pyshacl-turbo not installed (pip install '.[bench]')") from None
    _conforms, report, _text = pyshacl_turbo.validate(
        graph_of(work / "data.nt"),
        shacl_graph=graph_of(work / "shapes.ttl"),
        ont_graph=graph_of(work / "ontology.nt"),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
        inplace=False,
    )
    return report_keys(report)


def jena_classpath(work: Path) -> str:
    """Debian's Jena jars as tests/stores builds them, plus jena-shacl."""
    sys.path.insert(0, str(ROOT / "tests"))
    from stores.engines import JENA_JARS, jena_resource_shim

    jars = [str(JAVA_DIR / f"{name}.jar") for name in (*JENA_JARS, "jena-shacl")]
    missing = [j for j in jars if not Path(j).exists()]
    if missing or not shutil.which("java"):
        raise Unavailable("Jena's jars or java missing (apt-get install libapache-jena-java)")
    return ":".join([*jars, str(jena_resource_shim(work))])


def run_jena(work: Path) -> list[str]:
    """Jena SHACL 4.5's `shacl validate` command class on the merged data."""
    import rdflib

    command = [
        "java",
        "-Xmx8g",
        "-cp",
        jena_classpath(work),
        "shacl.shacl",
        "validate",
        "--shapes",
        str(work / "shapes.ttl"),
        "--data",
        str(work / "merged.nt"),
    ]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode("utf-8", "replace")[-1000:])
    report = rdflib.Graph()
    report.parse(data=done.stdout.decode("utf-8"), format="turtle")
    return report_keys(report)


def run_pyrudof(work: Path) -> list[str]:
    try:
        import pyrudof
    except ImportError:
        raise Unavailable("pyrudof not installed (pip install '.[bench]')") from None
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(work / "merged.nt"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(str(work / "shapes.ttl"))
    report = rudof.validate_shacl()
    keys = []
    for entry in report.violations:
        focus = str(entry.focus_node)
        focus = "_:" if focus.startswith("_:") else focus.strip("<>")
        keys.append(
            f"{focus} {local(str(entry.severity))} {local(str(entry.constraint_component))}"
        )
    return keys


def nt_bytes(path: Path) -> bytes:
    return path.read_bytes()


def kept_lines(nt: bytes) -> list[str]:
    return [line for line in nt.decode("utf-8").splitlines() if line.strip()]


def run_owlrl(work: Path) -> list[str]:
    """The build's closure worker, in this process."""
    from hrkg.pipeline.reason import closure_worker

    inferred, _clashes = closure_worker(nt_bytes(work / "all.nt"), nt_bytes(work / "ontology.nt"))
    return kept_lines(inferred)


def run_rules(work: Path) -> list[str]:
    from hrkg.pipeline.reason_rules import rules_worker

    inferred, _clashes = rules_worker(nt_bytes(work / "all.nt"), nt_bytes(work / "ontology.nt"))
    return kept_lines(inferred)


def run_reasonable(work: Path) -> list[str]:
    """`reasonable` on the closure's input (as the build filters it), kept as the build keeps."""
    try:
        import reasonable
    except ImportError:
        raise Unavailable("reasonable not installed (pip install '.[bench]')") from None
    import pyoxigraph as ox
    import rdflib

    from hrkg.pipeline.reason import new_own_triples, reasoning_input
    from hrkg.rdf import from_rdflib

    base, ontology = graph_of(work / "all.nt"), graph_of(work / "ontology.nt")
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(reasoning_input(base, ontology))
    expanded = rdflib.Graph()
    string = rdflib.XSD.string
    for s, p, o in reasoner.reason():
        if isinstance(o, rdflib.Literal) and o.datatype == string:  # it types plain literals
            o = rdflib.Literal(str(o))
        expanded.add((s, p, o))
    kept = [
        ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
        for s, p, o in new_own_triples(base, expanded)
    ]
    return kept_lines(ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES) or b"")


RUNNERS: dict[str, Callable[[Path], list[str]]] = {
    "pyshacl": run_pyshacl,
    "pyshacl-turbo": run_pyshacl_turbo,
    "jena": run_jena,
    "pyrudof": run_pyrudof,
    "owlrl": run_owlrl,
    "rules": run_rules,
    "reasonable": run_reasonable,
}


def main(argv: list[str]) -> int:
    """`engines.py ENGINE WORKDIR`: one JSON line with the result count and digest; the
    results themselves into WORKDIR/ENGINE.keys."""
    engine, work = argv[0], Path(argv[1])
    try:
        keys = RUNNERS[engine](work)
    except Unavailable as err:
        print(json.dumps({"unavailable": str(err)}))
        return 0
    (work / f"{engine}.keys").write_text("\n".join(sorted(keys)) + "\n", encoding="utf-8")
    print(json.dumps({"results": len(keys), "digest": digest(keys)}))
    return 0


def difference(work: Path, engine: str, reference: str) -> str:
    """How an engine's results differ from the reference's: missing and extra, as multisets."""
    from collections import Counter

    def keys(name: str) -> Counter[str]:
        path = work / f"{name}.keys"
        return (
            Counter(path.read_text(encoding="utf-8").splitlines()) if path.exists() else Counter()
        )

    mine, theirs = keys(engine), keys(reference)
    missing, extra = sum((theirs - mine).values()), sum((mine - theirs).values())
    if not missing and not extra:
        return "yes"
    return f"no: {missing} missing, {extra} extra"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
