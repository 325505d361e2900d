"""The review desk's pages as pure builders: sign-in, the desk (upload, the ETL run, documents), and the
page saying how to turn the desk on. Which one a path shows is `review_page`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import flask
from dash import dcc, html

from dashboard import queries
from dashboard.i18n import doc_type_name, t
from dashboard.review.auth import (
    CSRF_FIELD,
    LOGIN_PATH,
    LOGIN_POST,
    LOGOUT_POST,
    csrf_token,
    existing_store,
    signed_in,
)
from dashboard.review.doc_view import doc_review_page, indicator_names
from dashboard.review.history import entry_item
from dashboard.review.ids import rid
from dashboard.review.imports import TEMPLATE_URL
from dashboard.review.uploads import MAX_BYTES, MAX_FILES, uploaded_names, uploads_dir
from review.store import ReviewStore

REVIEW_PATH, DOC_PREFIX = "/review", "/review/doc/"
LOGIN_ERRORS = ("refused", "locked")
RECENT_CHANGES = 50  # audit entries the desk lists, newest first


def page_lang(search: str | None) -> str:
    return "en" if dict(parse_qsl((search or "").lstrip("?"))).get("lang") == "en" else "zh"


def hidden(name: str, value: str) -> dcc.Input:
    return dcc.Input(type="hidden", name=name, value=value)


def post_form(action: str, children: list, lang: str, class_name: str = "review-form") -> html.Form:
    """A form posted to a Flask route with this session's CSRF token and the page's language."""
    fields = [hidden(CSRF_FIELD, csrf_token()), hidden("lang", lang)]
    return html.Form([*fields, *children], action=action, method="POST", className=class_name)


def off_page(lang: str) -> html.Div:
    """No reviewer configured: the desk is off, and this says how to turn it on."""
    return html.Div(
        [
            html.H2(t("rv_title", lang)),
            html.P(t("rv_off", lang)),
            html.Pre("python -m dashboard users add NAME", className="review-command"),
        ],
        id="review-off",
        className="page",
    )


def login_page(search: str | None, lang: str) -> html.Div:
    error = dict(parse_qsl((search or "").lstrip("?"))).get("error")
    message = [html.P(t(f"rv_login_{error}", lang), className="notice")] if error in LOGIN_ERRORS else []
    fields = [
        html.Label([t("rv_name", lang), dcc.Input(name="name", id="login-name", autoComplete="username")]),
        html.Label(
            [
                t("rv_password", lang),
                dcc.Input(
                    name="password", id="login-password", type="password", autoComplete="current-password"
                ),
            ]
        ),
        html.Button(t("rv_sign_in", lang), type="submit", id="login-submit"),
    ]
    return html.Div(
        [html.H2(t("rv_sign_in", lang)), *message, post_form(LOGIN_POST, fields, lang)],
        id="review-login",
        className="page",
    )


def nav_items(db_path: Path, lang: str) -> list:
    """The header's review links: the desk and sign-out for a signed-in reviewer, nothing for anyone else."""
    store = existing_store(db_path) if "user" in flask.session else None
    who = signed_in(store) if store else None
    if who is None:
        return []
    sign_out = html.Button(t("rv_sign_out", lang), type="submit", id="logout-submit", className="link-button")
    return [
        dcc.Link(t("rv_nav", lang), href=f"{REVIEW_PATH}?lang={lang}", id="nav-review"),
        html.Span(who, className="review-who"),
        post_form(LOGOUT_POST, [sign_out], lang, "inline-form"),
    ]


def documents_table(db_path: Path, lang: str) -> html.Table | html.P:
    """Every stored document, uploads first (by the name they were uploaded under), each to its review;
    before the first database is built (by the first upload's run), that there is none yet."""
    if queries.db_problem(db_path):
        return html.P(t("rv_no_database", lang), id="review-no-database")
    docs = queries.review_documents(db_path)
    names = uploaded_names(uploads_dir(db_path))
    docs = docs.assign(uploaded=docs["id"].isin(names)).sort_values(
        "uploaded", ascending=False, kind="stable"
    )
    head = html.Tr([html.Th(t(f"rv_col_{c}", lang)) for c in ("document", "area", "year", "type", "facts")])
    rows = [
        html.Tr(
            [
                html.Td(dcc.Link(names.get(doc.id, doc.file_name), href=f"{DOC_PREFIX}{doc.id}?lang={lang}")),
                html.Td(doc.area or doc.area_code),
                html.Td(str(doc.year)),
                html.Td(doc_type_name(doc.doc_type, lang)),
                html.Td(str(doc.n_facts)),
            ],
            className="review-uploaded" if doc.uploaded else None,
        )
        for doc in docs.itertuples()
    ]
    return html.Table([html.Thead(head), html.Tbody(rows)], id="review-documents", className="review-table")


