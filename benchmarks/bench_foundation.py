"""Foundation benchmark (issue 2): vectorized tree evaluation and exhaustive
disagreement against per-row Python loops measured in the same run.

(a) ``DecisionTree.predict`` of a random complete depth-8 tree on all 2^20
    points of {-1,+1}^20, against a loop that walks the tree row by row.
(b) ``pd.checkers.disagreement`` of two random complete depth-6 trees at d = 20
    under the uniform distribution (exhaustive: every point of the cube),
    against a loop that builds each point from its index, walks both trees and
    counts the differences.

The per-row loops run on all 2^20 rows by default (a few seconds). On a slow
machine ``--loop-rows`` times them on a subset and extrapolates linearly to
2^20 rows (the loop does the same work per row, so its time is linear in the
rows); the JSON says which was done. Both loops are checked to give the same
answers as the vectorized code on the rows they ran on. All timings are the
best of ``--repeat`` runs.

Usage::

    python benchmarks/bench_foundation.py [--loop-rows 1048576] [--repeat 3]

Writes ``benchmarks/results/foundation.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from _machine import environment, load_average

import pacdistill as pd

D = 20
RESULTS = Path(__file__).resolve().parent / "results" / "foundation.json"


def loop_predict(tree: pd.DecisionTree, rows: list[list[int]]) -> list[int]:
    """The naive evaluator: for each row, walk from the root to a leaf."""
    feature, plus, minus, value = (a.tolist() for a in
                                   (tree.feature, tree.plus, tree.minus, tree.value))
    out = []
    for x in rows:
        v = 0
        while feature[v] >= 0:
            v = plus[v] if x[feature[v]] == 1 else minus[v]
        out.append(value[v])
    return out


def timed_loop_predict(tree: pd.DecisionTree, X: np.ndarray) -> tuple[float, list[int]]:
    """Seconds spent in :func:`loop_predict` over the rows of X, fed as Python
    lists (the loop's best case) converted 2^16 rows at a time; the conversion
    is not timed."""
    seconds, out = 0.0, []
    for a in range(0, len(X), 1 << 16):
        rows = X[a:a + (1 << 16)].tolist()
        start = time.perf_counter()
        out += loop_predict(tree, rows)
        seconds += time.perf_counter() - start
    return seconds, out


def loop_disagreement_count(t1: pd.DecisionTree, t2: pd.DecisionTree, indices: range) -> int:
    """Count the points i (enumeration order) where t1 and t2 differ, building
    each point's needed coordinates from the bits of i (bit j = 1 -> x_j = -1)."""
    trees = [tuple(a.tolist() for a in (t.feature, t.plus, t.minus, t.value)) for t in (t1, t2)]
    count = 0
    for i in indices:
        outs = []
        for feature, plus, minus, value in trees:
            v = 0
            while feature[v] >= 0:
                v = minus[v] if (i >> feature[v]) & 1 else plus[v]
            outs.append(value[v])
        count += outs[0] != outs[1]
    return count


def _extrapolation(timed: int, total: int, what: str) -> str:
    if timed == total:
        return "none: the loop ran on every row"
    return f"linear: the loop ran on {timed} {what}; its time is scaled by {total / timed:g}"


def best_of(repeat: int, func) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_predict(rng: np.random.Generator, loop_rows: int, repeat: int) -> dict:
    tree = pd.CLASSES["decision_tree"].random(rng, d=D, depth=8)
    X = pd.cube.enumerate(D)
    vec_seconds, y = best_of(repeat, lambda: tree.predict(X))
    subset = np.sort(rng.choice(len(X), size=loop_rows, replace=False))
    runs = [timed_loop_predict(tree, X[subset]) for _ in range(repeat)]
    loop_seconds, y_loop = min(runs, key=lambda run: run[0])
    assert y_loop == y[subset].tolist(), "loop and predict disagree"
    extrapolated = loop_seconds * len(X) / loop_rows
    return {
        "name": "tree_predict",
        "what": "DecisionTree.predict of a random complete depth-8 tree on all 2^20 "
                "points of {-1,+1}^20 vs a per-row Python loop walking the tree",
        "d": D, "depth": 8, "leaves": tree.size()["s"], "rows": len(X),
        "vectorized_seconds": vec_seconds,
        "loop_rows_timed": loop_rows,
        "loop_seconds_measured": loop_seconds,
        "loop_seconds_for_all_rows": extrapolated,
        "extrapolation": _extrapolation(loop_rows, len(X), "random rows"),
        "speedup": extrapolated / vec_seconds,
        "rows_per_second_vectorized": len(X) / vec_seconds,
        "rows_per_second_loop": loop_rows / loop_seconds,
    }


def bench_disagreement(rng: np.random.Generator, loop_rows: int, repeat: int) -> dict:
    t1 = pd.CLASSES["decision_tree"].random(rng, d=D, depth=6)
    t2 = pd.CLASSES["decision_tree"].random(rng, d=D, depth=6)
    vec_seconds, est = best_of(repeat, lambda: pd.checkers.disagreement(t1, t2))
    assert est.exact and est.n == 2 ** D
    start = int(rng.integers(0, 2 ** D - loop_rows + 1))
    indices = range(start, start + loop_rows)
    loop_seconds, count = best_of(repeat, lambda: loop_disagreement_count(t1, t2, indices))
    X = pd.cube.points(indices.start, indices.stop, D)
    assert count == int(np.count_nonzero(t1.predict(X) != t2.predict(X))), "loop disagrees"
    extrapolated = loop_seconds * 2 ** D / loop_rows
    return {
        "name": "exhaustive_disagreement",
        "what": "pd.checkers.disagreement (exact, uniform) of two random complete "
                "depth-6 trees at d = 20 vs a per-row Python loop over the 2^20 "
                "enumeration indices walking both trees",
        "d": D, "depth": 6, "points": 2 ** D, "disagreement": est.value,
        "vectorized_seconds": vec_seconds,
        "loop_rows_timed": loop_rows,
        "loop_seconds_measured": loop_seconds,
        "loop_seconds_for_all_rows": extrapolated,
        "extrapolation": _extrapolation(loop_rows, 2 ** D, f"consecutive indices from {start}"),
        "speedup": extrapolated / vec_seconds,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loop-rows", type=int, default=1 << D,
                        help="rows the per-row loops run on (default: all 2^20)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="best-of repeats for the vectorized timings")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    load_at_start = load_average()
    cases = [bench_predict(rng, args.loop_rows, args.repeat),
             bench_disagreement(rng, args.loop_rows, args.repeat)]
    result = {
        "benchmark": "foundation",
        "issue": 2,
        "seed": args.seed,
        "timing": f"time.perf_counter, best of {args.repeat} runs for both the "
                  "vectorized code and the loops",
        "environment": environment(load_at_start),
        "cases": cases,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    for case in cases:
        print(f"{case['name']}: vectorized {case['vectorized_seconds']:.4f} s, loop "
              f"{case['loop_seconds_for_all_rows']:.2f} s ({case['extrapolation']}), "
              f"speedup {case['speedup']:.1f}x")
    return result


if __name__ == "__main__":
    main()
