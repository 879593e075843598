"""Junta benchmark (issue 6): query distillation against learning from scratch.

For d in {20, 50, 100, 200} and k in {3, 4, 5}:

(a) **Planted networks.** A random k-junta that depends on all k of its
    variables (uniformly placed) is turned into a ReLU network through the
    registered exact conversions junta_to_tree and tree_to_relu (THEORY §5,
    §8). On it we run

    - query distillation, ``pd.distill_junta(net, k=k, delta=0.01)`` (THEORY
      §6): wall time, the algorithm's queries, the final check's queries and
      THEORY §6's bound; exact recovery is checked (whole cube at d = 20,
      20,000 fresh uniform points beyond);
    - the brute-force consistent junta learner on random examples,
      ``learn_junta`` (THEORY §4 anchor "exhaustive d^k"; n labelled examples,
      the catalog's realizable_finite size at eps = 0.05, delta = 0.01).

(b) **Trained networks.** A scikit-learn ``MLPClassifier`` (one ReLU hidden
    layer of 32) trained on random examples of a random k-junta, once with
    20,000 examples (high accuracy) and once with 1,000 (lower accuracy). A
    trained network is only approximately a junta: we report its accuracy,
    what distillation does (a certified PromiseViolation naming k + 1
    variables, or a junta, compared with the target) and what the learner
    would cost.

How the learner is timed. It tries the C(d, k) subsets in lexicographic order
and stops at the first one consistent with its sample, so its time is (setup:
draw and label n examples) + tau * (subsets tried), with tau the time per
subset of its vectorized inner loop. When the relevant set's lexicographic
rank is at most ``--full-subsets``, or the cell (d, k) is one of
``--measure-cells`` (planted networks only; default d in {20, 50, 100, 200}
at k = 3 and d in {20, 50, 100} at k = 4, so the headline cell d = 100, k = 4
is measured for every seed: a few minutes each), the learner is run to
completion and timed. Beyond that, running it would take hours to days
(C(200, 5) = 2.5e9 subsets), so tau is
measured by running the learner's own inner loop (``pattern_counts`` over
``subset_batches``, the functions learn_junta calls) on its sample for the
first ``--probe-subsets`` subsets, and the time is extrapolated linearly to
the rank (assuming no earlier subset is consistent; in every fully run cell
the learner stopped exactly at the true subset, which the JSON records). The
JSON marks each learner time as "measured" or "extrapolated", and for the
fully run cells gives the ratio of the measured time to the extrapolation as a
check of the method. The fitted growth exponents use the *expected* time over
a uniformly random placement, setup + tau (C(d, k) + 1) / 2, which removes the
placement's noise (the rank of a random k-subset is uniform on 1..C(d, k)).

Growth exponents: least squares of log(seconds) on log(d) per k. The
learner's *measured* exponent (``exponents["learner_seconds_measured"]``) is
fitted only on cells where every seed's run was measured, on the mean
measured time over the seeds, and lists the cells it used; it carries the
placement's noise (each seed's rank is a uniform draw; the JSON gives each
rank as a fraction of C(d, k)). The *model* exponent
(``learner_seconds_expected``) is fitted on setup + tau (C(d, k) + 1) / 2
over all d, extrapolated cells included. C(d, k) grows like d^k / k! only
asymptotically, so on d in [20, 200] the fitted slope of the learner is
somewhat below k; the distiller's queries do not grow with d beyond the
k ceil(log2 d) of the searches, and its time grows with the cost d m of one
network evaluation.

The headline (d = 100, k = 4) is the ratio of the learner's measured time
to distillation's measured time, per seed and for the mean learner time over
the median distillation time, when every seed's learner run there was
measured; the extrapolated expected ratio is kept beside it, labelled.

Usage::

    python benchmarks/bench_junta.py [--seeds 3] [--full-subsets 30000]
        [--probe-subsets 20000] [--measure-cells 20:3 50:3 100:3 200:3 20:4 50:4 100:4]
        [--mlp-samples 20000 1000] [--repeat 3] [--quick]

Writes ``benchmarks/results/junta.json`` and ``benchmarks/results/junta.png``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import pacdistill as pd
from pacdistill.reductions import REGISTRY, _subsets
from pacdistill.reductions import tree_to_relu as _tree_to_relu  # noqa: F401  (registers it)
from pacdistill.reductions._subsets import pattern_counts, subset_batches
from pacdistill.reductions.learn_junta import learn_junta

RESULTS = Path(__file__).resolve().parent / "results"
DS = (20, 50, 100, 200)
KS = (3, 4, 5)
DISTILL_DELTA = 0.01
LEARN_EPS, LEARN_DELTA = 0.05, 0.01
HEADLINE = (100, 4)
#: cells (d, k) whose learner runs on planted networks are run to completion by default
MEASURE_CELLS = ((20, 3), (50, 3), (100, 3), (200, 3), (20, 4), (50, 4), (100, 4))


# ------------------------------------------------------------------ sources
def relevant_of(j: pd.Junta) -> set[int]:
    """The variables the junta's table really depends on."""
    table = j.table.reshape((2,) * j.k)
    return {var for b, var in enumerate(j.variables)
            if not np.array_equal(np.take(table, 0, axis=j.k - 1 - b),
                                  np.take(table, 1, axis=j.k - 1 - b))}