def template_hint(lang: str) -> html.P:
    link = html.A(t("rv_template_link", lang), href=TEMPLATE_URL, id="review-template-link")
    return html.P([t("rv_template_hint", lang), " ", link])


def target_text(target: str, files: dict[str, str], indicators: dict[str, str]) -> str:
    """What an audit entry changed, for a reader: the file by the name it was uploaded under (else its
    base name), and the indicator by its name, with its dims and where in the text (`@545`)."""
    head, at, start = target.rpartition(" @")
    if at and start.isdigit():  # a fact: `path indicator[dims] @start`
        path, _, what = head.rpartition(" ")
        indicator, bracket, dims = what.partition("[")
        label = f"{indicators.get(indicator, indicator)}{bracket}{dims} @{start}"
    else:  # a document: `path (doc id)`
        path, label = target.rpartition(" (")[0] or target, ""
    name = files.get(Path(path).stem, Path(path).name)
    return f"{name} · {label}" if label else name


def recent_changes(db_path: Path, store: ReviewStore, lang: str) -> html.Div:
    entries = store.audit(RECENT_CHANGES)
    if not entries:
        return html.P(t("rv_no_history", lang))
    files = uploaded_names(uploads_dir(db_path))
    indicators = indicator_names(db_path, lang)[0] if not queries.db_problem(db_path) else {}
    items = []
    for entry in entries:
        item = entry_item(entry, lang)
        target = html.Span(target_text(entry.target, files, indicators), className="rv-target")
        items.append(html.Li([target, *item.children], className=item.className))
    return html.Ol(items, id="review-recent", className="rv-recent")


def desk_page(db_path: Path, store: ReviewStore, lang: str) -> html.Div:
    """The desk: upload reports or a filled-in template, the ETL run, the documents to review, and the
    latest changes of every reviewer."""
    upload = dcc.Upload(
        html.Div(t("rv_upload_hint", lang, mb=MAX_BYTES // (1024 * 1024), n=MAX_FILES)),
        id=rid("upload"),
        multiple=True,
        max_size=MAX_BYTES,
        className="review-upload",
    )
    run = html.Div(
        [
            html.Button(t("rv_rebuild", lang), id=rid("rebuild")),
            html.Div(id=rid("run-status"), className="review-run-status"),
            dcc.Interval(id=rid("run-poll"), interval=1500),
            dcc.Store(id=rid("run-seen")),
        ],
        className="review-run",
    )
    return html.Div(
        [
            html.H2(t("rv_title", lang)),
            dcc.Store(id=rid("csrf"), data=csrf_token()),
            html.H3(t("rv_upload", lang)),
            upload,
            template_hint(lang),
            html.Div(id=rid("upload-result"), className="review-upload-result"),
            html.H3(t("rv_run", lang)),
            run,
            html.H3(t("rv_documents", lang)),
            html.Div(documents_table(db_path, lang), id=rid("documents")),
            html.H3(t("rv_recent", lang)),
            recent_changes(db_path, store, lang),
        ],
        id="review-desk",
        className="page",
    )


def review_page(db_path: Path, pathname: str, search: str | None, lang: str) -> html.Div | None:
    """The page of a review path (/login, /review, /review/doc/<id>); None for any other path."""
    if pathname != LOGIN_PATH and pathname != REVIEW_PATH and not pathname.startswith(DOC_PREFIX):
        return None
    store = existing_store(db_path)
    if store is None or not store.has_users():
        return off_page(lang)
    if pathname == LOGIN_PATH:
        return login_page(search, lang)
    if signed_in(store) is None:
        return html.Div(
            [
                html.P(t("rv_sign_in_needed", lang)),
                dcc.Link(t("rv_sign_in", lang), href=f"{LOGIN_PATH}?lang={lang}"),
            ],
            id="review-sign-in-needed",
            className="page",
        )
    if pathname == REVIEW_PATH:
        return desk_page(db_path, store, lang)
    if queries.db_problem(db_path):
        return html.Div(html.P(t("doc_not_found", lang)), className="page")
    return doc_review_page(db_path, store, pathname.removeprefix(DOC_PREFIX), lang)


def first_build_link(db_path: Path, lang: str) -> list:
    """On the page shown while there is no database (or an empty one): where reviewers are configured, the
    way to build the first one by upload: sign in (which leads to the desk), or the desk when signed in."""
    store = existing_store(db_path)
    if store is None or not store.has_users():
        return []
    path = REVIEW_PATH if signed_in(store) else LOGIN_PATH
    link = dcc.Link(t("rv_nav" if path == REVIEW_PATH else "rv_sign_in", lang), href=f"{path}?lang={lang}")
    return [html.P([t("rv_first_upload", lang), " ", link], id="first-upload")]
