"""Extraction on the seed reports, with no manifest, scored against the gold (tests/gold/seeds.jsonl)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl.ingest import ingest
from etl.score import read_jsonl, score

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "seeds.jsonl"
REFEREE = ROOT.parent / "shared" / "tools" / "score.py"


@pytest.fixture(scope="module")
def predictions(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extract") / "pred.jsonl"
    reports = sorted(str(p) for p in (ROOT / "data" / "reports").glob("*.txt"))
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "extract", *reports],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out.write_text(proc.stdout, encoding="utf-8")
    return out


def test_seed_precision_and_recall(predictions):
    result = score(read_jsonl(str(GOLD)), read_jsonl(str(predictions)))
    assert result.precision >= 0.97, result.false_positives
    assert result.recall >= 0.95, result.false_negatives


def test_every_prediction_points_into_the_stored_text(predictions):
    texts = {p.name: ingest(p).text for p in (ROOT / "data" / "reports").glob("*.txt")}
    for fact in read_jsonl(str(predictions)):
        text = texts[fact["doc"]]
        assert fact["evidence"] in text
        figure = text[fact["start"] : fact["end"]]
        assert figure in fact["evidence"] and any(ch.isdigit() for ch in figure), (figure, fact)


@pytest.mark.skipif(
    not REFEREE.exists(), reason="the referee scorer lives in ../shared (not in a user's clone)"
)
def test_project_scorer_agrees_with_the_referee(predictions, tmp_path):
    # a worse prediction set too, so the two are compared on false positives and misses as well
    worse = tmp_path / "worse.jsonl"
    lines = read_jsonl(str(predictions))
    lines = lines[::2] + [dict(lines[0], value=lines[0]["value"] * 2), dict(lines[1], year=1999)]
    worse.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    for pred in (predictions, worse):
        referee = (
            subprocess.run(
                [sys.executable, str(REFEREE), str(GOLD), str(pred)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        ours = score(read_jsonl(str(GOLD)), read_jsonl(str(pred))).summary()
        assert ours == referee
