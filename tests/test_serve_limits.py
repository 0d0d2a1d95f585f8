"""What a client controls is bounded (issue 16): Content-Length, the time to send a request,
the Host header, CORS only where configured; and the server process behaves: a busy port
is one line, a non-loopback address needs --public, SIGTERM stops it and its workers within
a second, and under load with a runaway query the other queries keep being answered."""

from __future__ import annotations

import http.client
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrkg.commands import serve as app
from hrkg.serve import server as web
from stores import SAMPLE_TRIG
from stores.engines import free_port

ASK = "ASK { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pyoxigraph as ox

    folder = tmp_path_factory.mktemp("limits") / "store"
    store = ox.Store(str(folder))
    store.bulk_load(path=str(SAMPLE_TRIG))
    store.flush()
    del store
    return folder


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[web.Server]:
    config = web.ServerConfig(
        store=store_dir,
        timeout=2.0,
        workers=2,
        header_timeout=1.0,
        cors_origins=("http://app.example",),
        allowed_hosts=("kg.example",),
        max_body=10_000,
    )
    running, _thread = web.start_in_thread(config)
    try:
        yield running
    finally:
        web.stop(running)


def raw(server: web.Server, data: bytes, wait: float = 5.0) -> bytes:
    """Send bytes on a fresh connection; what comes back until the server closes it."""
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=wait) as s:
        s.sendall(data)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0


def post_head(length: str, host: str = "127.0.0.1") -> bytes:
    return (
        f"POST /sparql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query"
        f"\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("length", "status"),
    [("-1", 400), ("abc", 400), ("1e3", 400), (" 12, 13", 400), ("999999999", 413)],
)
def test_strict_content_length(server: web.Server, length: str, status: int) -> None:
    assert status_of(raw(server, post_head(length) + ASK.encode())) == status


def test_post_without_content_length_and_chunked(server: web.Server) -> None:
    head = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    assert status_of(raw(server, head + b"\r\n")) == 411
    assert status_of(raw(server, head + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")) == 411


def test_exact_content_length_answers(server: web.Server) -> None:
    assert status_of(raw(server, post_head(str(len(ASK))) + ASK.encode(), 2.0)) == 200


def test_idle_and_trickling_connections_are_closed(server: web.Server) -> None:
    port = server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
        started = time.monotonic()
        assert idle.recv(100) == b""  # closed by the server, not by our timeout
        assert time.monotonic() - started < 4
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        started = time.monotonic()
        closed_after = None
        trickle = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 200
        for byte in trickle:  # one byte every 0.1 s: each read is quick, the whole is not
            readable, _, _ = select.select([slow], [], [], 0.1)
            try:
                if readable and slow.recv(100) == b"":
                    closed_after = time.monotonic() - started
                    break
                slow.send(bytes([byte]))
            except OSError:
                closed_after = time.monotonic() - started
                break
        assert closed_after is not None and closed_after < 4, closed_after


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1", 200),
        ("localhost:7878", 200),
        ("[::1]:80", 200),
        ("kg.example", 200),
        ("evil.example", 403),
        ("127.0.0.1.evil.example", 403),
        ("127.0.0.1:x", 400),
    ],
)
def test_host_allow_list(server: web.Server, host: str, status: int) -> None:
    request = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    assert status_of(raw(server, request.encode())) == status


