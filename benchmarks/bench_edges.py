"""Edge-time benchmark (issue 4): do the declared times of the web's edges scale
like the work the code does?

Each case scales one parameter and times, in the same run and on the same
inputs, the code under test and a baseline whose cost is known (or the same
code on a variant of the input that the declared formula cannot tell apart).
A declared time that misses a term shows up as a ratio (code / baseline) that
grows with the parameter; the JSON gives every ratio and the fitted log-log
slopes of the two timings.

(a) ``tree_to_dnf`` on complete trees of depth r whose 2^r - 1 internal nodes
    each test their own variable (d = 2^r - 1), all leaves +1. Baseline:
    ``tree.paths()``, the s (r + 1) part the edge declared before this
    session. The DNF's dense literal matrix has s (s - 1) entries, so the
    ratio grows like s / r unless the declared time is s (r + d).
(b) ``decision_list_to_tree`` on 1-decision lists of l rules on l distinct
    variables (d = l): a caterpillar tree of depth l. Baselines: ``simplify_1dl``,
    the O(l) pass over the rules; and the DecisionTree constructor's previous
    check that no variable repeats on a path (one pass over all 2l + 1 nodes per
    level, (2l + 1) l; reimplemented here as it was before this session's
    change, and run on the same tree's arrays), against the sort that replaced
    it (declared time l (log l + 1); l before, which the old check broke).
(c) Evaluating a DNF of s one-literal terms (s w = s either way) on the same
    n points: on s distinct variables (d = s, an s x s literal matrix) against
    all on variable 0 (an s x 1 matrix). ``CLASSES["dnf"].eval_time`` was s w,
    the same for both; the ratio grows like s, as the cost is s x (variables
    that occur), which the formula s min(d, s w) states since this session.

BLAS is limited to one thread (threadpoolctl) so the ratios do not depend on
the machine's load across cores. Timings are the best of ``--repeat`` runs.

Usage::

    python benchmarks/bench_edges.py [--repeat 5] [--points 4096]

Writes ``benchmarks/results/edges.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _machine import environment, load_average

import pacdistill as pd
from pacdistill.reductions.decision_list_to_halfspace import simplify_1dl
from pacdistill.reductions.decision_list_to_tree import decision_list_to_tree
from pacdistill.reductions.tree_to_dnf import tree_to_dnf

RESULTS = Path(__file__).resolve().parent / "results" / "edges.json"


def best_of(repeat: int, func: Callable[[], Any]) -> float:
    """The least wall time of ``repeat`` calls of ``func`` (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) on log(x)."""
    return float(np.polyfit(np.log(xs), np.log(ys), 1)[0])


def distinct_complete_tree(r: int) -> pd.DecisionTree:
    """Depth r, internal node v tests variable v (d = 2^r - 1), every leaf +1."""
    n_internal = (1 << r) - 1
    ids = np.arange(2 * n_internal + 1)
    internal = ids < n_internal
    return pd.DecisionTree(n_internal, np.where(internal, ids, -1),
                           np.where(internal, 2 * ids + 1, -1),
                           np.where(internal, 2 * ids + 2, -1), np.where(internal, 0, 1))


def case_tree_to_dnf(repeat: int) -> dict:
    rows = []
    for r in (7, 9, 11, 12, 13):  # r = 13: 8192 x 8191 cells, under MAX_LITERAL_CELLS
        tree = distinct_complete_tree(r)
        s, d = tree.n_leaves, tree.d
        conv = best_of(repeat, lambda tree=tree: tree_to_dnf(tree))
        base = best_of(repeat, tree.paths)
        rows.append({"r": r, "s": s, "d": d, "convert_seconds": conv,
                     "paths_seconds": base, "ratio": conv / base,
                     "literal_matrix_entries": s * d, "s_times_r_plus_1": s * (r + 1)})
    s_values = [row["s"] for row in rows]
    return {
        "name": "tree_to_dnf",
        "family": "complete depth-r trees, one variable per internal node (d = 2^r - 1)",
        "baseline": "tree.paths() (the s (r + 1) part)",
        "rows": rows,
        "slope_convert_vs_s": slope(s_values, [row["convert_seconds"] for row in rows]),
        "slope_paths_vs_s": slope(s_values, [row["paths_seconds"] for row in rows]),
    }


def list_on_distinct_variables(l: int) -> pd.DecisionList:
    return pd.DecisionList(l, [([(i, 1)], 1 if i % 2 else -1) for i in range(l)],
                           default=1 if l % 2 else -1)


def previous_path_check(tree: pd.DecisionTree) -> None:
    """The DecisionTree constructor's check "no variable twice on a path" as it was
    before this session: compare every node's variable with each ancestor's, one
    vectorized pass over all nodes per generation (O(nodes x depth))."""
    feature, parent = np.asarray(tree.feature), np.asarray(tree.parent())
    leaf = feature < 0
    ancestor = parent.copy()
    for _ in range(tree.depth):
        has = ancestor >= 0
        if not has.any():
            break
        clash = np.flatnonzero(~leaf & has & (feature == feature[np.where(has, ancestor, 0)]))
        assert not clash.size
        ancestor = np.where(has, parent[np.where(has, ancestor, 0)], -1)


def case_decision_list_to_tree(repeat: int) -> dict:
    rows = []
    for l in (500, 1000, 2000, 4000, 8000, 16000):
        dl = list_on_distinct_variables(l)
        tree = decision_list_to_tree(dl).model
        conv = best_of(repeat, lambda dl=dl: decision_list_to_tree(dl))
        base = best_of(repeat, lambda dl=dl: simplify_1dl(dl))
        old = best_of(min(repeat, 2), lambda tree=tree: previous_path_check(tree))
        rows.append({"l": l, "convert_seconds": conv, "simplify_seconds": base,
                     "previous_check_seconds": old, "ratio": conv / base,
                     "previous_check_over_convert": old / conv})
    ls = [row["l"] for row in rows]
    return {
        "name": "decision_list_to_tree",
        "family": "l one-literal rules on l distinct variables (d = l)",
        "baseline": "simplify_1dl (one pass over the rules, O(l)); the constructor's "
                    "previous path check (nodes x depth) on the same tree",
        "rows": rows,
        "slope_convert_vs_l": slope(ls, [row["convert_seconds"] for row in rows]),
        "slope_simplify_vs_l": slope(ls, [row["simplify_seconds"] for row in rows]),
        "slope_previous_check_vs_l": slope(ls, [row["previous_check_seconds"]
                                                for row in rows]),
    }


def case_dnf_eval(repeat: int, points: int) -> dict:
    rng = np.random.default_rng(0)
    rows = []
    for s in (64, 128, 256, 512, 1024, 2048):
        X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(points, s))
        spread = pd.DNF(s, [[(i, 1)] for i in range(s)])
        stacked = pd.DNF(s, [[(0, 1)] for _ in range(s)])
        t_spread = best_of(repeat, lambda f=spread, X=X: f.predict(X))
        t_stacked = best_of(repeat, lambda f=stacked, X=X: f.predict(X))
        rows.append({"s": s, "w": 1, "d": s, "points": points,
                     "distinct_variables_seconds": t_spread,
                     "one_variable_seconds": t_stacked, "ratio": t_spread / t_stacked})
    ss = [row["s"] for row in rows]
    return {
        "name": "dnf_eval",
        "family": "s one-literal terms (s w = s): on s distinct variables vs all on x0",
        "baseline": "the same s terms all on variable 0 (a literal matrix of s x 1)",
        "declared_eval_time": str(pd.CLASSES["dnf"].eval_time),
        "rows": rows,
        "slope_distinct_vs_s": slope(ss, [row["distinct_variables_seconds"] for row in rows]),
        "slope_one_variable_vs_s": slope(ss, [row["one_variable_seconds"] for row in rows]),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="best-of repeats")
    parser.add_argument("--points", type=int, default=4096,
                        help="points per DNF evaluation in case (c)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    load_at_start = load_average()
    import scipy.linalg  # noqa: F401  (load the BLAS before limiting it)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        cases = [case_tree_to_dnf(args.repeat), case_decision_list_to_tree(args.repeat),
                 case_dnf_eval(args.repeat, args.points)]
    result = {
        "benchmark": "edges",
        "issue": 4,
        "timing": f"time.perf_counter, best of {args.repeat} runs; BLAS limited to 1 thread",
        "environment": environment(load_at_start),
        "cases": cases,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    for case in cases:
        ratios = ", ".join(f"{row['ratio']:.2f}" for row in case["rows"])
        slopes = {key: round(value, 2) for key, value in case.items()
                  if key.startswith("slope_")}
        print(f"{case['name']}: ratio to baseline {ratios}; slopes {slopes}")
    return result


if __name__ == "__main__":
    main()
