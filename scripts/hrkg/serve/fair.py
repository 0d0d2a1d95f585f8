"""A fair hand-out of query workers: per-client concurrency and round-robin waiting.

A client (by `client_key`: its remote address) may have at most `per_client` queries
evaluating at once; the rest of its requests wait in its own line. When a worker is free it
goes to the next client in rotation that has a request waiting and is under its limit, so a
client flooding the server (or holding workers with runaway queries) delays another
client's query by at most one turn, not by the length of its own queue (issue 16).

Generic in what is handed out (`T`: a worker), so the rule is tested without processes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


def client_key(address: tuple[str, int] | tuple[str, int, int, int] | str) -> str:
    """The client a connection belongs to: its IP address (the port changes per connection;
    tests use 127.0.0.2, 127.0.0.3 ... as distinct clients)."""
    return address if isinstance(address, str) else str(address[0])


@dataclass
class _Ticket(Generic[T]):
    client: str
    granted: T | None = None
    event: threading.Event = field(default_factory=threading.Event)


class FairQueue(Generic[T]):
    """Idle resources and, per client, the requests waiting for one."""

    def __init__(self, per_client: int) -> None:
        self.per_client = max(1, per_client)
        self.lock = threading.Lock()
        self.idle: deque[T] = deque()
        self.waiting: OrderedDict[str, deque[_Ticket[T]]] = OrderedDict()  # rotation order
        self.running: dict[str, int] = {}

    def put(self, resource: T) -> None:
        """A resource is free (new, or given back): hand it to the next waiter, if any."""
        with self.lock:
            self.idle.append(resource)
            self._dispatch()

    def take(
        self,
        client: str,
        timeout: float,
        tick: float = 0.25,
        on_wait: Callable[[], None] | None = None,
    ) -> T | None:
        """A resource for `client` within `timeout` s, else None; `on_wait` runs every
        `tick` s while waiting (the pool starts an extra worker from it) without the request
        losing its place. The caller must `done(client)` after a resource was given."""
        ticket: _Ticket[T] = _Ticket(client)
        with self.lock:
            self.waiting.setdefault(client, deque()).append(ticket)
            self._dispatch()
        deadline = time.monotonic() + timeout
        while not ticket.event.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if ticket.event.wait(min(remaining, tick)):
                break
            if on_wait is not None:
                on_wait()
        with self.lock:
            if ticket.granted is None:
                line = self.waiting.get(client)
                if line is not None and ticket in line:
                    line.remove(ticket)
                    if not line:
                        del self.waiting[client]
            return ticket.granted

    def done(self, client: str) -> None:
        """`client`'s query is finished: it may run another, so a waiter may now be served."""
        with self.lock:
            left = self.running.get(client, 0) - 1
            if left > 0:
                self.running[client] = left
            else:
                self.running.pop(client, None)
            self._dispatch()

    def take_idle(self) -> T | None:
        """An idle resource nobody is waiting for (to retire it), else None."""
        with self.lock:
            return self.idle.popleft() if self.idle and not self.waiting else None

    def remove_idle(self, unwanted: Callable[[T], bool]) -> list[T]:
        """The idle resources `unwanted` picks, removed (a worker of an old store)."""
        with self.lock:
            out = [r for r in self.idle if unwanted(r)]
            self.idle = deque(r for r in self.idle if not unwanted(r))
            return out

    def drain(self) -> list[T]:
        """Every idle resource, removed (closing)."""
        with self.lock:
            out = list(self.idle)
            self.idle.clear()
            return out

    def idle_count(self) -> int:
        with self.lock:
            return len(self.idle)

    def waiting_count(self) -> int:
        with self.lock:
            return sum(len(line) for line in self.waiting.values())

    def _dispatch(self) -> None:
        """Under the lock: give idle resources to waiting clients, in rotation."""
        while self.idle and self.waiting:
            chosen = next(
                (c for c in self.waiting if self.running.get(c, 0) < self.per_client), None
            )
            if chosen is None:
                return
            line = self.waiting[chosen]
            ticket = line.popleft()
            del self.waiting[chosen]
            if line:
                self.waiting[chosen] = line  # back to the end of the rotation
            self.running[chosen] = self.running.get(chosen, 0) + 1
            ticket.granted = self.idle.popleft()
            ticket.event.set()
