"""What every subcommand shares: finding the project and printing errors in one shape."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrkg.project import Project, ProjectNotFound, find_project


def add_project_argument(parser: argparse.ArgumentParser) -> None:
    """`--project DIR` on every subcommand (default: the project around the cwd)."""
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the knowledge-graph project (default: $HRKG_PROJECT, else the folder with "
        "hrkg.toml or [tool.hrkg] in pyproject.toml at or above the current directory)",
    )
    # deprecated since 0.2.0: --root was the hidden name of --project (see CHANGELOG.md)
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)


def project_of(args: argparse.Namespace) -> Project:
    """The project the command works on; exits with a one-line message when there is none."""
    explicit: Path | None = args.project
    if explicit is None and args.root is not None:
        print("hrkg: --root is deprecated; use --project", file=sys.stderr)
        explicit = args.root
    try:
        return find_project(explicit)
    except ProjectNotFound as err:
        raise SystemExit(f"hrkg: {err}") from None


def dist_of(args: argparse.Namespace, project: Project, name: str = "dist") -> Path:
    """The built distribution folder: --dist/--out if given, else the project's dist/.

    Absolute, but its last part is kept as named: dist is a link to the current generation
    (hrkg.publish.swap), and the build must switch the link, not write into what it points to.
    """
    given: Path | None = getattr(args, name, None)
    path = given if given is not None else project.dist_dir
    return path.resolve() if path.name in ("", "..") else path.parent.resolve() / path.name


def fail(command: str, message: object, code: int = 1) -> int:
    """Print `hrkg COMMAND: message` on stderr and return the exit code."""
    print(f"hrkg {command}: {message}", file=sys.stderr)
    return code
