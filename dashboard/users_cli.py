"""`python -m dashboard users add|remove|list`: the review desk's reviewer accounts, kept in the review store
beside the database. Parses arguments and calls review.store; nothing else."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboard.queries import DEFAULT_DB
from review.store import ReviewStore, store_path


def add_users_parser(subparsers: argparse._SubParsersAction) -> None:
    """The `users` command and its three subcommands."""
    users = subparsers.add_parser(
        "users",
        help="manage the reviewers who may upload and review reports (/review)",
        description="Reviewer accounts, in review.sqlite beside the database; with none, /review is off.",
    )
    users.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"the dashboard's database (default {DEFAULT_DB})"
    )
    actions = users.add_subparsers(dest="users_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a reviewer (asks for the password twice)")
    add.add_argument("name", help="the reviewer's sign-in name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (scripts)",
    )
    remove = actions.add_parser("remove", help="remove a reviewer")
    remove.add_argument("name", help="the reviewer's sign-in name")
    actions.add_parser("list", help="list the reviewers")
    users.set_defaults(handler=users_command)


def users_command(args: argparse.Namespace) -> int:
    """Exit 0 done, 1 refused (a taken name, a short password, no such reviewer)."""
    store = ReviewStore(store_path(args.db))
    if args.users_action == "list":
        print("\n".join(store.users()) if store.has_users() else "no reviewers: /review is off")
        return 0
    if args.users_action == "remove":
        if store.remove_user(args.name):
            print(f"removed reviewer {args.name}")
            return 0
        print(f"error: no reviewer {args.name}", file=sys.stderr)
        return 1
    password = read_password(args.password_stdin)
    if password is None:
        print("error: the two passwords differ", file=sys.stderr)
        return 1
    try:
        store.add_user(args.name, password)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"added reviewer {args.name}; /review is on")
    return 0


def read_password(from_stdin: bool) -> str | None:
    """The new password: stdin's first line, or typed twice without echo (None when they differ)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    return first if getpass.getpass("password again: ") == first else None
