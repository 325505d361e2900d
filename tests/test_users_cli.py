"""`python -m dashboard users add|remove|list` as an administrator runs it, on a real review store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from review.store import ReviewStore, store_path
from tests.conftest import REPO_ROOT


def users(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "--db", str(db), *args],
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_add_list_remove_a_reviewer(tmp_path: Path) -> None:
    db = tmp_path / "emergency.duckdb"
    listed = users(db, "list")
    assert listed.returncode == 0 and "no reviewers" in listed.stdout
    added = users(db, "add", "wang", "--password-stdin", stdin="a long secret\n")
    assert added.returncode == 0, added.stderr
    assert ReviewStore(store_path(db)).check_password("wang", "a long secret")
    assert users(db, "list").stdout.split() == ["wang"]
    again = users(db, "add", "wang", "--password-stdin", stdin="another secret\n")
    assert again.returncode == 1 and "exists" in again.stderr
    short = users(db, "add", "li", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 8" in short.stderr
    assert users(db, "remove", "wang").returncode == 0
    gone = users(db, "remove", "wang")
    assert gone.returncode == 1 and "no reviewer" in gone.stderr
    assert not ReviewStore(store_path(db)).has_users()


def test_every_users_action_has_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "--help"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    for action in ("add", "remove", "list"):
        assert action in result.stdout
