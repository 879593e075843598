"""``pacdistill distill junta``: query distillation of a saved model into a k-junta
(THEORY §6).

``distill junta --model FILE --k K [--delta D] [--seed S] [--check N]`` reads a
model (pacdistill JSON of any class, or an ``.npz`` of ReLU network layers),
runs :func:`pacdistill.distill_junta` and prints the junta, what is claimed
about it, the queries against THEORY §6's bound, the rounds and the certified
relevant variables. Exit code 0 with a junta; 1 when the promise is refuted
(f is sensitive to k + 1 variables: the certificate is printed, and the message
goes to stderr); 2 on bad input.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._output import (
    add_json_flag,
    emit_json,
    emit_table,
    emit_text,
    is_terminal,
    progress_bar,
)

__all__ = ["add_junta"]

_FUNC = "distill junta"


def add_junta(sub: Any) -> None:
    """Add the ``junta`` subcommand to the ``distill`` group."""
    p = sub.add_parser(
        "junta", help="distil a model into a k-junta by queries (THEORY §6)",
        description="Find the relevant variables of a model promised to be a k-junta by "
                    "queries and binary search, and output its truth table on them; a "
                    "model sensitive to k + 1 variables gets a certificate instead "
                    "(THEORY §6).",
        epilog="examples:\n"
        "  pacdistill distill junta --model net.npz --k 4\n"
        "  pacdistill distill junta --model model.json --k 3 --delta 0.001 --check 10000\n"
        "  pacdistill distill junta --model net.npz --k 4 --json\n\n"
        "exit codes: 0 a junta (the output says what is claimed and what was checked); 1 "
        "the promise is refuted (the model is sensitive to K + 1 variables: the certificate "
        "is printed); 2 bad input.")
    p.add_argument("--model", required=True, metavar="FILE",
                   help="pacdistill JSON (model.to_json()) or .npz of W0,b0,W1,b1,...")
    p.add_argument("--k", required=True, type=int, metavar="K",
                   help="the promise: the model is a K-junta on all of {-1,+1}^d")
    p.add_argument("--delta", type=float, default=0.01, metavar="D",
                   help="failure probability (default 0.01)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--check", type=int, default=2000, metavar="N",
                   help="fresh uniform points of the final check (default 2000; 0 skips)")
    add_json_flag(p)
    p.set_defaults(func=run_junta)


def run_junta(args: argparse.Namespace) -> int:
    import sys

    from .._validation import check_int, check_probability
    from ..checkers.conformance import _plain  # numpy values to JSON values
    from ..classes.junta import MAX_JUNTA_K
    from ..errors import PromiseViolation
    from ..reductions.query_junta import distill_junta
    from .distill import check_sample_count, load_model

    model = load_model(args.model)
    seed = check_int(args.seed, "--seed", _FUNC, min=0)
    # the options by the names the user typed (distill_junta would name its own k, delta)
    k = check_int(args.k, "--k", _FUNC, min=0, max=MAX_JUNTA_K)
    delta = check_probability(args.delta, "--delta", _FUNC)
    check = check_sample_count(args.check, "--check", _FUNC, model.n_inputs, min=0)
    progress, done = _query_progress(args.json)
    try:
        out = distill_junta(model, k=k, delta=delta, rng=seed, final_check=check,
                            progress=progress)
    except PromiseViolation as err:
        done()
        sys.stderr.write(f"pacdistill: promise violated: {err}\n")
        w = err.witness
        if args.json:
            emit_json({"promise_violated": True, "message": str(err), "witness": _plain(w)})
        else:
            emit_table(["variable", "point x (+/-)", "f(x)", "f(x with the variable flipped)"],
                       [[f"x{i}", _signs(p), f"{a:+d}", f"{b:+d}"] for i, p, (a, b)
                        in zip(w["variables"], w["points"], w["values"].tolist(), strict=True)],
                       title=f"Certificate: f is sensitive to {len(w['variables'])} variables "
                             f"({w['queries']} queries)")
        return 1
    finally:
        done()
    r = out.report
    if args.json:
        emit_json({"junta": out.junta.to_dict(), "relevant": list(out.relevant),
                   "queries": out.queries, "report": _plain(dict(r))})
        return 0
    emit_text(str(out.junta))
    emit_text(f"Claim: {r['claim']}.")
    _truth_table(out.junta)
    emit_table(["queries", "count"], [
        ["algorithm (THEORY §6)", r["queries_algorithm"]],
        ["bound (k+1) 2^k t + k ceil(log2 d) + 2^k", f"{r['queries_bound']} (t = {r['t']})"],
        ["final check", r["queries_check"]],
        ["total", r["queries_used"]],
    ], title="Queries")
    emit_table(["|R|", "restrictions", "queries", "outcome"],
               [[x["relevant"], 2 ** x["relevant"], x["queries"], x["outcome"]]
                for x in r["rounds"]], title="Rounds")
    if out.relevant:
        emit_table(["variable", "point x where flipping it changes f (+/-)"],
                   [[f"x{i}", _signs(p)] for i, p in
                    zip(out.relevant, r["sensitive_points"], strict=True)],
                   title="Relevant variables (certified)")
    emit_text(f"{r['seconds']:.3f} s")
    return 0


def _query_progress(quiet: bool) -> tuple[Any, Any]:
    """A transient bar of the algorithm's queries against THEORY §6's bound on a
    terminal, else nothing: ``(progress callback or None, stop)``."""
    return progress_bar("queries (of THEORY §6's bound)", not quiet and is_terminal())


#: the most relevant variables whose truth table is printed (2^6 = 64 rows)
TABLE_MAX_K = 6


def _truth_table(junta: Any) -> None:
    """The junta's table as rows (one per pattern of its variables, in the order
    of its ``table``: row j sets x[variables[b]] = -1 exactly when bit b of j is
    1, the convention of pd.cube.enumerate); past TABLE_MAX_K variables, a line
    saying where the order comes from."""
    k = len(junta.variables)
    if k == 0:
        return
    if k > TABLE_MAX_K:
        emit_text(f"(table: {1 << k} values; entry j is f where x[variables[b]] = -1 exactly "
                  "when bit b of j is 1, the order of pd.cube.enumerate)")
        return
    rows = [[*("-" if (j >> b) & 1 else "+" for b in range(k)), f"{int(value):+d}"]
            for j, value in enumerate(junta.table.tolist())]
    emit_table([*(f"x{i}" for i in junta.variables), "f"], rows,
               title="Truth table (the table above, one row per entry, in its order)")


def _signs(point: Any) -> str:
    import numpy as np

    return "".join("+" if v == 1 else "-" for v in np.asarray(point).tolist())

