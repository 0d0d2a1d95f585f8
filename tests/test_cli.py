"""The user-facing commands around the build: query, query --list, stats, help."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from hrkg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "kg"
QUERY = FIXTURE / "queries" / "01-participants.rq"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "kg"
    shutil.copytree(FIXTURE, root)
    out = root / "dist"
    assert main(["build", "--project", str(root), "--out", str(out), "--quiet"]) == 0
    return out


def test_query_file_as_csv(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(QUERY), "--dist", str(dist), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["event", "person", "label"]
    assert sorted(rows[1:]) == [
        ["kg:meeting-1", "kg:alice", "Alice"],
        ["kg:meeting-1", "kg:bob", "Bob"],
    ]


def test_query_param_binds_one_term(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", str(QUERY), "--dist", str(dist), "--format", "json"]
    assert main([*args, "--param", "event=kg:meeting-1"]) == 0
    bindings = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert {b["event"]["value"] for b in bindings} == {"https://w3id.org/hrkg/id/meeting-1"}


def test_query_param_not_in_graph_fails(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", str(QUERY), "--dist", str(dist), "--format", "json"]
    assert main([*args, "--param", "event=kg:no-such-meeting"]) == 2
    err = capsys.readouterr().err
    assert "kg:no-such-meeting" in err and "not in the graph" in err


def test_query_rejects_unknown_param(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(QUERY), "--dist", str(dist), "--param", "who=kg:alice"]) == 2
    assert "who" in capsys.readouterr().err


def test_query_rejects_injection(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    attack = "event=kg:x> } ; DROP ALL ; #"
    assert main(["query", str(QUERY), "--dist", str(dist), "--param", attack]) == 2
    assert "event" in capsys.readouterr().err


def test_query_table_names_the_row_count(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(QUERY), "--dist", str(dist)]) == 0
    out = capsys.readouterr().out
    assert "kg:alice" in out and "(2 rows)" in out


def test_stats_counts_graphs_and_classes(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--dist", str(dist)]) == 0
    out = capsys.readouterr().out
    assert "hrkg:Person" in out
    person_line = next(line for line in out.splitlines() if line.startswith("hrkg:Person "))
    assert person_line.split()[-1] == "2"


def test_unknown_command_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["nonsense"])
    assert "invalid choice" in capsys.readouterr().err
