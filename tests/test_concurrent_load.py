"""Many managers at once, short: 20 simulated users on the production server (gunicorn, 4 workers, the
shared export service) for ~10 s while the ETL rebuilds the database under it. No request may fail, and
the rebuilt database is served without a restart. The full run is `make load-test` (tests/load_test.py)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import SEED_REPORTS
from tests.gunicorn_server import gunicorn
from tests.load_test import Rebuilds, ViewCatalog, run_load, serves_report, summary

pytestmark = pytest.mark.timeout(180)

USERS, SECONDS = 20, 10.0


def test_twenty_users_see_no_failure_while_the_database_is_rebuilt(seed_db, tmp_path):
    rebuilds = Rebuilds(tmp_path / "reports", tmp_path / "emergency.duckdb")
    shutil.copytree(SEED_REPORTS, rebuilds.reports)
    shutil.copyfile(seed_db, rebuilds.db_path)  # built from the same reports by the session fixture
    left_out = rebuilds.moved.name
    with gunicorn(rebuilds.db_path) as server:
        rebuilds.base_url = server.base_url
        assert serves_report(server.base_url, left_out)
        result = run_load(server.base_url, ViewCatalog.of(seed_db), USERS, SECONDS, [rebuilds.step(1)])
        server_log = server.errors()
    print("\n".join(summary(result, SECONDS)))
    assert result.failures == 0, f"{result.errors[:10]}\n{server_log}"
    assert rebuilds.served == [True]  # the report left out by the rebuild is gone from the page
    assert len(result.timings) >= 3 * USERS  # every user loaded the page (page, layout, dependencies)
    assert {t.name for t in result.timings} >= {"page", "layout", "dependencies"}
