"""Scores extracted facts against gold facts by the matching rule of tests/gold/README.md.

`python -m etl.score GOLD (PRED.jsonl | --extract PATH...) [--show]` prints per-indicator counts, every
false positive and false negative with --show, and last `P=.. R=.. F1=.. tp=.. fp=.. fn=..`. It must give
the same figures as the referee scorer; tests/test_accuracy.py runs both on the same output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

TOLERANCE = 0.005  # relative


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    per_indicator: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> str:
        return (
            f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"tp={self.tp} fp={self.fp} fn={self.fn}"
        )


def _key(fact: dict) -> tuple:
    dims = fact.get("dims") or {}
    return (
        fact["doc"],
        int(fact["year"]),
        fact["indicator"],
        tuple(sorted((str(k), str(v)) for k, v in dims.items())),
    )


def _same_area(gold: dict, pred: dict) -> bool:
    if pred.get("area_code"):
        return str(pred["area_code"]) == str(gold["area_code"])
    return pred.get("area", pred.get("city")) == gold["area"]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)


def score(gold: list[dict], predictions: Iterable[dict]) -> Score:
    """Match each distinct prediction to an unmatched required line first, then any line."""
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for g in gold:
        by_key[_key(g)].append(g)
    result, matched, seen = Score(), set(), set()
    for p in predictions:
        try:
            key, value = _key(p), float(p["value"])
        except (KeyError, TypeError, ValueError, AttributeError):
            result.fp += 1
            result.false_positives.append(p)
            continue
        ident = (key, p.get("area_code") or p.get("area", p.get("city")), round(value, 6))
        if ident in seen:
            continue
        seen.add(ident)
        candidates = [g for g in by_key.get(key, []) if _same_area(g, p) and _close(float(g["value"]), value)]
        candidates.sort(key=lambda g: (g["status"] != "required", id(g) in matched))
        hit = candidates[0] if candidates else None
        if hit is None:
            result.fp += 1
            result.per_indicator[p["indicator"]][1] += 1
            result.false_positives.append(p)
        elif hit["status"] == "required" and id(hit) not in matched:
            matched.add(id(hit))
            result.tp += 1
            result.per_indicator[p["indicator"]][0] += 1
    for g in gold:
        if g["status"] == "required" and id(g) not in matched:
            result.fn += 1
            result.per_indicator[g["indicator"]][2] += 1
            result.false_negatives.append(g)
    return result


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def report(result: Score, show: bool) -> str:
    lines = [
        f"{ind:26s} tp={t:3d} fp={f:3d} fn={n:3d}  P={_ratio(t, t + f)} R={_ratio(t, t + n)}"
        for ind, (t, f, n) in sorted(result.per_indicator.items())
    ]
    if show:
        lines += [_line("FP", p) for p in result.false_positives]
        lines += [_line("FN", g) for g in result.false_negatives]
    lines.append(result.summary())
    return "\n".join(lines)


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "  - "


def _line(kind: str, f: dict) -> str:
    fields = (f.get(k) for k in ("doc", "area", "year", "indicator", "dims", "value"))
    return f"{kind} " + " ".join(map(str, fields)) + " " + str(f.get("evidence", ""))[:60]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl.score", description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="gold facts, JSON lines")
    ap.add_argument("pred", nargs="?", help="predicted facts, JSON lines (or use --extract)")
    ap.add_argument(
        "--extract", nargs="+", metavar="PATH", help="run the extractor on these reports and score it"
    )
    ap.add_argument("--show", action="store_true", help="list every false positive and false negative")
    args = ap.parse_args(argv)
    if bool(args.pred) == bool(args.extract):
        ap.error("give PRED or --extract PATH...")
    if args.extract:
        from etl.pipeline import extract_paths  # the scorer only needs the pipeline when asked to run it

        predictions = [f.to_json() for _doc, facts, _q in extract_paths(args.extract) for f in facts]
    else:
        predictions = read_jsonl(args.pred)
    print(report(score(read_jsonl(args.gold), predictions), args.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
