"""The build's own record of what it wrote: dist/manifest.json.

For every dump the build writes, its size and SHA-256; for the knowledge graph, the number
of distinct triples in each named graph. `hrkg load` checks a dump against this record
before it touches any store, so a dump cut short, emptied or edited after the build is
refused instead of being loaded and "verified" against itself.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import __version__

if TYPE_CHECKING:
    import pyoxigraph as ox

MANIFEST = "manifest.json"
FORMAT = "hrkg-manifest/1"


class ManifestError(ValueError):
    """The dump does not match the build's record (or there is no usable record)."""


@dataclass(frozen=True)
class Manifest:
    """What the build wrote: files (name -> sha256, bytes) and triples per named graph."""

    files: dict[str, tuple[str, int]]
    graphs: dict[str, int]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def graph_counts(quads: list[ox.Quad]) -> dict[str, int]:
    """Distinct triples per named graph (what a store holds after loading the dump)."""
    import pyoxigraph as ox

    distinct = {q for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    counts = Counter(str(q.graph_name.value) for q in distinct)  # type: ignore[union-attr]
    return dict(sorted(counts.items()))


def recorded_files() -> list[str]:
    """The files of dist/ the record covers: every dump and the JSON-LD context (not
    void.ttl, whose `issued` date changes with every build: the record stays reproducible)."""
    from hrkg.publish.dumps import CONTEXT_FILE, DUMPS

    return [d.name for d in DUMPS] + [CONTEXT_FILE]


def write_manifest(quads: list[ox.Quad], folder: Path, names: list[str] | None = None) -> Path:
    """Write manifest.json into `folder` for the files `names` (already written there;
    default: recorded_files())."""
    files = {}
    for name in recorded_files() if names is None else names:
        data = (folder / name).read_bytes()
        files[name] = {"sha256": digest(data), "bytes": len(data)}
    record = {
        "format": FORMAT,
        "generator": f"hrkg {__version__}",
        "files": files,
        "graphs": graph_counts(quads),
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_manifest(path: Path) -> Manifest:
    """The record at `path`; ManifestError when it is missing or not one of ours."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("format") != FORMAT:
            raise ManifestError(f"{path}: not an {FORMAT} record")
        files = {
            str(name): (str(entry["sha256"]), int(entry["bytes"]))
            for name, entry in record["files"].items()
        }
        graphs = {str(g): int(n) for g, n in record["graphs"].items()}
    except FileNotFoundError:
        raise ManifestError(
            f"no build record {path.name} beside the dump (rebuild with `hrkg build`, "
            "or pass --no-verify-dump to load it unchecked)"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ManifestError(f"{path}: unreadable build record ({err})") from None
    return Manifest(files, graphs)


def check_bytes(manifest: Manifest, name: str, data: bytes) -> None:
    """Refuse `data` unless it is the file `name` exactly as the build wrote it."""
    if name not in manifest.files:
        raise ManifestError(f"{name} is not a file the build recorded")
    sha256, size = manifest.files[name]
    if len(data) != size:
        raise ManifestError(
            f"{name} has {len(data)} bytes, the build wrote {size}: "
            "the dump was cut short or changed since the build"
        )
    if digest(data) != sha256:
        raise ManifestError(f"{name} differs from what the build wrote (SHA-256 mismatch)")


def check_graphs(manifest: Manifest, name: str, counts: dict[str, int]) -> None:
    """Refuse a parsed dump whose graphs or triple counts differ from the record."""
    if counts != manifest.graphs:
        differing = sorted(
            g for g in set(counts) | set(manifest.graphs) if counts.get(g) != manifest.graphs.get(g)
        )
        shown = ", ".join(
            f"{g}: {counts.get(g, 0)} (build: {manifest.graphs.get(g, 0)})" for g in differing[:5]
        )
        raise ManifestError(f"{name} does not hold the graphs the build recorded: {shown}")
