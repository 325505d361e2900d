"""The review desk's sign-in over HTTP against a live dashboard: off without reviewers, refused on a wrong
password, limited after repeated failures, and every state-changing request refused (403) without the
session's CSRF token or a sign-in. The browser's sign-in form is in tests/test_review_browser.py."""

from __future__ import annotations

import os
import stat

import pytest
import requests

from dashboard.review.auth import MAX_FAILURES, SECRET_FILE
from tests.browser import live_dashboard
from tests.review_helpers import (
    PASSWORD,
    add_reviewer,
    call,
    page_token,
    render,
    review_db,
    rid,
    sign_in,
    upload,
)

pytestmark = pytest.mark.timeout(180)
SEED_TEXT = "重庆市应急管理局 2021 年 消防救援".encode()


@pytest.fixture(scope="module")
def desk(tmp_path_factory, seed_db):
    """A live dashboard over its own copy of the seed database, with one reviewer."""
    db_path = review_db(tmp_path_factory.mktemp("review_auth"), seed_db)
    add_reviewer(db_path)
    with live_dashboard(db_path) as base_url:
        yield base_url, db_path


def test_without_reviewers_the_desk_is_off_and_says_how_to_turn_it_on(tmp_path, seed_db):
    db_path = review_db(tmp_path, seed_db)
    with live_dashboard(db_path) as base:
        session = requests.Session()
        page = render(session, base, "/review")
        assert "python -m dashboard users add NAME" in page
        assert "review-desk" not in page
        assert "login-password" not in render(session, base, "/login")
        assert not (tmp_path / "review.sqlite").exists()  # viewing makes no store
        refused = upload(session, base, [("a.txt", SEED_TEXT)], "made-up")
        assert refused.status_code == 403
        assert not (tmp_path / "uploads").exists()


def test_wrong_password_is_refused_and_grants_nothing(desk):
    base, db_path = desk
    session = requests.Session()
    response = sign_in(session, base, password="wrong password!")
    assert response.status_code == 303
    assert "error=refused" in response.headers["Location"]
    assert "review-desk" not in render(session, base, "/review")
    token = page_token(session, base, "/login")
    assert upload(session, base, [("a.txt", SEED_TEXT)], token).status_code == 403
    assert not (db_path.parent / "uploads").exists()


def test_sign_in_opens_the_desk_with_a_safe_cookie(desk):
    base, db_path = desk
    session = requests.Session()
    response = sign_in(session, base)
    assert response.status_code == 303 and response.headers["Location"].startswith("/review")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "review-desk" in render(session, base, "/review")
    secret = db_path.parent / SECRET_FILE
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600


def test_a_login_without_the_csrf_token_is_refused(desk):
    base, _ = desk
    session = requests.Session()
    page_token(session, base, "/login")
    form = {"name": "alice", "password": PASSWORD}
    assert session.post(base + "/auth/login", data=form, allow_redirects=False).status_code == 403
    form["csrf_token"] = "forged-token"
    assert session.post(base + "/auth/login", data=form, allow_redirects=False).status_code == 403
    assert "review-desk" not in render(session, base, "/review")


def test_a_signed_in_request_without_the_csrf_token_is_refused(desk):
    base, db_path = desk
    session = requests.Session()
    sign_in(session, base)
    uploads = db_path.parent / "uploads"
    before = sorted(uploads.glob("*")) if uploads.exists() else []
    for token in (None, "", "forged-token"):
        assert upload(session, base, [("forged.txt", SEED_TEXT)], token).status_code == 403
    rebuild = call(
        session,
        base,
        [
            (rid("run-status"), "children"),
            (rid("documents"), "children"),
            (rid("run-seen"), "data"),
        ],
        [(rid("run-poll"), "n_intervals", 1), (rid("rebuild"), "n_clicks", 1)],
        [(rid("run-seen"), "data", None), (rid("csrf"), "data", None), ("url", "search", "")],
        changed=1,
    )
    assert rebuild.status_code == 403
    assert (sorted(uploads.glob("*")) if uploads.exists() else []) == before
    assert not (db_path.parent / ".review-etl.json").exists()  # no run started
    logout = session.post(base + "/auth/logout", data={}, allow_redirects=False)
    assert logout.status_code == 403  # signing out is a change too


def test_sign_out_ends_the_session(desk):
    base, _ = desk
    session = requests.Session()
    sign_in(session, base)
    token = page_token(session, base, "/review")
    response = session.post(base + "/auth/logout", data={"csrf_token": token}, allow_redirects=False)
    assert response.status_code == 303
    assert "review-desk" not in render(session, base, "/review")
    assert upload(session, base, [("a.txt", SEED_TEXT)], token).status_code == 403


def test_repeated_failures_lock_the_name_for_that_client(desk):
    base, db_path = desk
    add_reviewer(db_path, "bob")
    session = requests.Session()
    for _ in range(MAX_FAILURES):
        assert "error=refused" in sign_in(session, base, "bob", "not the password").headers["Location"]
    locked = sign_in(session, base, "bob", PASSWORD)  # the right password, too late
    assert "error=locked" in locked.headers["Location"]
    assert "review-desk" not in render(session, base, "/review")
    assert "error=refused" not in sign_in(requests.Session(), base).headers["Location"]  # alice is not locked