def random_junta(rng: np.random.Generator, d: int, k: int) -> pd.Junta:
    """A uniformly random k-junta that depends on all of its k variables."""
    while True:
        j = pd.CLASSES["junta"].random(rng, d=d, k=k)
        if relevant_of(j) == set(j.variables):
            return j


def planted_network(j: pd.Junta) -> pd.ReLUNetwork:
    tree = REGISTRY["junta_to_tree"].run(j).model
    return REGISTRY["tree_to_relu"].run(tree).model


def trained_network(j: pd.Junta, n: int, seed: int) -> tuple[pd.ReLUNetwork, dict]:
    """An MLPClassifier (ReLU, one hidden layer of 32) fit on n random examples."""
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(seed)
    U = pd.distributions.Uniform(j.d)
    X = U.sample(n, rng)
    start = time.perf_counter()
    mlp = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", max_iter=100,
                        random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached is reported as the iterations
        mlp.fit(X, j.predict(X))
    seconds = time.perf_counter() - start
    net = pd.ReLUNetwork.from_sklearn(mlp)
    Xt = U.sample(20_000, rng)
    acc = float(np.mean(net.predict(Xt) == j.predict(Xt)))
    return net, {"train_samples": n, "train_seconds": seconds, "iterations": int(mlp.n_iter_),
                 "accuracy_20000_fresh": acc}


# ------------------------------------------------------------- distillation
def run_distill(f, k: int, seed: int, truth: pd.Junta | None, repeat: int) -> dict:
    """Distill with rng=seed; the time is the best of ``repeat`` identical runs
    (same seed, same work: the runs take milliseconds, so single timings are noisy)."""
    times = []
    for _ in range(repeat):  # loop over identical repeats (timing only)
        start = time.perf_counter()
        try:
            out = pd.distill_junta(f, k=k, delta=DISTILL_DELTA, rng=seed)
            err = None
        except pd.errors.PromiseViolation as caught:
            err = caught
        times.append(time.perf_counter() - start)
    seconds = min(times)
    if err is not None:
        w = err.witness
        row = {"outcome": "PromiseViolation", "seconds": seconds,
               "queries": int(w["queries"]), "variables": [int(i) for i in w["variables"]]}
        if truth is not None:
            row["spurious_variables"] = sorted(set(row["variables"]) - set(truth.variables))
        return row
    r = out.report
    row = {"outcome": "junta", "seconds": seconds, "queries": out.queries,
           "queries_algorithm": r["queries_algorithm"], "queries_check": r["queries_check"],
           "queries_bound": r["queries_bound"], "t": r["t"],
           "variables": list(out.relevant),
           "check_disagreements": len(r["check"]["disagreements"])}
    assert r["queries_algorithm"] <= r["queries_bound"]
    if truth is not None:
        same = pd.checkers.equivalent(truth, out.junta, rng=seed, n=20_000)
        row["equals_target"] = bool(same.equal)
        row["equals_target_checked"] = "whole cube" if same.exhaustive else "20000 samples"
    Xs = pd.distributions.Uniform(f.n_inputs).sample(20_000, np.random.default_rng(seed + 99))
    row["agreement_with_f_20000_fresh"] = float(np.mean(out.junta.predict(Xs) == f.predict(Xs)))
    return row


