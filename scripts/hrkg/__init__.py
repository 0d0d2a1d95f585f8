"""hrkg: build, validate, reason over, query and publish the hamas-russia-kg knowledge graph.

The version has one source, pyproject.toml; the installed distribution's metadata carries it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hamas-russia-kg")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
