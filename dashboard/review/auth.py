"""Sign-in for the review desk: a signed Flask session cookie (HttpOnly, SameSite=Lax), a CSRF token per
session carried by every state-changing request, and login attempts limited per name and client.

Viewing stays open: only the review pages and their requests need a signed-in reviewer."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

import flask
from werkzeug.exceptions import Forbidden

from review.store import ReviewStore, store_path

SECRET_ENV = "DASHBOARD_SECRET_KEY"
SECRET_FILE = ".secret_key"  # beside the database, 0600, never in the repository
LOGIN_PATH, LOGIN_POST, LOGOUT_POST = "/login", "/auth/login", "/auth/logout"
CSRF_FIELD = "csrf_token"
MAX_FAILURES, FAILURE_WINDOW_S = 5, 15 * 60  # failed sign-ins per name and client before refusing
MAX_FIELD_CHARS = 200  # a name or password longer than this is refused unread


def secret_key(folder: Path) -> str | None:
    """The session-signing secret: from the environment, else a file beside the database, generated once
    (written aside and linked in, so two processes starting together agree); None when neither works."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    path = folder / SECRET_FILE
    try:
        if not path.exists():
            draft = folder / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
            descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as out:
                out.write(secrets.token_hex(32))
            try:
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return path.read_text().strip() or None
    except OSError:
        return None


def configure(server: flask.Flask, db_path: Path) -> None:
    """Give the Flask server its secret and cookie settings, and the sign-in routes."""
    server.secret_key = secret_key(db_path.parent)
    server.config.update(
        SESSION_COOKIE_NAME="review_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    register_routes(server, db_path)


def open_store(db_path: Path) -> ReviewStore:
    """The review store beside the database (created empty when absent)."""
    return ReviewStore(store_path(db_path))


def existing_store(db_path: Path) -> ReviewStore | None:
    """The review store if one was made (`python -m dashboard users add`); None leaves no file behind."""
    return open_store(db_path) if store_path(db_path).exists() else None


def csrf_token() -> str:
    """This session's CSRF token, made on first use."""
    token = flask.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = flask.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(sent: object) -> bool:
    token = flask.session.get("csrf")
    return (
        isinstance(sent, str) and isinstance(token, str) and bool(token) and hmac.compare_digest(sent, token)
    )


def signed_in(store: ReviewStore) -> str | None:
    """The reviewer this session signed in as, while that account still exists."""
    name = flask.session.get("user")
    return name if isinstance(name, str) and name in store.users() else None


def require_reviewer(store: ReviewStore | None, token: object) -> str:
    """The reviewer making a state-changing request; 403 without the session's CSRF token or a sign-in
    (or with no review store: the desk is off)."""
    if not csrf_ok(token):
        raise Forbidden("missing or wrong CSRF token")
    who = signed_in(store) if store is not None else None
    if who is None:
        raise Forbidden("not signed in")
    return who


def login_redirect(error: str | None, lang: str) -> flask.Response:
    query = "&".join(part for part in (f"error={error}" if error else "", f"lang={lang}") if part)
    return flask.redirect((LOGIN_PATH if error else "/review") + "?" + query, code=303)


def form_lang() -> str:
    return "en" if flask.request.form.get("lang") == "en" else "zh"


def register_routes(server: flask.Flask, db_path: Path) -> None:
    @server.post(LOGIN_POST)
    def login() -> flask.Response:
        """Sign in from the /login form: refused after MAX_FAILURES failures within the window."""
        form = flask.request.form
        if not csrf_ok(form.get(CSRF_FIELD)):
            raise Forbidden("missing or wrong CSRF token")
        name, password = form.get("name", ""), form.get("password", "")
        lang, client = form_lang(), flask.request.remote_addr or ""
        if not name or len(name) > MAX_FIELD_CHARS or len(password) > MAX_FIELD_CHARS:
            return login_redirect("refused", lang)
        store = open_store(db_path)
        if store.recent_failures(name, client, FAILURE_WINDOW_S) >= MAX_FAILURES:
            return login_redirect("locked", lang)
        ok = store.check_password(name, password)
        store.note_login(name, client, ok)
        if not ok:
            return login_redirect("refused", lang)
        flask.session.clear()  # a new token for the signed-in session: none set before sign-in is kept
        flask.session["user"] = name
        csrf_token()
        return login_redirect(None, lang)

    @server.post(LOGOUT_POST)
    def logout() -> flask.Response:
        if not csrf_ok(flask.request.form.get(CSRF_FIELD)):
            raise Forbidden("missing or wrong CSRF token")
        flask.session.clear()
        return flask.redirect(f"/?lang={form_lang()}", code=303)
