"""Scores extracted facts against gold facts by the matching rule of tests/gold/README.md.

`python -m etl.score GOLD (PRED.jsonl | --extract PATH...) [--show]` prints per-indicator counts and
ratios; with --show, every miss (FN) and false positive grouped by indicator, so a rule's failures read
together; with --extract, the reports refused (quarantined), since a refused report explains its misses;
and last `P=.. R=.. F1=.. tp=.. fp=.. fn=..`. That last line must equal the referee scorer's
(../shared/tools/score.py): tests/test_accuracy.py runs both on the same output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

TOLERANCE = 0.005  # relative
EVIDENCE_CHARS = 80  # enough to recognise the sentence, short enough for one terminal line
UNREADABLE = "(unreadable prediction)"  # the group of lines that are not facts at all


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
            continue  # the same fact printed twice counts once
        seen.add(ident)
        hit = _best_match(by_key.get(key, []), p, value, matched)
        if hit is None:
            result.fp += 1
            result.per_indicator[p["indicator"]][1] += 1
            result.false_positives.append(p)
        elif hit["status"] == "required" and id(hit) not in matched:
            matched.add(id(hit))
            result.tp += 1
            result.per_indicator[p["indicator"]][0] += 1
    _count_misses(result, gold, matched)
    return result


def _best_match(lines: list[dict], pred: dict, value: float, matched: set[int]) -> dict | None:
    """The gold line a prediction earns: an unmatched required one, else a matched one, else optional;
    so a duplicate never steals a second required line and an optional line never costs precision."""
    candidates = [g for g in lines if _same_area(g, pred) and _close(float(g["value"]), value)]
    candidates.sort(key=lambda g: (g["status"] != "required", id(g) in matched))
    return candidates[0] if candidates else None


def _count_misses(result: Score, gold: list[dict], matched: set[int]) -> None:
    """Every required line no prediction matched is a miss (optional lines never are)."""
    for g in gold:
        if g["status"] == "required" and id(g) not in matched:
            result.fn += 1
            result.per_indicator[g["indicator"]][2] += 1
            result.false_negatives.append(g)


def read_jsonl(path: str) -> list[dict]:
    """Gold lines: a broken one is an error in the yardstick, so it raises."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_predictions(path: str) -> list[dict]:
    """Predicted lines: a broken or non-object line is kept as a marker that `score` counts as a false
    positive, as the referee does (a broken output line is a wrong answer, not a crash)."""
    predictions = []
    with open(path, encoding="utf-8") as f:
        for line in filter(str.strip, f):
            try:
                fact = json.loads(line)
            except json.JSONDecodeError:
                fact = {"unparsable": line.strip()}
            predictions.append(fact if isinstance(fact, dict) else {"unparsable": fact})
    return predictions


def report(result: Score, show: bool, quarantined: Iterable[str] = ()) -> str:
    """The whole printout; the summary line comes last so scripts and tests can read it with tail -1."""
    lines = _counts_table(result)
    if show:
        lines += _errors_by_indicator(result)
    lines += [f"quarantined: {q}" for q in quarantined]
    lines.append(result.summary())
    return "\n".join(lines)


def _counts_table(result: Score) -> list[str]:
    """One line per indicator that has a hit, a miss or a false positive."""
    return [
        f"{ind:26s} tp={t:3d} fp={f:3d} fn={n:3d}  P={_ratio(t, t + f)} R={_ratio(t, t + n)}"
        for ind, (t, f, n) in sorted(result.per_indicator.items())
    ]


def _errors_by_indicator(result: Score) -> list[str]:
    """Misses and false positives under a heading per indicator, sorted by document so that a wrong
    value (FP) sits beside the gold line it missed (FN)."""
    groups: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for kind, facts in (("FN", result.false_negatives), ("FP", result.false_positives)):
        for fact in facts:
            groups[str(fact.get("indicator") or UNREADABLE)].append((kind, fact))
    lines = []
    for indicator, errors in sorted(groups.items()):
        fns = sum(kind == "FN" for kind, _ in errors)
        lines += ["", f"{indicator}: {fns} missed, {len(errors) - fns} false positive"]
        errors.sort(key=lambda e: (str(e[1].get("doc")), str(e[1].get("year")), str(e[1].get("dims")), e[0]))
        lines += [_fact_line(kind, fact) for kind, fact in errors]
    return [*lines, ""] if lines else lines


def _fact_line(kind: str, fact: dict) -> str:
    """`  FN doc area year dims value  evidence`: dims as `k=v` (or `-`), evidence cut to one line; the
    area because a right figure credited to the wrong area is an FP beside an FN of the same value."""
    if "unparsable" in fact:
        return f"  {kind} {str(fact['unparsable'])[:EVIDENCE_CHARS]}"
    dims = fact.get("dims")
    dims_text = ",".join(f"{k}={v}" for k, v in dims.items()) if isinstance(dims, dict) and dims else "-"
    evidence = str(fact.get("evidence", ""))
    if len(evidence) > EVIDENCE_CHARS:
        evidence = evidence[:EVIDENCE_CHARS] + "…"
    area = fact.get("area", fact.get("city"))
    fields = (fact.get("doc"), area, fact.get("year"), dims_text, fact.get("value"))
    return f"  {kind} " + " ".join(map(str, fields)) + "  " + evidence


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "  - "


def extract_predictions(paths: list[str]) -> tuple[list[dict], list[str]]:
    """The facts `python -m etl extract PATHS` prints, and `name: reason` per refused report."""
    from etl.pipeline import extract_paths  # the scorer only needs the pipeline when asked to run it

    predictions, refused = [], []
    for _doc, facts, quarantined in extract_paths(paths):
        predictions += [f.to_json() for f in facts]
        if quarantined:
            refused.append(f"{quarantined.file_name}: {quarantined.reason}")
    return predictions, refused


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl.score", description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="gold facts, JSON lines")
    ap.add_argument("pred", nargs="?", help="predicted facts, JSON lines (or use --extract)")
    ap.add_argument(
        "--extract", nargs="+", metavar="PATH", help="run the extractor on these reports and score it"
    )
    ap.add_argument(
        "--show", action="store_true", help="list every miss and false positive, grouped by indicator"
    )
    args = ap.parse_args(argv)
    if bool(args.pred) == bool(args.extract):
        ap.error("give PRED or --extract PATH...")
    if args.extract:
        predictions, refused = extract_predictions(args.extract)
    else:
        predictions, refused = read_predictions(args.pred), []
    print(report(score(read_jsonl(args.gold), predictions), args.show, refused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
