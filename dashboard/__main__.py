"""`python -m dashboard` serves the dashboard; `python -m dashboard export ...` renders charts to files
(the export subcommand is added by dashboard.export when it is present)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.queries import DEFAULT_DB
from dashboard.users_cli import add_users_parser


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DB,
        help=f"DuckDB built by `python -m etl run` (default {DEFAULT_DB})",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port to listen on (default 8050)")


def startup_notices(db_path: Path) -> list[str]:
    """What a server says once at start-up: image export off for want of a system package, or no usable
    database (it then serves a page saying how to build one). `make run` and `make serve` both print them."""
    from dashboard.queries import db_problem
    from dashboard.render import install_command, missing_system_packages
    from dashboard.reports import problem_reason

    notices = []
    missing = missing_system_packages()
    if missing:  # the dashboard serves; image export says why in its menu
        notices.append(
            "dashboard: image export is off: missing " + ", ".join(what for what, _ in missing) + "; add it "
            f"with (as root): {install_command([package for _, package in missing])}"
        )
    problem = db_problem(db_path)
    if problem:
        notices.append(
            f"dashboard: no usable database at {db_path} ({problem_reason(problem, 'en')}); "
            "serving a page that says how to build it"
        )
    return notices


def serve(args: argparse.Namespace) -> int:
    """Serve the dashboard until interrupted; debug stays off (no reloader, no dev tools)."""
    from dashboard.app import create_app

    for notice in startup_notices(args.db):
        print(notice, file=sys.stderr)
    create_app(args.db).run(host=args.host, port=args.port, debug=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Compare emergency-management indicators across areas in the browser.",
    )
    add_serve_arguments(parser)
    parser.set_defaults(handler=serve)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    serve_parser = subparsers.add_parser("serve", help="serve the dashboard (the default)")
    add_serve_arguments(serve_parser)
    serve_parser.set_defaults(handler=serve)
    add_users_parser(subparsers)
    try:
        from dashboard.export import add_export_parser
    except ImportError:  # the export module has not landed: serving works without it
        pass
    else:
        add_export_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
