"""The toolkit as a user installs it: a wheel without the test harness, which builds and
queries the project it is run in (not the checkout it was built from).

The wheel is built offline (hatchling from the dev environment, no build isolation) and
installed without dependencies into a fresh virtual environment that borrows the dev
environment's installed libraries; nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

PROJECT_PARTS = ["ontology", "data", "shapes", "queries", "tests/expected", "pyproject.toml"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("hamas_russia_kg-*.whl")
    return built


def test_wheel_ships_the_product_and_not_the_test_harness(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "hrkg/cli.py" in names
    assert "hrkg/pipeline/build.py" in names
    assert "hrkg/serve/webui/index.html" in names
    assert not [n for n in names if "engines" in n or "stores/" in n or n.startswith("tests/")]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (no deps); the libraries come from this env."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    )
    # a plain path line: the dev env's own .pth files (its editable hrkg) are not processed
    Path(site.stdout.strip(), "zz-dev-libraries.pth").write_text(
        sysconfig.get_path("purelib") + "\n"
    )
    return env_dir / "bin" / "hrkg"


def checkout_copy(target: Path) -> Path:
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / part)
    return target


def test_installed_hrkg_builds_and_queries_the_project_it_runs_in(
    installed: Path, tmp_path: Path
) -> None:
    project = checkout_copy(tmp_path / "copy")
    env = {**os.environ, "HRKG_SOURCES_DIR": str(ROOT.parent / "shared" / "sources")}
    env.pop("HRKG_PROJECT", None)

    def hrkg(*args: str, cwd: Path = project / "data") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(installed), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )

    where = subprocess.run(
        [str(installed.parent / "python"), "-c", "import hrkg, sys; print(hrkg.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(ROOT / "scripts") not in where.stdout, "the editable checkout was imported"
    listed = hrkg("query", "--list")
    assert listed.returncode == 0, listed.stderr
    assert "05-designation-status" in listed.stdout
    built = hrkg("build", "--quiet")
    assert built.returncode == 0, built.stderr
    assert (project / "dist" / "store").is_dir(), "built somewhere else than the copy"
    assert not (ROOT / "data" / "dist").exists()
    answer = hrkg("query", "05-designation-status", "--format", "csv")
    assert answer.returncode == 0, answer.stderr
    assert "kg:hamas,kg:russia,dsta:not-designated" in answer.stdout


def test_installed_hrkg_outside_a_project_says_so(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HRKG_PROJECT"}
    done = subprocess.run(
        [str(installed), "build"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "no hrkg project in" in done.stderr and "--project" in done.stderr
    assert "Traceback" not in done.stderr
