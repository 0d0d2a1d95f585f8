"""Bad input to the build is a clear error, never a traceback (a small part of `make fuzz`).

tests/fuzzing.py damages one file of the fixture KG per case and runs `hrkg build`; here eight
seeded cases, and the cases the issue found by hand: every file non-UTF-8, the source
text a folder. `make fuzz` runs a few hundred.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import fuzzing


def test_seeded_mutations() -> None:
    outcomes = fuzzing.run_all(fuzzing.cases(8, seed=16), jobs=2)
    assert all(o.ok for o in outcomes), fuzzing.summary(outcomes)


@pytest.mark.parametrize("target", fuzzing.targets())
def test_a_non_utf8_file_is_an_error_naming_it(target: str) -> None:
    outcome = fuzzing.run_case(fuzzing.Case(7, target, "invalid-utf8"))
    assert outcome.ok, outcome.stderr_tail
    assert outcome.code in (1, 2)
    # Turtle, SPARQL, CSV and TOML (hrkg.toml, read for the project's declarations) are UTF-8
    # by their grammar: a syntax error with file and line;
    # the TSV and the source text: a failed check naming them
    assert outcome.code == 2 or Path(target).name in outcome.stderr_tail


def test_a_source_text_that_is_a_folder_fails_the_build() -> None:
    outcome = fuzzing.run_case(fuzzing.Case(8, fuzzing.SOURCE_TEXT, "folder"))
    assert outcome.code == 1 and not outcome.traceback
    assert "fixture-source.txt is not a file" in outcome.stderr_tail


def test_the_mutations_are_seeded() -> None:
    assert fuzzing.cases(20, seed=3) == fuzzing.cases(20, seed=3)
    assert fuzzing.cases(20, seed=3) != fuzzing.cases(20, seed=4)
    data = b"line one\nline two\nline three\n"
    for mutation in fuzzing.MUTATIONS[:-1]:
        first = fuzzing.mutate(data, mutation, random.Random(5))
        assert first == fuzzing.mutate(data, mutation, random.Random(5))
        assert first != data
