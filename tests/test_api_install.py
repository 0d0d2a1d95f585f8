"""The Python API from a fresh virtual environment with a non-editable install (a wheel).

The wheel is built from the working tree, offline (no index, no build isolation: hatchling
comes from the dev extra), and installed without its dependencies into a new venv; the
dependencies come from this test run's environment through a path entry (not its site
directory, so this checkout's editable install is not seen). The API must then find the
project from the working directory, not from where the package happens to be installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys, hrkg
from pathlib import Path
assert Path(hrkg.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), hrkg.__file__
kg = hrkg.open()
rows = kg.query("16-claims-by", actor="Zakharova")
denied = [r["claim"] for r in rows if r["stance"] == "denied"]
print(sorted(denied))
print(kg.find("Ben-Zvi")[0]["entity"])
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hrkg.pipeline.assemble import assemble
    from hrkg.project import Project
    from hrkg.rdf import to_store

    out = tmp_path_factory.mktemp("install") / "dist"
    out.mkdir()
    store = to_store(assemble(Project(ROOT)).quads, out / "store")
    del store
    return out


def test_api_from_a_fresh_venv(tmp_path: Path, dist: Path) -> None:
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build the wheel here: {build.stderr.strip()[-300:]}")
    (wheel,) = wheels.glob("hamas_russia_kg-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--target",
            purelib,
            str(wheel),
        ],
        check=True,
    )
    ours = Path(sysconfig.get_paths()["purelib"])
    (Path(purelib) / "zz-deps.pth").write_text(f"{ours}\n", encoding="utf-8")
    env = {**os.environ, "HRKG_DIST": str(dist)}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(python), "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['kg:claim-russia-helped-establish-arms-factory-in-gaza', "
        "'kg:claim-russia-supplies-weapons-to-hamas-armed-formations']",
        "kg:alexander-ben-zvi",
    ]
