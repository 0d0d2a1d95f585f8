"""Soak benchmark (issue 16): `hrkg serve` under bounded load, then robustness counts.

Load: `hrkg serve` on the built dist/ (built first if missing), 20, 50 and 100 keep-alive
clients on loopback (two client processes) sending the offline stored queries in turn, with
the answer cache on (the default) and off; requests, req/s, p50/p95/p99, errors, resets,
answers that differ from a reference answer, peak RSS of the server's process tree, server
CPU beside wall time; the median of runs. Robustness: the project's mutation fuzz cases
(tests/fuzzing.py) and a kill loop (`hrkg build` on a copy of the project, SIGKILLed at
seeded moments: tracebacks, segfaults, orphaned processes, dists that no longer verify
against dist/manifest.json). Writes its section of bench/RESULTS.md. Run by `make soak`.

Target: 0 resets and p99 < 500 ms at 100 clients; 0 tracebacks, segfaults, orphans, and
no dist lost or changed.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import multiprocessing
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from results import cpu_model, write_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- soak.py: begin -->", "<!-- soak.py: end -->"
LOAD_SECONDS = float(os.environ.get("HRKG_SOAK_LOAD_S", "5"))
RUNS = int(os.environ.get("HRKG_SOAK_RUNS", "3"))
FUZZ_CASES = int(os.environ.get("HRKG_SOAK_FUZZ", "40"))
KILLS = int(os.environ.get("HRKG_SOAK_KILLS", "12"))
SEED = 16
CLIENTS = (20, 50, 100)
CLIENT_PROCESSES = 2
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
PROJECT_PARTS = ("ontology", "data", "shapes", "queries", "tests/expected")
TARGET_P99_S = 0.5


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def proc_stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(pid: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := proc_stat(int(entry))) is not None:
            parents[int(entry)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


class Server:
    """`hrkg serve` on a free port, with CPU and peak-RSS readings of its process tree."""

    def __init__(self, store: Path, cache_mb: float) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                str(BIN / "hrkg"),
                "serve",
                "--store",
                str(store),
                "--port",
                str(self.port),
                "--workers",
                "2",
                "--cache-mb",
                str(cache_mb),
                "--quiet",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.peak_rss = 0
        self._sampling = threading.Event()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "ASK {}")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("hrkg serve did not start")

    def tree(self) -> list[int]:
        return [self.proc.pid, *descendants(self.proc.pid)]

    def cpu_seconds(self) -> float:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.tree():
            fields = proc_stat(pid)
            if fields is not None:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.tree():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    def sample_rss(self) -> None:
        """Read the tree's RSS every 0.2 s until `stop_sampling`."""
        self._sampling.clear()

        def loop() -> None:
            while not self._sampling.wait(0.2):
                self.peak_rss = max(self.peak_rss, self.rss_bytes())

        threading.Thread(target=loop, daemon=True).start()

    def stop_sampling(self) -> None:
        self._sampling.set()

    def stop(self) -> str:
        """SIGTERM (the server stops its workers); what it wrote on stderr."""
        self.stop_sampling()
        self.proc.terminate()
        try:
            _out, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _out, err = self.proc.communicate(timeout=10)
        return err or ""


