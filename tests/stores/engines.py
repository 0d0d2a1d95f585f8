"""Real SPARQL engines side by side: start, bulk-load, query, normalise, stop.

Used by the server tests and by the portability matrix (`python -m stores.engines matrix`):
every stored query must give the same answers on rdflib, pyoxigraph, Oxigraph server,
Virtuoso 7 and Apache Jena (TDB2). Servers are started on 127.0.0.1 on free ports, each
in its own temporary folder, and stopped by the PID this module started — never by name.

Results from every engine are brought to one normal form (`Result`) so that lexical
differences that mean the same thing (plain vs xsd:string literals, "typed-literal",
numeric types, blank-node labels, upper-case language tags, SELECT * column order) do not
count as differences, while real ones (missing or duplicated rows) do.
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
NUMERIC_TYPES = {
    XSD + name
    for name in (
        "integer",
        "decimal",
        "float",
        "double",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
ENGINE_NAMES = ("rdflib", "pyoxigraph", "oxigraph-server", "virtuoso", "jena")

# Differences between engines that are real but unavoidable, keyed by (query file stem,
# engine). Each needs a reason; docs/triple-stores.md lists them. Empty means: none known.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    ("17-who-spoke-about", "virtuoso"): (
        "Virtuoso 7.2.5 loses rows of the one-or-more path over organs and units "
        "((org:unitOf|org:subOrganizationOf|hrkg:organOf)+) joined with org:linkedTo"
    ),
    ("18-contacts-between", "virtuoso"): (
        "crashes Virtuoso 7.2.5 on the one-or-more paths over organs inside UNIONs (as 04 did "
        "before its two sides became DISTINCT sub-selects)"
    ),
}


class EngineUnavailable(RuntimeError):
    """The engine's software is not installed on this machine."""


class EngineError(RuntimeError):
    """The engine failed to start, load or answer."""


# ---------------------------------------------------------------------------------------
# Normalised results


Cell = str  # canonical text of one RDF term ("" for unbound)


