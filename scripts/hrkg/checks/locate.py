"""Where a term is written: the line of a Turtle file that spells an IRI or a literal.

Parsed quads carry no line numbers, so a problem found in them is located afterwards by
searching the few files it can come from for the term's spellings (`<iri>`, or `prefix:local`
for each prefix the file declares). Only files with a problem are read, each once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_LOCAL = re.compile(r"[\w-][\w.-]*")


@dataclass(frozen=True)
class _Text:
    lines: list[str]  # comment lines blanked
    prefixes: dict[str, str]


class Locator:
    """Finds lines in files, reading each file at most once."""

    def __init__(self) -> None:
        self._texts: dict[Path, _Text] = {}

    def _text(self, path: Path) -> _Text:
        if path not in self._texts:
            try:
                raw = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                raw = []
            lines = ["" if line.lstrip().startswith("#") else line for line in raw]
            prefixes = {}
            for line in lines:
                found = _PREFIX.match(line)
                if found:
                    prefixes[found.group(1) or ""] = found.group(2)
            self._texts[path] = _Text(lines, prefixes)
        return self._texts[path]

    def prefixes(self, path: Path) -> dict[str, tuple[str, int]]:
        """The prefixes `path` declares: name → (namespace, line)."""
        found = {}
        for number, line in enumerate(self._text(path).lines, start=1):
            match = _PREFIX.match(line)
            if match:
                found[match.group(1) or ""] = (match.group(2), number)
        return found

    def spellings(self, path: Path, iri: str) -> list[str]:
        """The ways `path` can write `iri`: `<iri>` and `prefix:local` for its prefixes."""
        forms = [f"<{iri}>"]
        for prefix, namespace in self._text(path).prefixes.items():
            local = iri[len(namespace) :] if iri.startswith(namespace) else None
            if local is not None and (local == "" or _LOCAL.fullmatch(local)):
                forms.append(f"{prefix}:{local}")
        return forms

    def iri_line(self, path: Path, iri: str, as_subject: bool = False) -> int:
        """The first line writing `iri` (with `as_subject`, preferably at a line's start)."""
        patterns = [
            re.compile(r"(?<![\w:.-])" + re.escape(form) + r"(?![\w-]|\.[\w-])")
            if not form.startswith("<")
            else re.compile(re.escape(form))
            for form in self.spellings(path, iri)
        ]
        lines = self._text(path).lines
        if as_subject:
            for number, line in enumerate(lines, start=1):
                if any(p.match(line.lstrip()) for p in patterns):
                    return number
        for number, line in enumerate(lines, start=1):
            if any(p.search(line) for p in patterns):
                return number
        return 0

    def where(self, files: Sequence[Path], iri: str, as_subject: bool = False) -> tuple[Path, int]:
        """The first of `files` writing `iri`, and the line (the first file and 0 if none)."""
        for path in files:
            line = self.iri_line(path, iri, as_subject)
            if line:
                return path, line
        return (files[0] if files else Path("?")), 0

    def literal_line(self, path: Path, lexical: str) -> int:
        """The first line writing the literal `lexical` in quotes."""
        needles = [f'"{lexical}"', f"'{lexical}'"]
        for number, line in enumerate(self._text(path).lines, start=1):
            if any(n in line for n in needles):
                return number
        return 0

    def text_line(self, path: Path, needle: str) -> int:
        """The first line containing `needle` (for a key in a configuration file)."""
        for number, line in enumerate(self._text(path).lines, start=1):
            if needle in line:
                return number
        return 0