def get(port: int, query: str, timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": ACCEPT}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical(body: bytes) -> str:
    """A digest that ignores the order of rows and triples (a query without ORDER BY may
    list them in another order in another worker process)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return digest(b"\n".join(sorted(triples(body))))
    if isinstance(answer, dict) and isinstance(answer.get("results"), dict):
        rows = answer["results"].get("bindings", [])
        answer["results"]["bindings"] = sorted(json.dumps(r, sort_keys=True) for r in rows)
    return digest(json.dumps(answer, sort_keys=True).encode())


def triples(body: bytes) -> list[bytes]:
    """A Turtle answer as N-Triples lines (a CONSTRUCT's triples and even its prefixes come
    in another order from another worker process; its blank nodes, if any, keep labels)."""
    import pyoxigraph as ox

    try:
        parsed = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    except SyntaxError:
        return body.splitlines()
    return [str(t).encode() for t in parsed]


def same_answer(body: bytes, expected: tuple[str, str]) -> bool:
    return digest(body) == expected[0] or canonical(body) == expected[1]


# --- load -------------------------------------------------------------------------------


def stored_queries() -> dict[str, str]:
    """File name -> text of the stored queries that need no network."""
    from stores.engines import load_stored_query

    out = {}
    for path in sorted((ROOT / "queries").glob("*.rq")):
        query = load_stored_query(path)
        if not query.online_only:
            out[path.name] = query.text
    return out


def client_process(
    port: int, threads: int, seconds: float, queries: list[str], expected: list[tuple[str, str]]
) -> dict[str, Any]:
    """`threads` keep-alive clients for `seconds`: latencies, errors, resets, and answers
    that differ from the reference answer (in more than row order)."""
    latencies: list[float] = []
    errors: list[str] = []
    counts = {"resets": 0}
    wrong: list[tuple[int, bytes]] = []  # (query, answer) of each wrong answer
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def client(offset: int) -> None:
        connection, index = connect(), offset
        while time.monotonic() < stop_at:
            which = index % len(queries)
            index += 1
            started = time.perf_counter()
            try:
                connection.request(
                    "GET",
                    "/sparql?" + urllib.parse.urlencode({"query": queries[which]}),
                    headers={"Accept": ACCEPT},
                )
                response = connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status != 200:
                        errors.append(str(response.status))
                    elif not same_answer(body, expected[which]):
                        wrong.append((which, body))
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                with lock:
                    counts["resets"] += 1
                connection.close()
                connection = connect()
            except OSError as err:
                with lock:
                    errors.append(type(err).__name__)
                connection.close()
                connection = connect()
        connection.close()

    pool = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {
        "latencies": latencies,
        "errors": errors,
        "wrong": wrong[:5],
        "wrongs": len(wrong),
        **counts,
    }


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))] if values else 0.0


def reference_answers(store: Path, queries: list[str]) -> list[tuple[str, str]]:
    """Each query's answer from a server without cache: what every answer must equal."""
    server = Server(store, cache_mb=0)
    try:
        answers = []
        for query in queries:
            status, body = get(server.port, query)
            if status != 200:
                raise RuntimeError(f"stored query answered {status}: {body[:200]!r}")
            answers.append((digest(body), canonical(body)))
        return answers
    finally:
        server.stop()


def load(
    store: Path,
    clients: int,
    queries: list[str],
    expected: list[tuple[str, str]],
    cache_mb: float,
) -> tuple[list[tuple[int, bytes]], dict[str, float]]:
    """One run: the wrong answers seen (query index, body; a few) and the measures."""
    server = Server(store, cache_mb)
    try:
        for query in queries:  # warm up: every query once (with the cache: fills it)
            get(server.port, query)
        server.sample_rss()
        cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
        shares = [clients // CLIENT_PROCESSES] * CLIENT_PROCESSES
        shares[0] += clients - sum(shares)
        with multiprocessing.get_context("spawn").Pool(CLIENT_PROCESSES) as pool:
            parts = pool.starmap(
                client_process,
                [(server.port, n, LOAD_SECONDS, queries, expected) for n in shares],
            )
        wall = time.perf_counter() - wall_before
        cpu = server.cpu_seconds() - cpu_before
    finally:
        stderr = server.stop()
    latencies = sorted(x for part in parts for x in part["latencies"])
    wrong = [w for part in parts for w in part["wrong"]]
    return wrong, {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": sum(len(p["errors"]) for p in parts),
        "resets": sum(p["resets"] for p in parts),
        "wrong": sum(p["wrongs"] for p in parts),
        "tracebacks": stderr.count("Traceback (most recent call last)"),
        "rss_mb": server.peak_rss / 1e6,
        "cpu": cpu,
        "wall": wall,
    }


def median_of(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


# --- robustness -------------------------------------------------------------------------


def fuzz(count: int) -> dict[str, int]:
    import fuzzing

    outcomes = fuzzing.run_all(fuzzing.cases(count, SEED), jobs=2)
    return {
        "cases": len(outcomes),
        "tracebacks": sum(o.traceback for o in outcomes),
        "segfaults": sum(o.code == -11 for o in outcomes),
        "other deaths": sum(o.code < 0 and o.code != -11 for o in outcomes),
        "contract broken": sum(not o.ok for o in outcomes),
    }


def copy_project(folder: Path) -> Path:
    project = folder / "kg"
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, project / part)
    # the declarations the meta-checks need (shapes files, external terms) come along
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def verify_dist(dist: Path) -> str | None:
    """None if dist/ holds a complete store and every file its manifest records, unchanged."""
    from hrkg.publish.manifest import ManifestError, check_bytes, read_manifest

    if not (dist / "store" / "CURRENT").is_file():
        return "no store"
    try:
        manifest = read_manifest(dist / "manifest.json")
        for name in manifest.files:
            check_bytes(manifest, name, (dist / name).read_bytes())
    except (ManifestError, OSError) as err:
        return str(err)
    return None


def in_group(group: int) -> list[int]:
    """Live (not zombie) processes of process group `group`."""
    found = []
    for entry in os.listdir("/proc"):
        fields = proc_stat(int(entry)) if entry.isdigit() else None
        if fields is not None and int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry))
    return found


