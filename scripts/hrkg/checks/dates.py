"""Every date-typed literal in every graph is a valid calendar date (2024-02-30 is not).

pyshacl's sh:datatype finds an ill-formed xsd:date only under a shape that says so, and only
after rdflib has logged a traceback for it; dates elsewhere (a source document's
hrkg:notBefore) were not checked at all. This check reads the lexical form of xsd:date,
xsd:dateTime, xsd:dateTimeStamp, xsd:gYearMonth and xsd:gYear literals (XML Schema 1.1:
year 0000 exists and is a leap year) before SHACL runs.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from hrkg import rdf as ns
from hrkg.checks.locate import Locator
from hrkg.checks.problems import Problem
from hrkg.checks.scan import Scan

_YEAR = r"(?P<year>-?(?:[1-9]\d{3,}|0\d{3}))"
_MONTH = r"(?P<month>0[1-9]|1[0-2])"
_DAY = r"(?P<day>0[1-9]|[12]\d|3[01])"
_TIME = r"T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?)"
_ZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))"
FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    ns.XSD + "date": (re.compile(f"{_YEAR}-{_MONTH}-{_DAY}{_ZONE}?"), "YYYY-MM-DD"),
    ns.XSD + "dateTime": (
        re.compile(f"{_YEAR}-{_MONTH}-{_DAY}{_TIME}{_ZONE}?"),
        "YYYY-MM-DDThh:mm:ss",
    ),
    ns.XSD + "dateTimeStamp": (
        re.compile(f"{_YEAR}-{_MONTH}-{_DAY}{_TIME}{_ZONE}"),
        "YYYY-MM-DDThh:mm:ss with a time zone",
    ),
    ns.XSD + "gYearMonth": (re.compile(f"{_YEAR}-{_MONTH}{_ZONE}?"), "YYYY-MM"),
    ns.XSD + "gYear": (re.compile(f"{_YEAR}{_ZONE}?"), "YYYY"),
}


def is_leap(year: int) -> bool:
    """Proleptic Gregorian, as XML Schema 1.1 (year 0 is 1 BCE, a leap year)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def date_error(datatype: str, lexical: str) -> str | None:
    """Why `lexical` is no valid value of `datatype` (None when it is valid)."""
    pattern, shape = FORMS[datatype]
    found = pattern.fullmatch(lexical)
    if found is None:
        return f"is not of the form {shape}"
    fields = found.groupdict()
    if fields.get("day") is None:
        return None
    year, month, day = int(fields["year"]), int(fields["month"]), int(fields["day"])
    last = days_in(year, month)
    if day > last:
        return f"is no calendar day: {calendar.month_name[month]} {year} has {last} days"
    return None


def date_problems(
    found: Scan, subject_files: Mapping[str, Sequence[Path]], locator: Locator
) -> list[Problem]:
    """Each distinct invalid date literal, at the first line writing it."""
    problems: list[Problem] = []
    for (datatype, lexical), quad in found.dates.items():
        error = date_error(datatype, lexical)
        if error is None:
            continue
        files = subject_files.get(quad.subject.value, [])  # type: ignore[union-attr]
        path, line = next(
            ((f, n) for f in files if (n := locator.literal_line(f, lexical))),
            (files[0] if files else Path("?"), 0),
        )
        more = found.uses[(datatype, lexical)] - 1
        also = f" (and {more} more use{'s' if more > 1 else ''})" if more else ""
        problems.append(
            Problem(
                path,
                line,
                f'{ns.shorten(quad.predicate.value)} "{lexical}"^^{ns.shorten(datatype)} '
                f"{error}{also}",
            )
        )
    return problems
