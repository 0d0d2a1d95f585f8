"""A bounded cache of complete answers, least recently used out first, bounded by bytes.

The store is read-only, so the same query on the same store, with the same dataset and the
same negotiated format, has the same answer: only a store switch (a new build,
hrkg.serve.store_watch) changes it, and the store generation is part of every key. Only
complete answers (status 200) are stored: an error, a 503 for a timeout or a busy pool, is
never replayed.

The key (see `answer_key`) holds the query text with leading and trailing whitespace
removed, and nothing else normalised: whitespace there lies outside every SPARQL token,
while inside the text it may be part of a literal, and so may case.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from hrkg.serve import negotiation as neg
from hrkg.serve.evaluate import Job, Reply

ENTRY_OVERHEAD = 512  # bytes counted per entry beyond its body and key text
KINDS = (neg.SOLUTIONS, neg.BOOLEAN, neg.GRAPH)


def negotiated(job: Job) -> tuple[str, ...]:
    """The format each kind of result would be sent in (or 406): the cache key's format
    part, so two Accept headers that choose the same formats share an entry, whatever the
    query's form turns out to be (the form is only known once a worker parsed it)."""
    keys = []
    for kind in KINDS:
        try:
            keys.append(neg.choose(kind, job.accept, job.format).key)
        except neg.NotAcceptable:
            keys.append("406")
    return tuple(keys)


def answer_key(job: Job, generation: int) -> tuple[Hashable, ...]:
    """Everything an answer depends on: store generation, query, dataset, format, base IRI
    (relative IRIs in the query resolve against it) and the row limit. (Whether the default
    graph is the union follows from the query text, so `union_default` is not needed.)"""
    return (
        generation,
        job.query.strip(),
        negotiated(job),
        tuple(job.default_graphs),
        tuple(job.named_graphs),
        job.protocol_dataset,
        job.base_iri,
        job.limit,
    )


def reply_size(key: tuple[Hashable, ...], reply: Reply) -> int:
    return len(reply.body) + len(str(key[1])) + ENTRY_OVERHEAD


class AnswerCache:
    """Replies by key, at most `max_bytes` in all; `max_bytes` 0 turns the cache off."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[Hashable, ...], tuple[Reply, int]] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: tuple[Hashable, ...]) -> Reply | None:
        if not self.enabled:
            return None
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: tuple[Hashable, ...], reply: Reply) -> bool:
        """Keep `reply` if it is a complete answer that fits; True if kept."""
        size = reply_size(key, reply)
        if not self.enabled or reply.status != 200 or size > self.max_bytes:
            return False
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self.entries[key] = (reply, size)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= dropped
        return True

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0