# ------------------------------------------------------------------ learner
def lex_rank(subset: tuple[int, ...], d: int) -> int:
    """1-based position of a sorted k-subset in the lexicographic order of
    itertools.combinations(range(d), k)."""
    k, rank, prev = len(subset), 0, -1
    for i, c in enumerate(subset):
        for v in range(prev + 1, c):
            rank += math.comb(d - 1 - v, k - 1 - i)
        prev = c
    return rank + 1


def learner_sample(f, d: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, int, float]:
    """The learner's sample (as learn_junta draws it with rng=seed) and setup seconds."""
    n = pd.bounds.samples_needed("realizable_finite", eps=LEARN_EPS, delta=LEARN_DELTA,
                                 cls="junta", d=d, k=k)
    start = time.perf_counter()
    X = pd.distributions.Uniform(d).sample(n, np.random.default_rng(seed))
    y = f.predict(X)
    return X, y, n, time.perf_counter() - start


def probe_tau(X: np.ndarray, y: np.ndarray, k: int, subsets: int) -> tuple[float, int, bool]:
    """Seconds per subset of the learner's inner loop over the first ``subsets``
    subsets; also whether any of them is consistent (the learner would stop there)."""
    bits = (X == -1).astype(np.int64)
    done, hit = 0, False
    start = time.perf_counter()
    for combos in subset_batches(X.shape[1], k, len(y)):
        pos, neg = pattern_counts(bits, y, combos)
        hit = hit or bool((~((pos > 0) & (neg > 0)).any(axis=1)).any())
        done += len(combos)
        if done >= subsets:
            break
    return (time.perf_counter() - start) / done, done, hit


def run_learner(f, d: int, k: int, seed: int, target_vars: tuple[int, ...] | None,
                consistent_labels: bool, full_subsets: int, probe_subsets: int,
                measure: bool = False) -> dict:
    """The learner's time on f: measured (run to completion) when its rank is at
    most ``full_subsets``, a probed subset is consistent or ``measure`` is set;
    otherwise extrapolated from the probed time per subset."""
    total = math.comb(d, k)
    X, y, n, setup = learner_sample(f, d, k, seed)
    tau, probed, hit = probe_tau(X, y, k, min(probe_subsets, total))
    rank = lex_rank(tuple(sorted(target_vars)), d) if consistent_labels else total
    row = {"samples": n, "subsets_total": total, "tau_seconds_per_subset": tau,
           "probe_subsets": probed, "setup_seconds": setup,
           "expected_seconds_random_placement": setup + tau * (total + 1) / 2,
           "rank_of_target": lex_rank(tuple(sorted(target_vars)), d) if target_vars else None}
    if row["rank_of_target"] is not None:
        row["rank_fraction"] = row["rank_of_target"] / total
    predicted = setup + tau * rank
    if rank <= full_subsets or hit or measure:
        # the machine is shared: the 1-minute load average next to each measured time
        row["load_average_1min_before"] = os.getloadavg()[0]
        start = time.perf_counter()
        # learn_junta refuses searches past _subsets.MAX_SUBSET_CELLS subset x example
        # cells (2^30; C(100, 4) * 618 = 2.4e9 is past it): a measured run lifts that
        # guard for its own call only; the search itself is unchanged
        limit = _subsets.MAX_SUBSET_CELLS
        row["subset_cell_limit_lifted"] = total * n > limit
        _subsets.MAX_SUBSET_CELLS = max(limit, total * n)
        try:
            res = learn_junta(f, k=k, eps=LEARN_EPS, delta=LEARN_DELTA, rng=seed)
            elapsed = time.perf_counter() - start
            row.update(outcome="junta", subsets_tried=res.report["subsets_tried"],
                       variables=list(res.model.variables))
        except pd.errors.PromiseViolation:
            elapsed = time.perf_counter() - start
            row.update(outcome="PromiseViolation", subsets_tried=total)
        finally:
            _subsets.MAX_SUBSET_CELLS = limit
        if consistent_labels and row["outcome"] == "junta":
            row["stopped_at_target"] = row["subsets_tried"] == rank
        row.update(seconds=elapsed, timing="measured",
                   measured_because=("--measure-cells" if measure and rank > full_subsets
                                     and not hit else "rank <= --full-subsets or early hit"),
                   predicted_seconds=predicted)
        row["measured_over_predicted"] = row["seconds"] / predicted
    else:
        row.update(seconds=predicted, timing="extrapolated", subsets_tried=rank,
                   outcome=("junta (the target subset, assuming no earlier consistent one)"
                            if consistent_labels else
                            "PromiseViolation after all C(d, k) subsets (its labels are "
                            "inconsistent with every k-junta it can find, assuming none fits)"))
    return row