def test_missing_host_is_refused(server: web.Server) -> None:
    assert status_of(raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n\r\n")) == 400


def request(
    server: web.Server, method: str, path: str, headers: dict[str, str]
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_cors_only_for_configured_origins(server: web.Server) -> None:
    path = "/sparql?" + urllib.parse.urlencode({"query": ASK})
    allowed = request(server, "GET", path, {"Origin": "http://app.example"})
    assert allowed.getheader("Access-Control-Allow-Origin") == "http://app.example"
    other = request(server, "GET", path, {"Origin": "http://elsewhere.example"})
    assert other.status == 200 and other.getheader("Access-Control-Allow-Origin") is None
    preflight = request(
        server,
        "OPTIONS",
        "/sparql",
        {
            "Origin": "http://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status == 204
    assert "POST" in (preflight.getheader("Access-Control-Allow-Methods") or "")
    assert "Content-Type" in (preflight.getheader("Access-Control-Allow-Headers") or "")


def test_burst_of_connections_is_queued_not_reset(server: web.Server) -> None:
    """200 connections opened at once (the listen backlog is 1024): every one is answered."""
    assert server.request_queue_size >= 1024
    results: list[int] = []
    lock = threading.Lock()
    data = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

    def one() -> None:
        try:
            code = status_of(raw(server, data, 30))
        except OSError:
            code = -1
        with lock:
            results.append(code)

    threads = [threading.Thread(target=one) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results.count(200) == 200, sorted(set(results))


def test_load_with_a_runaway_query(server: web.Server) -> None:
    """20 clients for 8 s while runaway queries keep being sent: normal queries keep being
    answered (no error, no reset), each runaway is stopped at the 2 s timeout."""
    stop_at = time.monotonic() + 8
    latencies: list[float] = []
    failures: list[str] = []
    slow: list[tuple[int, float]] = []
    lock = threading.Lock()
    path = "/sparql?" + urllib.parse.urlencode({"query": ASK})

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                code = response.status
            except OSError as err:
                code, connection = (
                    -1,
                    http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30),
                )
                with lock:
                    failures.append(repr(err))
            with lock:
                latencies.append(time.monotonic() - started)
                if code != 200:
                    failures.append(str(code))
        connection.close()

    def runaway() -> None:
        while time.monotonic() < stop_at - 2:
            started = time.monotonic()
            response = request(
                server, "GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW}), {}
            )
            with lock:
                slow.append((response.status, time.monotonic() - started))

    threads = [threading.Thread(target=client) for _ in range(20)]
    threads.append(threading.Thread(target=runaway))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures[:5]
    assert len(latencies) > 100
    assert slow and all(status == 503 and seconds < 4.5 for status, seconds in slow), slow
    assert server.pool.wait_full(30)


# --- the command ------------------------------------------------------------------------


def start_serve(store: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hrkg.cli",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            "--workers",
            "1",
            "--quiet",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_busy_port_is_one_line(store_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        proc = start_serve(store_dir, port)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip().count("\n") == 0 and "--port" in err and str(port) in err


def test_non_loopback_host_needs_public(store_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hrkg.cli", "serve", "--store", str(store_dir), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "--public" in proc.stderr
    assert app.is_loopback("127.0.0.1") and app.is_loopback("::1")
    assert app.is_loopback("localhost") and not app.is_loopback("0.0.0.0")


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_stops_server_and_workers_within_a_second(store_dir: Path) -> None:
    port = free_port()
    proc = start_serve(store_dir, port, "--timeout", "30")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        workers = children(proc.pid)
        assert workers
        busy = threading.Thread(target=lambda: raw_get(port, SLOW), daemon=True)
        busy.start()
        time.sleep(0.5)  # the worker is now running the runaway query
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
        took = time.monotonic() - started
        time.sleep(0.2)
        assert took < 1.0, took
        assert not [w for w in workers if alive(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def raw_get(port: int, query: str) -> None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        connection.getresponse().read()
    except OSError:
        pass


def test_runaway_query_gets_the_others_an_extra_worker(store_dir: Path) -> None:
    """One worker, held by a runaway query: a normal query is answered by an extra worker
    started for it (about a second), not after the runaway's 6 s timeout; then the pool
    shrinks back to its size."""
    config = web.ServerConfig(store=store_dir, timeout=6.0, workers=1)
    server, _thread = web.start_in_thread(config)
    try:
        runaway: list[int] = []
        thread = threading.Thread(
            target=lambda: runaway.append(
                request(
                    server, "GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW}), {}
                ).status
            )
        )
        thread.start()
        time.sleep(1.5)  # the runaway now holds the only worker for more than a second
        started = time.monotonic()
        normal = request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": ASK}), {})
        took = time.monotonic() - started
        assert normal.status == 200 and took < 4, took
        thread.join(30)
        assert runaway == [503]
        assert server.pool.wait_full(30) and len(server.pool.pids()) == 1
    finally:
        web.stop(server)


def test_deeply_nested_query_file_is_a_clear_error(tmp_path: Path) -> None:
    """3,000 nested braces crash native parsers; `hrkg query` (and the build, which reads
    queries the same way) refuses them with the file and line instead."""
    path = tmp_path / "deep.rq"
    path.write_text(
        "# Title: Deep\n# Question: Does it crash?\nASK " + "{" * 3000 + "}" * 3000 + "\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "hrkg.cli", "query", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert f"{path}:3:" in done.stderr and "nests" in done.stderr


@pytest.mark.parametrize(
    "option",
    [
        ["--timeout", "-1"],
        ["--port", "70000"],
        ["--limit", "0"],
        ["--workers", "0"],
        ["--queue-wait", "0"],
    ],
)
def test_bad_options_are_one_line(store_dir: Path, option: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hrkg.cli", "serve", "--store", str(store_dir), *option],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and option[0] in done.stderr
    assert done.stderr.strip().count("\n") == 0