def build(project: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as err:
        return subprocess.Popen(
            [str(BIN / "hrkg"), "build", "--project", str(project), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            start_new_session=True,  # its own process group: what is left of it can be found
        )


def kill_loop(count: int) -> dict[str, Any]:
    """Build a copy of the project once, then start `hrkg build` `count` times and SIGKILL
    it at a seeded moment within its usual run time."""
    from hrkg.project import find_project

    env = dict(os.environ, HRKG_SOURCES_DIR=str(find_project(explicit=ROOT).sources_dir))
    rng = random.Random(SEED)
    out: dict[str, Any] = dict.fromkeys(
        ("kills", "finished first", "tracebacks", "segfaults", "orphans", "broken dists"), 0
    )
    with tempfile.TemporaryDirectory(prefix="hrkg-soak-") as scratch:
        project = copy_project(Path(scratch))
        log = Path(scratch) / "stderr.txt"
        if build(project, env, log).wait() != 0:  # cold: renders the ontology pages
            raise RuntimeError(f"the copy does not build: {log.read_text()[-400:]}")
        started = time.perf_counter()
        build(project, env, log).wait()  # a rebuild, as the kills interrupt
        usual = time.perf_counter() - started
        out["build s"] = usual
        for _ in range(count):
            proc = build(project, env, log)
            time.sleep(rng.uniform(0.05, usual * 1.1))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)  # the build's main process only
                out["kills"] += 1
            else:
                out["finished first"] += 1
            code = proc.wait()
            time.sleep(2.0)  # what is still alive two seconds later was left behind
            left = in_group(proc.pid)
            out["orphans"] += len(left)
            for pid in left:  # ours: end them so the next round starts clean
                os.kill(pid, signal.SIGKILL)
            stderr = log.read_text(errors="replace")
            out["tracebacks"] += "Traceback (most recent call last)" in stderr
            out["segfaults"] += code == -11
            out["broken dists"] += verify_dist(project / "dist") is not None
        final = build(project, env, log).wait()
        out["build after the kills"] = final
        out["final dist verifies"] = verify_dist(project / "dist") is None
    return out


# --- report -----------------------------------------------------------------------------


def machine() -> str:
    import platform

    import pyoxigraph

    cpu = cpu_model()
    load1 = os.getloadavg()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores (shared with other jobs; load average "
        f"{load1:.1f} at the start), {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, pyoxigraph {pyoxigraph.__version__}"
    )


def main() -> int:
    store = ROOT / "dist" / "store"
    if not (store / "CURRENT").exists():
        subprocess.run([str(BIN / "hrkg"), "build", "--quiet"], check=True, cwd=ROOT)
    about = machine()
    began = time.perf_counter()
    stored = stored_queries()
    names, queries = list(stored), list(stored.values())
    expected = reference_answers(store, queries)
    rows: dict[tuple[str, int], dict[str, float]] = {}
    wrong: Counter[str] = Counter()
    for cache_mb, label in ((64.0, "on"), (0.0, "off")):
        for clients in CLIENTS:
            runs = []
            for _ in range(RUNS):
                seen, measures = load(store, clients, queries, expected, cache_mb)
                runs.append(measures)
                wrong.update(names[which] for which, _ in seen)
                for which, body in seen[:1]:
                    print(f"wrong answer to {names[which]}: {body[:2000]!r}", flush=True)
            rows[(label, clients)] = median_of(runs)
            print(f"cache {label}, {clients} clients: {rows[(label, clients)]}", flush=True)
    fuzzed = fuzz(FUZZ_CASES)
    print(f"fuzz: {fuzzed}", flush=True)
    killed = kill_loop(KILLS)
    print(f"kill loop: {killed}", flush=True)
    write(about, len(queries), rows, wrong, fuzzed, killed, time.perf_counter() - began)
    return 0


def verdict(
    rows: dict[tuple[str, int], dict[str, float]],
    wrong: Counter[str],
    fuzzed: dict[str, int],
    killed: dict[str, Any],
) -> str:
    top = rows[("on", max(CLIENTS))]
    load_ok = top["resets"] == 0 and top["errors"] == 0 and top["p99"] < TARGET_P99_S
    robust = (
        fuzzed["tracebacks"]
        + fuzzed["segfaults"]
        + killed["tracebacks"]
        + killed["segfaults"]
        + killed["orphans"]
        + killed["broken dists"]
        == 0
    )
    return (
        f"Target at {max(CLIENTS)} clients with the cache on (0 resets, p99 < "
        f"{TARGET_P99_S * 1000:.0f} ms): {'met' if load_ok else 'not met'} "
        f"(p99 {top['p99'] * 1000:.0f} ms, {top['resets']:.0f} resets, {top['errors']:.0f} "
        f"errors). Robustness (0 tracebacks, segfaults, orphans, broken dists): "
        f"{'met' if robust else 'not met'}. Wrong answers in all load runs: "
        f"{sum(wrong.values())}."
    )


def write(
    about: str,
    query_count: int,
    rows: dict[tuple[str, int], dict[str, float]],
    wrong: Counter[str],
    fuzzed: dict[str, int],
    killed: dict[str, Any],
    seconds: float,
) -> None:
    lines = [
        BEGIN,
        "",
        "## Soak: `hrkg serve` under load, fuzzing and kill -9 (issue 16)",
        "",
        f"Machine: {about}. Reproduce with `make soak` (bench/soak.py; {seconds:.0f} s).",
        "",
        f"### Load: keep-alive clients on loopback, {LOAD_SECONDS:g} s, the {query_count} "
        f"offline stored queries in turn, 2 workers (median of {RUNS} runs)",
        "",
        "| cache | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors | resets "
        "| wrong answers | server tracebacks | peak RSS MB | server CPU s / wall s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (label, clients), m in rows.items():
        lines.append(
            f"| {label} | {clients} | {m['requests']:.0f} | {m['rps']:.0f} | "
            f"{m['p50'] * 1000:.1f} | {m['p95'] * 1000:.1f} | {m['p99'] * 1000:.1f} | "
            f"{m['errors']:.0f} | {m['resets']:.0f} | {m['wrong']:.0f} | "
            f"{m['tracebacks']:.0f} | {m['rss_mb']:.0f} | {m['cpu']:.1f} / {m['wall']:.1f} |"
        )
    lines += [
        "",
        "Wrong answers: a 200 that differs, in more than row order, from the same query's "
        "answer by a server without cache. The load generator runs on the same two cores "
        "as the server. Wrong answers in all runs: "
        + (", ".join(f"{name}: {n}" for name, n in sorted(wrong.items())) or "none")
        + ".",
        "",
        f"### Robustness: {fuzzed['cases']} fuzz cases (tests/fuzzing.py, seed {SEED}) and "
        f"{KILLS} SIGKILLs of `hrkg build` on a copy of the project",
        "",
        "| what | cases | tracebacks | segfaults (rc -11) | other deaths | orphans left "
        "(alive 2 s after) | dists that no longer verify |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| fuzz: damaged input files | {fuzzed['cases']} | {fuzzed['tracebacks']} | "
        f"{fuzzed['segfaults']} | {fuzzed['other deaths']} | - | - |",
        f"| kill -9 at a seeded moment within {killed['build s']:.1f} s | {KILLS} "
        f"({killed['kills']} killed, {killed['finished first']} finished first) | "
        f"{killed['tracebacks']} | {killed['segfaults']} | - | {killed['orphans']} | "
        f"{killed['broken dists']} |",
        "",
        f"Fuzz cases breaking the exit-code contract: {fuzzed['contract broken']}. After the "
        f"kills a build exits {killed['build after the kills']} and its dist "
        f"{'verifies' if killed['final dist verifies'] else 'does NOT verify'} against "
        "dist/manifest.json.",
        "",
        verdict(rows, wrong, fuzzed, killed),
        "",
        END,
        "",
    ]
    write_section(BEGIN, END, lines)


if __name__ == "__main__":
    sys.exit(main())