# -------------------------------------------------------------- reporting
def slope(ds: list[int], values: list[float]) -> float:
    """Least-squares slope of log(value) on log(d)."""
    return float(np.polyfit(np.log(ds), np.log(values), 1)[0])


def plot(summary: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 6.5))
    colors = {3: "tab:blue", 4: "tab:orange", 5: "tab:green"}
    for k in KS:
        rows = [r for r in summary if r["k"] == k]
        ds = [r["d"] for r in rows]
        ax.plot(ds, [r["distill_seconds_median"] for r in rows], "o-", color=colors[k],
                label=f"query distillation, k={k}")
        ax.plot(ds, [r["learner_expected_seconds"] for r in rows], "--", color=colors[k],
                label=f"learner, tau (C(d,k)+1)/2 (extrapolated), k={k}")
        measured = [r for r in rows if r["learner_measured_seconds_mean"] is not None]
        if measured:
            ax.plot([r["d"] for r in measured],
                    [r["learner_measured_seconds_mean"] for r in measured], "s",
                    color=colors[k], ms=7,
                    label=f"learner, measured (mean of full runs), k={k}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("d")
    ax.set_ylabel("seconds")
    ax.set_title("k-juntas in planted ReLU networks: distilling vs learning")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.13))
    fig.tight_layout()
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--full-subsets", type=int, default=30_000)
    parser.add_argument("--probe-subsets", type=int, default=20_000)
    parser.add_argument("--measure-cells", nargs="*", default=[f"{d}:{k}" for d, k in
                                                                   MEASURE_CELLS],
                        metavar="D:K",
                        help="cells whose learner runs (planted networks) are run to "
                             "completion and timed, not extrapolated")
    parser.add_argument("--mlp-samples", type=int, nargs="+", default=[20_000, 1_000],
                        help="training set sizes of the trained networks (one network each)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="distillation timings are the best of this many identical runs")
    parser.add_argument("--quick", action="store_true",
                        help="d in {20, 50}, one seed, no trained networks (a smoke run)")
    args = parser.parse_args(argv)
    measure_cells = {_cell(text, parser) for text in args.measure_cells}
    ds = DS[:2] if args.quick else DS
    seeds = 1 if args.quick else args.seeds

    load_start = os.getloadavg()
    planted, summary, trained = [], [], []
    for k in KS:
        for d in ds:
            rows = []
            for seed in range(seeds):
                rng = np.random.default_rng(1000 * d + 10 * k + seed)
                j = random_junta(rng, d, k)
                net = planted_network(j)
                row = {"d": d, "k": k, "seed": seed, "target": sorted(j.variables),
                       "network_hidden_units": net.size()["m"],
                       "distill": run_distill(net, k, seed, j, args.repeat),
                       "learn": run_learner(net, d, k, seed, j.variables, True,
                                            args.full_subsets, args.probe_subsets,
                                            measure=(d, k) in measure_cells)}
                rows.append(row)
                print(f"planted d={d} k={k} seed={seed}: distill "
                      f"{row['distill']['seconds']:.3f}s/{row['distill']['queries']}q, learn "
                      f"{row['learn']['seconds']:.3g}s ({row['learn']['timing']})", flush=True)
            planted += rows
            dist = [r["distill"] for r in rows]
            learn = [r["learn"] for r in rows]
            summary.append({
                "d": d, "k": k,
                "distill_seconds_median": float(np.median([x["seconds"] for x in dist])),
                "distill_queries_algorithm_median":
                    float(np.median([x["queries_algorithm"] for x in dist])),
                "distill_queries_total_median": float(np.median([x["queries"] for x in dist])),
                "distill_queries_bound": dist[0]["queries_bound"],
                "distill_exact": sum(bool(x.get("equals_target")) for x in dist),
                "learner_samples": learn[0]["samples"],
                "learner_expected_seconds": float(np.mean(
                    [x["expected_seconds_random_placement"] for x in learn])),
                "learner_seconds_at_placement_mean": float(np.mean([x["seconds"] for x in learn])),
                "learner_timing": sorted({x["timing"] for x in learn}),
                # the mean over seeds of the learner's measured times, when all were measured
                "learner_measured_seconds_mean": (
                    float(np.mean([x["seconds"] for x in learn]))
                    if all(x["timing"] == "measured" for x in learn) else None),
                "learner_rank_fractions": [x.get("rank_fraction") for x in learn],
                "runs": len(rows),
            })
            for n_train in ([] if args.quick else args.mlp_samples):
                rng = np.random.default_rng(7 * d + k)
                j = random_junta(rng, d, k)
                net, info = trained_network(j, n_train, seed=d + k)
                X, y, _, _ = learner_sample(net, d, k, 0)
                consistent = bool(np.array_equal(y, j.predict(X)))
                row = {"d": d, "k": k, "target": sorted(j.variables), **info,
                       "distill": run_distill(net, k, 0, j, args.repeat),
                       "learner_labels_match_target": consistent,
                       "learn": run_learner(net, d, k, 0, j.variables, consistent,
                                            args.full_subsets, args.probe_subsets)}
                trained.append(row)
                print(f"trained d={d} k={k} n={n_train}: acc "
                      f"{info['accuracy_20000_fresh']:.4f}, distill "
                      f"{row['distill']['outcome']} {row['distill']['variables']}", flush=True)

    exponents: dict[str, dict[str, float]] = {}
    for name, key in (("distill_seconds", "distill_seconds_median"),
                      ("distill_queries_algorithm", "distill_queries_algorithm_median"),
                      ("learner_seconds_expected", "learner_expected_seconds"),
                      ("learner_seconds_at_placement", "learner_seconds_at_placement_mean")):
        exponents[name] = {}
        for k in KS:
            rows = [r for r in summary if r["k"] == k]
            exponents[name][str(k)] = slope([r["d"] for r in rows], [r[key] for r in rows])
    exponents["C(d,k)"] = {str(k): slope(list(ds), [math.comb(d, k) for d in ds]) for k in KS}
    # from measured runs only: the cells where every seed's learner run was measured
    exponents["learner_seconds_measured"] = {}
    exponents["learner_seconds_measured_cells"] = {}
    for k in KS:
        rows = [r for r in summary if r["k"] == k and r["learner_measured_seconds_mean"]]
        if len(rows) >= 3:
            exponents["learner_seconds_measured"][str(k)] = slope(
                [r["d"] for r in rows], [r["learner_measured_seconds_mean"] for r in rows])
            exponents["learner_seconds_measured_cells"][str(k)] = [r["d"] for r in rows]

    head = next((r for r in summary if (r["d"], r["k"]) == HEADLINE), None)
    headline = None
    if head is not None:
        headline = {
            "d": HEADLINE[0], "k": HEADLINE[1],
            "distill_seconds": head["distill_seconds_median"],
            "learner_expected_seconds": head["learner_expected_seconds"],
            "time_ratio_learner_over_distill":
                head["learner_expected_seconds"] / head["distill_seconds_median"],
            "distill_queries_total": head["distill_queries_total_median"],
            "learner_samples": head["learner_samples"],
            "evaluations_ratio_distill_over_learner":
                head["distill_queries_total_median"] / head["learner_samples"],
            "learner_timing": head["learner_timing"],
        }
        cell = [r for r in planted if (r["d"], r["k"]) == HEADLINE]
        if head["learner_measured_seconds_mean"] is not None:
            headline.update(
                learner_measured_seconds=[r["learn"]["seconds"] for r in cell],
                learner_measured_seconds_mean=head["learner_measured_seconds_mean"],
                distill_seconds_per_seed=[r["distill"]["seconds"] for r in cell],
                measured_ratio_per_seed=[r["learn"]["seconds"] / r["distill"]["seconds"]
                                         for r in cell],
                measured_time_ratio_learner_over_distill=(
                    head["learner_measured_seconds_mean"] / head["distill_seconds_median"]),
                learner_rank_fractions=head["learner_rank_fractions"],
            )
        # the C(d, k) model's expected time over a random placement (extrapolated)
        headline["expected_time_ratio_learner_over_distill_extrapolated"] = (
            headline.pop("time_ratio_learner_over_distill"))
        headline["learner_expected_seconds_extrapolated"] = headline.pop(
            "learner_expected_seconds")
    result = {
        "benchmark": "junta (issue 6)",
        "python": sys.version.split()[0], "numpy": np.__version__,
        "machine": platform.machine(), "cpus": os.cpu_count(),
        "load_average_1_5_15min": {"start": list(load_start), "end": list(os.getloadavg())},
        "settings": {"d": list(ds), "k": list(KS), "seeds": seeds,
                     "distill_delta": DISTILL_DELTA, "final_check": pd.reductions.query_junta
                     .DEFAULT_CHECK, "learner_eps": LEARN_EPS, "learner_delta": LEARN_DELTA,
                     "full_subsets": args.full_subsets, "probe_subsets": args.probe_subsets,
                     "measure_cells": sorted(measure_cells),
                     "mlp_samples": args.mlp_samples, "distill_repeat": args.repeat,
                     "quick": args.quick},
        "method": __doc__.split("How the learner is timed.")[1].split("Usage::")[0]
                  .strip().replace("\n", " "),
        "note": ("The learner is a consistent learner for eps = 0.05 (err <= eps w.p. >= 1 - "
                 "delta) from n labelled examples; distillation is exact under the promise "
                 "(w.p. >= 1 - delta) from queries. Distillation uses more evaluations of f "
                 "than the learner's samples (see headline): its advantage is time, "
                 "poly(d, 2^k) against the learner's C(d, k) subsets."),
        "summary": summary, "exponents": exponents, "headline": headline,
        "planted": planted, "trained": trained,
    }
    RESULTS.mkdir(exist_ok=True)
    name = "junta_quick" if args.quick else "junta"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1, default=_plain) + "\n")
    plot(summary, RESULTS / f"{name}.png")
    print(json.dumps({"exponents": exponents, "headline": headline}, indent=1))
    return result


def _cell(text: str, parser: argparse.ArgumentParser) -> tuple[int, int]:
    """'D:K' -> (d, k)."""
    try:
        d, k = (int(part) for part in text.split(":"))
    except ValueError:
        parser.error(f"--measure-cells takes cells D:K (e.g. 100:4). Got {text!r} instead.")
    return d, k


def _plain(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(type(value).__name__)


if __name__ == "__main__":
    main()
