"""What a project declares about its own validation, read from its configuration.

In `[tool.hrkg]` of pyproject.toml (or at the top of hrkg.toml):

    shapes = ["actors.ttl", ...]          # every shapes file validation expects, by name
    [tool.hrkg.external-terms]            # terms shapes use that the ontology does not declare
    "rdfs:label" = "why it is used as is"
    [tool.hrkg.untargeted-classes]        # classes data can have that no shape targets
    "oa:TextQuoteSelector" = "why, and what checks it instead"
    [tool.hrkg.external-resources]        # kg: IRIs used as objects but described elsewhere
    "kg:example" = "where it is described"

Every exception carries its reason, so each list documents itself. Terms are CURIEs with the
prefixes of hrkg.rdf.PREFIXES, or full IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrkg.checks.locate import Locator
from hrkg.checks.problems import Problem
from hrkg.rdf import expand, shorten

SHAPES = "shapes"
EXTERNAL_TERMS = "external-terms"
UNTARGETED_CLASSES = "untargeted-classes"
EXTERNAL_RESOURCES = "external-resources"


@dataclass(frozen=True)
class Exceptions:
    """One declared list: IRI → reason, and how each IRI is written in the file."""

    key: str
    reasons: dict[str, str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Declared:
    config: Path
    shapes: tuple[str, ...] | None  # None when the project declares no list
    external_terms: Exceptions
    untargeted_classes: Exceptions
    external_resources: Exceptions

    def line_of(self, exceptions: Exceptions, iri: str, locator: Locator) -> int:
        """The line of the configuration file declaring `iri` in `exceptions`."""
        written = exceptions.written[iri]
        return locator.text_line(self.config, f'"{written}"') or locator.text_line(
            self.config, written
        )

    def stale(
        self, exceptions: Exceptions, iri: str, locator: Locator, why: str, note: str = ""
    ) -> Problem:
        """An entry the list no longer needs, at its line: a stale exception fails too, so
        each list stays true."""
        where = self.line_of(exceptions, iri, locator)
        message = f"{exceptions.key}: {shorten(iri)} {why}; remove it{note}"
        return Problem(self.config, where, message)


def read_declared(
    settings: dict[str, Any], config: Path, locator: Locator
) -> tuple[Declared, list[Problem]]:
    """The declarations, and the problems of malformed ones (each at its line)."""
    problems: list[Problem] = []
    shapes = _shapes(settings.get(SHAPES), config, locator, problems)
    lists = [
        _exceptions(key, settings.get(key), config, locator, problems)
        for key in (EXTERNAL_TERMS, UNTARGETED_CLASSES, EXTERNAL_RESOURCES)
    ]
    return Declared(config, shapes, *lists), problems


def _shapes(
    value: object, config: Path, locator: Locator, problems: list[Problem]
) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = value if isinstance(value, list) else None
    if names is None or not all(
        isinstance(n, str) and n.endswith(".ttl") and "/" not in n for n in names
    ):
        line = locator.text_line(config, SHAPES)
        problems.append(
            Problem(config, line, f"{SHAPES} must be a list of file names in shapes/ (*.ttl)")
        )
        return ()
    return tuple(names)


def _exceptions(
    key: str, value: object, config: Path, locator: Locator, problems: list[Problem]
) -> Exceptions:
    found = Exceptions(key)
    if value is None:
        return found
    if not isinstance(value, dict):
        line = locator.text_line(config, key)
        problems.append(Problem(config, line, f"{key} must be a table of term = reason"))
        return found
    for written, reason in value.items():
        iri = expand(written)
        line = locator.text_line(config, written)
        if iri is None:
            problems.append(
                Problem(config, line, f"{key}: {written!r} is no known CURIE and no full IRI")
            )
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(config, line, f"{key}: {written} needs a reason (a string)"))
        else:
            found.reasons[iri] = reason
            found.written[iri] = written
    return found