@dataclass(frozen=True)
class Result:
    """A query answer in a normal form that can be compared across engines.

    `rows` keep the engine's order; `columns` are sorted names (SELECT * orders columns
    differently per engine). ASK answers have `boolean`; CONSTRUCT/DESCRIBE answers have
    one row (subject, predicate, object) per triple and columns s, p, o.
    """

    kind: str  # "select", "ask" or "graph"
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    boolean: bool | None = None

    def as_multiset(self) -> list[tuple[Cell, ...]]:
        return sorted(self.rows)

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def canonical_number(lexical: str) -> str | None:
    """One spelling per numeric value: 2, 2.0, 2.00 and 2.0E0 all become "2"."""
    try:
        number = Decimal(lexical.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return str(number)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{float(number):.10g}"


def canonical_literal(value: str, datatype: str | None, language: str | None) -> Cell:
    """Canonical text of a literal; numeric types collapse to one `numeric` kind."""
    if language:
        return f'"{value}"@{language.lower()}'
    if datatype in (None, "", XSD + "string"):
        return f'"{value}"'
    if datatype in NUMERIC_TYPES:
        number = canonical_number(value)
        if number is not None:
            return f'"{number}"^^numeric'
    if datatype == XSD + "boolean":
        return '"true"^^bool' if value.strip() in ("true", "1") else '"false"^^bool'
    return f'"{value}"^^<{datatype}>'


def cell_from_json(binding: dict[str, Any] | None) -> Cell:
    """A SPARQL 1.1 JSON results term (or Virtuoso's older "typed-literal") as a Cell."""
    if not binding:
        return ""
    kind = binding.get("type")
    value = str(binding.get("value", ""))
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:"
    datatype = binding.get("datatype")
    language = binding.get("xml:lang")
    if datatype == RDF_LANGSTRING and not language:
        datatype = None
    return canonical_literal(value, datatype, language)


def result_from_json(data: dict[str, Any]) -> Result:
    """Normalise a SPARQL 1.1 Query Results JSON document."""
    if "boolean" in data:
        return Result("ask", boolean=bool(data["boolean"]))
    names = sorted(data.get("head", {}).get("vars", []))
    rows = tuple(
        tuple(cell_from_json(b.get(name)) for name in names)
        for b in data.get("results", {}).get("bindings", [])
    )
    return Result("select", tuple(names), rows)


def cell_from_oxigraph(term: Any) -> Cell:
    """A pyoxigraph term as a Cell."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal):
        return canonical_literal(term.value, term.datatype.value, term.language)
    return str(term)


def result_from_oxigraph(answer: Any) -> Result:
    """Normalise what `pyoxigraph.Store.query` returned."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = sorted(v.value for v in answer.variables)
        rows = tuple(
            tuple(cell_from_oxigraph(solution[name]) for name in names) for solution in answer
        )
        return Result("select", tuple(names), rows)
    return graph_result(
        (
            cell_from_oxigraph(t.subject),
            cell_from_oxigraph(t.predicate),
            cell_from_oxigraph(t.object),
        )
        for t in answer
    )


def cell_from_rdflib(term: Any) -> Cell:
    """An rdflib term as a Cell."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return canonical_literal(str(term), datatype, term.language)
    return str(term)


def result_from_rdflib(answer: Any) -> Result:
    """Normalise an `rdflib.query.Result`."""
    if answer.type == "ASK":
        return Result("ask", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        names = sorted(str(v) for v in answer.vars)
        rows = tuple(tuple(cell_from_rdflib(row[name]) for name in names) for row in answer)
        return Result("select", tuple(names), rows)
    return graph_result(
        (cell_from_rdflib(s), cell_from_rdflib(p), cell_from_rdflib(o)) for s, p, o in answer
    )


def graph_result(triples: Iterable[tuple[Cell, Cell, Cell]]) -> Result:
    """A CONSTRUCT/DESCRIBE answer as a set of rows (graphs have no duplicates)."""
    return Result("graph", ("o", "p", "s"), tuple(sorted({(o, p, s) for s, p, o in triples})))


def graph_result_from_turtle(data: bytes) -> Result:
    """Normalise a Turtle / N-Triples graph answer."""
    import pyoxigraph as ox

    triples = ox.parse(data, ox.RdfFormat.TURTLE)
    return graph_result(
        (
            cell_from_oxigraph(t.subject),
            cell_from_oxigraph(t.predicate),
            cell_from_oxigraph(t.object),
        )
        for t in triples
    )


# ---------------------------------------------------------------------------------------
# Query text: form, ORDER BY keys


def strip_comments(query: str) -> str:
    """The query without `#` comments (keeps `#` inside IRIs and strings)."""
    out = []
    for line in query.splitlines():
        in_iri = in_str = False
        quote = ""
        cut = len(line)
        for index, char in enumerate(line):
            if in_str:
                if char == quote and line[index - 1] != "\\":
                    in_str = False
            elif in_iri:
                in_iri = char != ">"
            elif char in "\"'":
                in_str, quote = True, char
            elif char == "<" and re.match(r"<[^\s<>\"{}|^`]*>", line[index:]):
                in_iri = True
            elif char == "#":
                cut = index
                break
        out.append(line[:cut])
    return "\n".join(out)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword after the prologue."""
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", strip_comments(query), re.I)
    if not match:
        raise ValueError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return match.group(1).upper()


def order_keys(query: str) -> list[str] | None:
    """Variables of the outermost ORDER BY, or None when the query is unordered.

    Returns [] when the ORDER BY uses expressions: then whole rows are compared in order.
    """
    text = strip_comments(query)
    matches = list(re.finditer(r"\bORDER\s+BY\b", text, re.I))
    if not matches:
        return None
    tail = text[matches[-1].end() :]
    tail = re.split(r"\b(LIMIT|OFFSET|VALUES)\b|\}", tail, maxsplit=1, flags=re.I)[0]
    keys = re.findall(r"(?:ASC|DESC)?\s*\(?\s*[?$](\w+)\s*\)?", tail, re.I)
    leftover = re.sub(r"(?:ASC|DESC)?\s*\(?\s*[?$]\w+\s*\)?", "", tail, flags=re.I).strip()
    return [] if leftover else keys


def compare(reference: Result, other: Result, ordered_by: list[str] | None) -> str | None:
    """None when `other` gives the same answer as `reference`, else why not."""
    if reference.kind != other.kind:
        return f"result kind {other.kind} != {reference.kind}"
    if reference.kind == "ask":
        return None if reference.boolean == other.boolean else f"ASK {other.boolean}"
    if reference.columns != other.columns:
        return f"columns {other.columns} != {reference.columns}"
    if reference.as_multiset() != other.as_multiset():
        return describe_row_difference(reference, other)
    if ordered_by is None or reference.kind == "graph":
        return None
    if not ordered_by:
        same = reference.rows == other.rows
        return None if same else "same rows in a different order"
    for name in ordered_by:
        if name in reference.columns and reference.column(name) != other.column(name):
            return f"rows not in the same ORDER BY ?{name} sequence"
    return None


def describe_row_difference(reference: Result, other: Result) -> str:
    """A short account of missing and extra rows (with counts, so duplicates show)."""
    from collections import Counter

    want, got = Counter(reference.rows), Counter(other.rows)
    missing, extra = want - got, got - want
    parts = [f"{len(other.rows)} rows vs {len(reference.rows)}"]
    if missing:
        parts.append(f"missing {sum(missing.values())}, e.g. {next(iter(missing))}")
    if extra:
        parts.append(f"extra {sum(extra.values())}, e.g. {next(iter(extra))}")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------
# Processes and ports


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


_STARTED: list[subprocess.Popen[bytes]] = []


def start_process(
    command: Sequence[str], log: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a server process, remember its PID so that it is stopped even on failure."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
        )
    _STARTED.append(proc)
    return proc


def stop_process(proc: subprocess.Popen[bytes] | None, grace: float = 10.0) -> None:
    """Stop one process we started: SIGTERM, then SIGKILL after `grace` seconds."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    if proc in _STARTED:
        _STARTED.remove(proc)


@atexit.register
def _stop_leftovers() -> None:
    for proc in list(_STARTED):
        stop_process(proc, grace=3.0)


def wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float, what: str, log: Path
) -> None:
    """Poll `ready()` until true; fail early if the process died, or after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise EngineError(f"{what} exited with {proc.returncode}: {tail(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise EngineError(f"{what} did not start within {timeout:.0f} s: {tail(log)}")


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(200 <= response.status < 300)
    except (OSError, urllib.error.URLError):
        return False


def http_sparql(
    url: str, query: str, accept: str, extra: Sequence[tuple[str, str]] = (), timeout: float = 120.0
) -> bytes:
    """POST a query with the SPARQL 1.1 Protocol (form-encoded) and return the body."""
    body = urllib.parse.urlencode([("query", query), *extra]).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as err:
        detail = err.read()[:500].decode("utf-8", "replace")
        raise EngineError(f"HTTP {err.code} from {url}: {detail}") from err


def graphs_in_dump(dump: Path) -> list[str]:
    """The named graphs of an N-Quads or TriG dump."""
    import pyoxigraph as ox

    return sorted(
        {
            q.graph_name.value
            for q in ox.parse(path=str(dump))
            if isinstance(q.graph_name, ox.NamedNode)
        }
    )


# ---------------------------------------------------------------------------------------
# Engines


@dataclass
class Engine:
    """One engine holding one dataset. Subclasses load a dump and answer queries."""

    name: str = "engine"
    load_seconds: float = 0.0
    query_seconds: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def available(cls) -> str | None:
        """None when the engine can run here, else what is missing."""
        return None

    def start(self) -> None:
        """Start the server (no-op for embedded engines)."""

    def stop(self) -> None:
        """Stop the server (no-op for embedded engines)."""

    def load(self, dump: Path) -> None:
        started = time.perf_counter()
        self._load(dump)
        self.load_seconds = time.perf_counter() - started

    def query(self, text: str, label: str = "") -> Result:
        started = time.perf_counter()
        result = self._query(text)
        self.query_seconds.setdefault(label or "query", []).append(time.perf_counter() - started)
        return result

    def _load(self, dump: Path) -> None:
        raise NotImplementedError

    def _query(self, text: str) -> Result:
        raise NotImplementedError


@dataclass
class RdflibEngine(Engine):
    """rdflib Dataset with `default_union=True` (the union of all named graphs)."""

    name: str = "rdflib"
    dataset: Any = None

    def _load(self, dump: Path) -> None:
        import rdflib

        self.dataset = rdflib.Dataset(default_union=True)
        self.dataset.parse(str(dump), format="nquads" if dump.suffix == ".nq" else "trig")

    def _query(self, text: str) -> Result:
        return result_from_rdflib(self.dataset.query(text))


@dataclass
class PyoxigraphEngine(Engine):
    """Embedded pyoxigraph store, queried with `use_default_graph_as_union=True`."""

    name: str = "pyoxigraph"
    store: Any = None

    def _load(self, dump: Path) -> None:
        import pyoxigraph as ox

        self.store = ox.Store()
        self.store.bulk_load(path=str(dump))

    def _query(self, text: str) -> Result:
        return result_from_oxigraph(self.store.query(text, use_default_graph_as_union=True))


def oxigraph_binary() -> str | None:
    """The `oxigraph` server binary of the PyPI package (next to this Python first)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@dataclass
class OxigraphServer(Engine):
    """`oxigraph serve --union-default-graph` on 127.0.0.1; bulk load with `oxigraph load`."""

    name: str = "oxigraph-server"
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hrkg-oxi-")))
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @classmethod
    def available(cls) -> str | None:
        return None if oxigraph_binary() else "the `oxigraph` binary (pip install oxigraph)"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def gsp_url(self) -> str:
        return self.base + "/store"

    def start(self) -> None:
        binary = oxigraph_binary()
        if not binary:
            raise EngineUnavailable(str(self.available()))
        self.port = free_port()
        log = self.workdir / "server.log"
        self.proc = start_process(
            [
                binary,
                "serve",
                "--location",
                str(self.workdir / "db"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
                "--timeout-s",
                "60",
            ],
            log,
        )
        ask = self.query_url + "?query=" + urllib.parse.quote("ASK {}")
        wait_until(lambda: http_ok(ask), self.proc, 30, "oxigraph serve", log)

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None

    def _load(self, dump: Path) -> None:
        """Bulk load needs the database closed: stop, `oxigraph load`, start again."""
        binary = oxigraph_binary()
        if not binary:
            raise EngineUnavailable(str(self.available()))
        running = self.proc is not None
        self.stop()
        done = subprocess.run(
            [binary, "load", "--location", str(self.workdir / "db"), "--file", str(dump)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise EngineError(f"oxigraph load failed: {done.stderr[-2000:]}")
        if running:
            self.start()

    def _query(self, text: str) -> Result:
        return http_query(self.query_url, text)


def http_query(url: str, text: str, extra: Sequence[tuple[str, str]] = ()) -> Result:
    """Run a query on a SPARQL 1.1 Protocol endpoint and normalise the answer."""
    if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
        return graph_result_from_turtle(http_sparql(url, text, "text/turtle", extra))
    return result_from_json(
        json.loads(http_sparql(url, text, "application/sparql-results+json", extra))
    )


VIRTUOSO_INI = """\
; Written by hrkg.engines for a throw-away test instance: 127.0.0.1 only, free ports.
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
; the bulk loader (ld_dir) only reads files below these folders
DirsAllowed = ., {dir}, {load_dir}
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
MaxQueryMem = 500M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 5
ServerThreads = 5
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
; the packaged default is 10000 rows, silently truncating larger answers
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
"""


@dataclass
class VirtuosoServer:
    """One `virtuoso-t` process with its own small virtuoso.ini in a temporary folder.

    Several `VirtuosoEngine`s (one per dataset) can share it: each queries with the
    SPARQL protocol's default-graph-uri / named-graph-uri set to its own graphs, since
    Virtuoso's implicit default graph also holds its system graphs (virtrdf:, ldp:).
    """

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hrkg-vt-")))
    sql_port: int = 0
    http_port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    user: str = "dba"
    password: str = "dba"  # the fresh test database's built-in default; never a real secret

    @classmethod
    def available(cls) -> str | None:
        missing = [b for b in ("virtuoso-t", "isql-vt") if not shutil.which(b)]
        return f"{', '.join(missing)} (apt-get install virtuoso-opensource)" if missing else None

    @property
    def load_dir(self) -> Path:
        return self.workdir / "load"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        """Needs digest authentication (dba) for SPARQL Update."""
        return self.base + "/sparql-auth"

    @property
    def gsp_url(self) -> str:
        """The Graph Store Protocol endpoint; needs digest authentication (dba)."""
        return self.base + "/sparql-graph-crud-auth"

    def start(self) -> None:
        if self.available():
            raise EngineUnavailable(str(self.available()))
        self.sql_port, self.http_port = free_port(), free_port()
        self.load_dir.mkdir(parents=True, exist_ok=True)
        ini = self.workdir / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(
                dir=self.workdir,
                load_dir=self.load_dir,
                sql_port=self.sql_port,
                http_port=self.http_port,
            )
        )
        log = self.workdir / "stdout.log"
        self.proc = start_process(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)], log, cwd=self.workdir
        )
        ask = self.query_url + "?query=" + urllib.parse.quote("ASK {}")
        wait_until(lambda: http_ok(ask), self.proc, 90, "virtuoso-t", log)

    def stop(self) -> None:
        stop_process(self.proc, grace=20.0)
        self.proc = None

    def isql(self, sql: str, timeout: float = 600.0) -> str:
        """Run SQL through isql-vt; raise on an error message in its output."""
        done = subprocess.run(
            [
                "isql-vt",
                f"127.0.0.1:{self.sql_port}",
                self.user,
                self.password,
                "VERBOSE=OFF",
                "BANNER=OFF",
                f"exec={sql}",
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = done.stdout + done.stderr
        if done.returncode or re.search(r"\*\*\* Error|SQLState", output):
            raise EngineError(f"isql failed: {output[-2000:]}")
        return output

    def bulk_load(self, dump: Path) -> None:
        """Virtuoso's bulk loader: ld_dir registers the file, rdf_loader_run loads it.

        The file must sit below a DirsAllowed folder. N-Quads carry their own graphs; the
        graph argument of ld_dir is only the fallback for triples files.
        """
        folder = self.load_dir / f"{len(list(self.load_dir.iterdir()))}"
        folder.mkdir()
        shutil.copy(dump, folder / dump.name)
        self.isql(
            f"ld_dir('{folder}', '{dump.name}', 'urn:hrkg:unused'); rdf_loader_run(); checkpoint;"
        )
        where = f"ll_file LIKE '{folder}/%'"
        loaded = self.isql(
            f"SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE {where}"
            " AND ll_state = 2 AND ll_error IS NULL;"
        ).strip()
        if loaded != "1":
            errors = self.isql(
                f"SELECT ll_file, ll_state, ll_error FROM DB.DBA.LOAD_LIST WHERE {where};"
            )
            raise EngineError(f"Virtuoso bulk loader did not finish {dump.name}: {errors}")


@dataclass
class VirtuosoEngine(Engine):
    """A dataset bulk-loaded into a (possibly shared) Virtuoso server."""

    name: str = "virtuoso"
    server: VirtuosoServer | None = None
    graphs: list[str] = field(default_factory=list)

    @classmethod
    def available(cls) -> str | None:
        return VirtuosoServer.available()

    def _load(self, dump: Path) -> None:
        """Replace (not add to) the dump's graphs, as the other engines start empty."""
        assert self.server is not None
        self.graphs = graphs_in_dump(dump)
        self.server.isql(" ".join(f"SPARQL CLEAR GRAPH <{g}>;" for g in self.graphs))
        self.server.bulk_load(dump)

    def dataset_params(self) -> list[tuple[str, str]]:
        return [("default-graph-uri", g) for g in self.graphs] + [
            ("named-graph-uri", g) for g in self.graphs
        ]

    def _query(self, text: str) -> Result:
        assert self.server is not None
        return http_query(self.server.query_url, text, self.dataset_params())


JENA_JARS = (
    # Jena 4.5 modules
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-tdb",
    "jena-tdb2",
    # their dependencies as Debian packages them
    "commons-lang3",
    "commons-io",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-cli",
    "dexx.collection",
    "guava",
    "gson",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "titanium-json-ld",
    "jakarta.json-api",
    "httpclient",
    "httpcore",
    "thrift",
    "protobuf",
    "slf4j-api",
    "slf4j-nop",
)
JAVA_DIR = Path("/usr/share/java")


def jena_resource_shim(folder: Path) -> Path:
    """Work around Debian's jena-core 4.5 packaging: its Xerces classes were moved from
    org.apache.jena.ext.xerces to xerces, but their message bundles were not, so the first
    XSD datatype fails with "internal error". Copy the bundles to where the classes look,
    into a small jar (a jar, not a folder, so that the class-data-sharing archive works).
    """
    shim = folder / "jena-xerces-shim.jar"
    if shim.exists():
        return shim
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar, zipfile.ZipFile(shim, "w") as out:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                out.writestr(name[len(prefix) :], jar.read(name))
    return shim


def jena_classpath(folder: Path) -> str:
    """A hand-built classpath: Debian's Jena jars, their dependencies and the shim."""
    jars = [str(JAVA_DIR / f"{name}.jar") for name in JENA_JARS]
    return ":".join([*jars, str(jena_resource_shim(folder))])


@dataclass
class JenaEngine(Engine):
    """Apache Jena TDB2 through its command classes (Debian ships no Fuseki).

    `tdb2.tdbloader` bulk-loads; `tdb2.tdbquery --set tdb:unionDefaultGraph=true` answers,
    one JVM per query (about half a second each with a class-data-sharing archive).
    """

    name: str = "jena"
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hrkg-jena-")))

    @classmethod
    def available(cls) -> str | None:
        missing = [n for n in JENA_JARS if not (JAVA_DIR / f"{n}.jar").exists()]
        if not shutil.which("java"):
            missing.insert(0, "java")
        if missing:
            return f"{', '.join(missing[:4])} (apt-get install libapache-jena-java)"
        return None

    def java(
        self, main: str, *args: str, fast_start: bool = False, timeout: float = 600.0
    ) -> subprocess.CompletedProcess[bytes]:
        """Run a Jena command class. `fast_start` trades peak speed for start-up time
        (C1 only, plus a class-data-sharing archive written by the first such run)."""
        if self.available():
            raise EngineUnavailable(str(self.available()))
        flags = ["-Xmx1g", "-Dfile.encoding=UTF-8"]
        if fast_start:
            archive = self.workdir / "jena-classes.jsa"
            flags += [
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-Xlog:disable",
                f"-XX:SharedArchiveFile={archive}"
                if archive.exists()
                else f"-XX:ArchiveClassesAtExit={archive}",
            ]
        command = ["java", *flags, "-cp", jena_classpath(self.workdir), main, *args]
        done = subprocess.run(command, capture_output=True, timeout=timeout)
        if done.returncode:
            raise EngineError(f"{main} failed: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
        return done

    def _load(self, dump: Path) -> None:
        self.java("tdb2.tdbloader", "--loc", str(self.workdir / "tdb2"), str(dump))

    def _query(self, text: str) -> Result:
        query_file = self.workdir / "query.rq"
        query_file.write_text(text, "utf-8")
        graph = query_form(text) in ("CONSTRUCT", "DESCRIBE")
        done = self.java(
            "tdb2.tdbquery",
            "--loc",
            str(self.workdir / "tdb2"),
            "--set",
            "tdb:unionDefaultGraph=true",
            "--results",
            "ttl" if graph else "json",
            "--query",
            str(query_file),
            fast_start=True,
        )
        if graph:
            return graph_result_from_turtle(done.stdout)
        return result_from_json(json.loads(done.stdout))


# ---------------------------------------------------------------------------------------
# Stored queries and the portability matrix


@dataclass(frozen=True)
class StoredQuery:
    """A queries/*.rq file, read by hrkg.sparql, with its parameters' defaults bound into
    the text (`text`) so that every engine, server or embedded, gets the same query."""

    path: Path
    title: str
    question: str
    params: tuple[str, ...]
    online_only: bool
    needs_inferred: bool
    original: str
    text: str

    @property
    def name(self) -> str:
        return self.path.stem


def load_stored_query(path: Path) -> StoredQuery:
    """Read and check a stored query with hrkg's catalog; bind its parameter defaults."""
    from hrkg.queries.catalog import load_query
    from hrkg.queries.inline import with_defaults

    query = load_query(path)
    return StoredQuery(
        path=path,
        title=query.title,
        question=query.question,
        params=tuple(
            f"{p.name} = {p.default} ({p.kind})" if p.default else f"{p.name} ({p.kind})"
            for p in query.params
        ),
        online_only=query.online_only,
        needs_inferred=query.needs_inferred,
        original=query.text,
        text=with_defaults(query),
    )


def discover_queries(folder: Path) -> list[StoredQuery]:
    return [load_stored_query(p) for p in sorted(folder.glob("*.rq"))]


ENGINE_CLASSES: dict[str, type[Engine]] = {
    "rdflib": RdflibEngine,
    "pyoxigraph": PyoxigraphEngine,
    "oxigraph-server": OxigraphServer,
    "virtuoso": VirtuosoEngine,
    "jena": JenaEngine,
}


@dataclass
class MatrixCell:
    status: str  # "same", "differs", "allowed", "error", "n/a"
    detail: str = ""


def run_matrix(
    dump: Path,
    queries: list[StoredQuery],
    engines: Sequence[str],
    reference: str = "pyoxigraph",
    log: Callable[[str], None] = lambda _: None,
) -> tuple[dict[str, dict[str, MatrixCell]], dict[str, Engine]]:
    """Load `dump` into each engine, run every query, compare with `reference`."""
    started: dict[str, Engine] = {}
    virtuoso: VirtuosoServer | None = None
    matrix: dict[str, dict[str, MatrixCell]] = {q.name: {} for q in queries}
    scratch = tempfile.TemporaryDirectory(prefix="hrkg-matrix-")
    try:
        for name in engines:
            missing = ENGINE_CLASSES[name].available()
            if missing:
                log(f"{name}: not available ({missing})")
                continue
            folder = Path(scratch.name) / name
            folder.mkdir()
            engine: Engine
            if name == "virtuoso":
                virtuoso = VirtuosoServer(workdir=folder)
                virtuoso.start()
                engine = VirtuosoEngine(server=virtuoso)
            elif name in ("oxigraph-server", "jena"):
                engine = ENGINE_CLASSES[name](workdir=folder)  # type: ignore[call-arg]
            else:
                engine = ENGINE_CLASSES[name]()
            engine.load(dump)
            engine.start()
            started[name] = engine
            log(f"{name}: loaded in {engine.load_seconds:.2f} s")
        answers: dict[str, dict[str, Result | str]] = {}
        for query in queries:
            answers[query.name] = {}
            for name, engine in started.items():
                try:
                    answers[query.name][name] = engine.query(query.text, query.name)
                except (EngineError, ValueError, SyntaxError, OSError) as err:
                    answers[query.name][name] = f"{type(err).__name__}: {err}"
        for query in queries:
            matrix[query.name] = judge(query, answers[query.name], reference)
    finally:
        for engine in started.values():
            engine.stop()
        if virtuoso:
            virtuoso.stop()
        scratch.cleanup()
    return matrix, started


def judge(
    query: StoredQuery, answers: dict[str, Result | str], reference: str
) -> dict[str, MatrixCell]:
    """Compare every engine's answer to one query with the reference engine's."""
    cells: dict[str, MatrixCell] = {}
    ref = answers.get(reference)
    for name, answer in answers.items():
        if isinstance(answer, str):
            cells[name] = MatrixCell("error", answer)
            continue
        if not isinstance(ref, Result):
            cells[name] = MatrixCell("n/a", "no reference answer")
            continue
        why = compare(ref, answer, order_keys(query.text))
        allowed = KNOWN_DIFFERENCES.get((query.name, name))
        if why is None:
            cells[name] = MatrixCell("same")
        elif allowed:
            cells[name] = MatrixCell("allowed", f"{why} — {allowed}")
        else:
            cells[name] = MatrixCell("differs", why)
    return cells


def matrix_markdown(matrix: dict[str, dict[str, MatrixCell]], engines: dict[str, Engine]) -> str:
    """The matrix and median timings as Markdown tables."""
    names = list(engines)
    mark = {
        "same": "same",
        "differs": "**differs**",
        "allowed": "allowed*",
        "error": "**error**",
        "n/a": "n/a",
    }
    lines = ["| query | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    notes = []
    for query, cells in matrix.items():
        row = [mark[cells[n].status] if n in cells else "—" for n in names]
        lines.append(f"| {query} | " + " | ".join(row) + " |")
        notes += [f"- {query} on {n}: {c.detail}" for n, c in cells.items() if c.detail]
    lines += ["", "| engine | load (s) | median query (s) | queries |", "|---|---|---|---|"]
    for name, engine in engines.items():
        times = [t for ts in engine.query_seconds.values() for t in ts]
        median = statistics.median(times) if times else 0.0
        lines.append(f"| {name} | {engine.load_seconds:.2f} | {median:.3f} | {len(times)} |")
    return "\n".join(lines + (["", *notes] if notes else [])) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m stores.engines matrix [--dump dist/hrkg.nq] [--queries queries]`."""
    import argparse

    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="python -m stores.engines (from tests/)")
    sub = parser.add_subparsers(dest="command", required=True)
    matrix = sub.add_parser("matrix", help="run the stored queries on every engine")
    matrix.add_argument("--dump", type=Path, default=root / "dist" / "hrkg.nq")
    matrix.add_argument("--queries", type=Path, default=root / "queries")
    matrix.add_argument("--engines", default=",".join(ENGINE_NAMES))
    args = parser.parse_args(argv)
    if not args.dump.exists():
        print(f"no dump at {args.dump}: run `hrkg build` first", file=sys.stderr)
        return 2
    queries = [q for q in discover_queries(args.queries) if not q.online_only]
    table, engines = run_matrix(
        args.dump, queries, args.engines.split(","), log=lambda m: print(m, file=sys.stderr)
    )
    print(matrix_markdown(table, engines))
    bad = any(c.status in ("differs", "error") for cells in table.values() for c in cells.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
