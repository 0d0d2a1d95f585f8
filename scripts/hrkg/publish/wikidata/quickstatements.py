"""QuickStatements V1 commands for Wikidata editors, from the Wikidata view of the graph.

Only what the view holds is written: statements whose item and value both have a QID (never a
target without one), derived from facts of the graph (never from a claim: claims have no
Wikidata form), each with its references as S854 (URL), S1683 (the exact quotation) and S813
(retrieved, when the source records it). Nothing is sent anywhere: the header, deliberately
not a QuickStatements command, makes the file fail in the tool until a human has read it and
removed those lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hrkg.publish.wikidata.view import XSD_DATETIME, Statement, Value, View

HEADER = (
    "# QuickStatements V1 commands proposed by hamas-russia-kg (hrkg wikidata quickstatements).",
    "# A HUMAN MUST REVIEW every line before use: check each statement, its qualifiers and",
    "# its references against the source and against what the Wikidata item already says.",
    "# These header lines are not commands: QuickStatements rejects them, so delete them",
    "# only after the review. Nothing has been sent to Wikidata.",
)
QID_RE = re.compile(r"Q[1-9][0-9]*")
DAY_RE = re.compile(r"(\d{4}-\d{2}-\d{2})T00:00:00Z")
# QuickStatements strings cannot hold a double quote, a tab or a line break
UNSAFE = re.compile(r'["\t\n\r|]')


class QuickStatementsError(ValueError):
    """A value that QuickStatements V1 cannot express; the message names the statement."""


def qs_value(value: Value, where: str) -> str:
    """One value in V1 syntax: Q…, "string", lang:"text", +YYYY-MM-DDT00:00:00Z/11."""
    if value.qid is not None:
        if not QID_RE.fullmatch(value.qid):
            raise QuickStatementsError(f"{where}: {value.qid!r} is not a QID")
        return value.qid
    text = value.url if value.url is not None else (value.literal.value if value.literal else "")
    if UNSAFE.search(text):
        raise QuickStatementsError(
            f"{where}: value {text[:40]!r}… holds a character QuickStatements cannot quote"
        )
    literal = value.literal
    if literal is not None and literal.datatype.value == XSD_DATETIME:
        day = DAY_RE.fullmatch(literal.value)
        if day is None:
            raise QuickStatementsError(f"{where}: time {literal.value!r} is not a day")
        return f"+{day.group(1)}T00:00:00Z/11"
    if literal is not None and literal.language:
        return f'{literal.language}:"{text}"'
    return f'"{text}"'


def command(statement: Statement) -> str:
    """The V1 line of one statement: item, property, value, qualifiers, then sources."""
    where = f"{statement.source} ({statement.subject} {statement.pid})"
    fields = [statement.subject, statement.pid, qs_value(statement.value, where)]
    for pid, qualifier in statement.qualifiers:
        fields += [pid, qs_value(qualifier, where)]
    # QuickStatements V1 takes one reference block per command, so the first reference is
    # used; further evidence spans of the same fact are named in the review header instead
    if statement.references:
        for pid, ref_value in statement.references[0].values:
            fields += ["S" + pid[1:], qs_value(ref_value, where)]
    return "\t".join(fields)


def quickstatements(view: View) -> str:
    """The whole file: the review header, one line per statement, in a stable order."""
    lines = list(HEADER)
    extra = [s for s in view.statements if len(s.references) > 1]
    for statement in extra:
        lines.append(
            f"# {statement.source}: {len(statement.references)} evidence spans, "
            "only the first is given as the source"
        )
    lines += sorted(command(s) for s in view.statements)
    return "\n".join(lines) + "\n"


def parse_v1(text: str) -> list[list[str]]:
    """Parse V1 commands strictly (the tests' grammar check): '#' lines are the header."""
    commands = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or len(fields) % 2 == 0:
            raise QuickStatementsError(f"line {number}: item, property, value, then pairs")
        if not QID_RE.fullmatch(fields[0]):
            raise QuickStatementsError(f"line {number}: {fields[0]!r} is not an item")
        for index in range(1, len(fields), 2):
            prop, value = fields[index], fields[index + 1]
            if not re.fullmatch(r"[PS][1-9][0-9]*", prop):
                raise QuickStatementsError(f"line {number}: {prop!r} is not P… or S…")
            if index == 1 and prop.startswith("S"):
                raise QuickStatementsError(f"line {number}: a statement needs a P… property")
            if not _valid_value(value):
                raise QuickStatementsError(f"line {number}: value {value!r} is not V1 syntax")
        commands.append(fields)
    return commands


def _valid_value(value: str) -> bool:
    return bool(
        QID_RE.fullmatch(value)
        or re.fullmatch(r'"[^"\t]*"', value)
        or re.fullmatch(r'[a-z]{2,3}(-[a-z0-9]+)*:"[^"\t]*"', value)
        or re.fullmatch(r"[+-]\d{4,}-\d{2}-\d{2}T00:00:00Z/(9|10|11)", value)
    )


def statements_without_qid(commands: Iterable[list[str]]) -> list[list[str]]:
    """Commands whose item or value is not a QID (there must be none for item values)."""
    return [c for c in commands if not QID_RE.fullmatch(c[0]) or not QID_RE.fullmatch(c[2])]
