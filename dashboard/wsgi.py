"""The dashboard as a WSGI application for a production server: `gunicorn dashboard.wsgi:server`
(`make serve`, settings in dashboard/gunicorn_conf.py).

The database is $DASHBOARD_DB (default data/emergency.duckdb). Each worker opens it read-only per query,
so a database the ETL rebuilds (swapped in with os.replace) is served without a restart.
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.app import create_app
from dashboard.queries import DEFAULT_DB

DB_ENV = "DASHBOARD_DB"


def database_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


# gunicorn wants a module-level application: built once per master (preload_app) and forked to workers
server = create_app(database_path()).server
