"""Web query benchmark: how long representative queries of the reduction web
take with composed prefixes reused (the path the web uses) against the plain
left fold of every route from scratch (the old path), measured in the same run.

Routes of the web share prefixes, and composing each route's guarantee
(:func:`pacdistill.bounds.compose_all`) dominated a query. The fold of a
prefix, and each edge lifted to its position in a chain, are now stored and
reused (``pacdistill.bounds.compose._prefix_fold``, ``_step_chain``, ``_stored``),
and so are the terms of the budget split (``_split_substituter``); setting
``compose._PREFIX_STEPS = 0`` stores nothing, which is the plain fold of every
route, step by step, as before; with it, ``web._VALUES_KEPT = 0`` keeps no
evaluated field for a later query (a second ``compare`` at the same values
evaluated every route again). Each query runs in a fresh subprocess (nothing
cached in the process: what ``pacdistill route`` or ``compare`` pays), after
``import pacdistill`` and ``pd.default_web()`` (timed separately as
``default_web``: building the web checks it for contradictions, which composes
routes too); the time is the child's CPU time (``time.process_time``, which a
loaded machine disturbs less than the wall clock, also recorded) of the query
alone, the best of ``--repeat`` rounds. The ``cli_*`` entries are the whole
command instead (the child's CPU time from its start: imports, web, query and
printing). A round runs every query with both paths in turn (the order
alternating between rounds), so a burst of load touches both. Every run
records a digest of the full answer (each route's names, composed guarantee
repr, cost, notes and derivation; statuses' derivations; the comparison's
JSON; the command's output): the two paths must give the same bytes, and the
script fails otherwise.

Usage::

    python benchmarks/bench_web.py [--repeat 3]

Writes ``benchmarks/results/web.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "web.json"

AT = {"d": 100, "k": 4, "eps": 0.01, "delta": 0.05}
NET = {"d": 100, "k": 4, "m": 50, "L": 1, "eps": 0.01, "delta": 0.05}

#: name -> (what a user types, the Python call); run by --one in a child
QUERIES: dict[str, str] = {
    "default_web": "pd.default_web()  (fresh process, modules imported: builds the web and "
                   "checks it for contradictions)",
    "route_junta_relu_time": "web.routes('junta', 'relu_network', at=AT, rank='time', limit=None)"
                             "  (README's route example)",
    "route_junta_dnf_samples": "web.routes('junta', 'dnf', at=AT, rank='samples', limit=None)",
    "route_conjunction_junta_time": "web.routes('conjunction', 'junta', at=AT, rank='time', "
                                    "limit=None)",
    "route_relu_junta_samples": "web.routes('relu_network', 'junta', at=NET, rank='samples', "
                                "limit=None)",
    "status_relu_dnf_both": "web.status('relu_network', 'dnf') and setting='learning'",
    "compare_conjunction_junta": "web.compare('conjunction', 'junta', at=AT)",
    "compare_relu_junta": "web.compare('relu_network', 'junta', at=NET)",
    "compare_conjunction_junta_again": "web.compare('conjunction', 'junta', at=AT) again, "
                                       "in the same session (the second call timed)",
    "separations": "web.separations()",
    "cli_compare_conjunction_junta": "pacdistill compare conjunction junta "
                                     "--at d=100,k=4,eps=0.01,delta=0.05  (the whole process: "
                                     "imports, web, query, output)",
    "cli_route_junta_relu_time": "pacdistill route junta relu_network "
                                 "--at d=100,k=4,eps=0.01,delta=0.05 --limit 3 --rank time  "
                                 "(the whole process)",
}

#: the argv of the cli_* entries
CLI = {
    "cli_compare_conjunction_junta": ["compare", "conjunction", "junta", "--at",
                                      "d=100,k=4,eps=0.01,delta=0.05"],
    "cli_route_junta_relu_time": ["route", "junta", "relu_network", "--at",
                                  "d=100,k=4,eps=0.01,delta=0.05", "--limit", "3", "--rank",
                                  "time"],
}


def _route_text(route) -> str:
    return repr((route.names, repr(route.guarantee), str(route.cost), route.notes,
                 route.efficient, route.qualifies, route.qualification, route.derivation))


def _run_one(name: str, path: str) -> dict:
    """In the child: the query's CPU and wall time and the digest of its answer."""
    import importlib

    import pacdistill as pd
    import pacdistill.web  # imported before any timer, on both paths

    C = importlib.import_module("pacdistill.bounds.compose")  # the module
    if path == "plain":
        C._PREFIX_STEPS = 0  # store nothing: every route folded from scratch, step by step
        pd.web._VALUES_KEPT = 0  # and no field value kept for a later query
    if name in CLI:  # CPU since the process started: imports, web, query and output
        import contextlib
        import io

        from pacdistill.cli import main as cli_main

        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            code = cli_main(CLI[name])
        if code != 0:
            raise SystemExit(f"{name} exited with {code}")
        return {"cpu_seconds": time.process_time(),
                "wall_seconds": time.perf_counter() - STARTED,
                "digest": hashlib.sha256(text.getvalue().encode()).hexdigest()}
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    web = pd.default_web()
    if name == "default_web":
        answer = repr(sorted(web.reductions))
    else:
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        if name.startswith("route_"):
            args = {"route_junta_relu_time": ("junta", "relu_network", AT, "time"),
                    "route_junta_dnf_samples": ("junta", "dnf", AT, "samples"),
                    "route_conjunction_junta_time": ("conjunction", "junta", AT, "time"),
                    "route_relu_junta_samples": ("relu_network", "junta", NET, "samples"),
                    }[name]
            found = web.routes(args[0], args[1], at=args[2], rank=args[3], limit=None)
            answer = repr([_route_text(r) for r in found])
        elif name == "status_relu_dnf_both":
            answer = repr([(s.answer, s.derivation) for s in (
                web.status("relu_network", "dnf"),
                web.status("relu_network", "dnf", setting="learning"))])
        elif name in ("compare_conjunction_junta", "compare_relu_junta"):
            src, at = {"compare_conjunction_junta": ("conjunction", AT),
                       "compare_relu_junta": ("relu_network", NET)}[name]
            answer = json.dumps(web.compare(src, "junta", at=at).to_dict(), sort_keys=True,
                                default=str)
        elif name == "compare_conjunction_junta_again":  # the second call of a session
            web.compare("conjunction", "junta", at=AT)
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            answer = json.dumps(web.compare("conjunction", "junta", at=AT).to_dict(),
                                sort_keys=True, default=str)
        elif name == "separations":
            answer = repr([str(s) for s in web.separations()])
        else:
            raise SystemExit(f"unknown query {name}")
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    if path == "plain" and (C._PREFIXES or C._STEP_CHAINS or C._LIFTS or C._FACTS
                            or C._SPLIT_TERMS):
        raise SystemExit("the plain path stored a prefix")
    return {"cpu_seconds": cpu, "wall_seconds": wall,
            "digest": hashlib.sha256(answer.encode()).hexdigest()}


def _child(name: str, path: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", name, "--path", path],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env=dict(os.environ, HYPOTHESIS_NO_PLUGINS="1"))
    return json.loads(out.stdout)


def _commit() -> tuple[str, bool]:
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                          cwd=ROOT, check=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "pacdistill"],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
    return head, bool(dirty.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--path", choices=("plain", "prefix"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_run_one(args.one, args.path)))
        return 0
    import numpy  # noqa: F401  (version recorded)
    import sympy

    load_start = os.getloadavg()
    runs: dict[str, dict[str, list[dict]]] = {name: {"plain": [], "prefix": []}
                                              for name in QUERIES}
    for round_ in range(args.repeat):
        for name in QUERIES:
            for path in ("plain", "prefix") if round_ % 2 == 0 else ("prefix", "plain"):
                runs[name][path].append(_child(name, path))
                print(f"round {round_ + 1}/{args.repeat} {name} {path}: "
                      f"{runs[name][path][-1]['cpu_seconds']:.3f} s CPU", file=sys.stderr)
    results = {}
    for name, by_path in runs.items():
        digests = {run["digest"] for path in by_path.values() for run in path}
        if len(digests) != 1:
            raise SystemExit(f"{name}: the two paths gave different answers")
        best = {path: min(r["cpu_seconds"] for r in rs) for path, rs in by_path.items()}
        wall = {path: min(r["wall_seconds"] for r in rs) for path, rs in by_path.items()}
        results[name] = {
            "query": QUERIES[name],
            "plain_fold_cpu_seconds": round(best["plain"], 4),
            "prefix_reuse_cpu_seconds": round(best["prefix"], 4),
            "ratio_plain_over_prefix": round(best["plain"] / best["prefix"], 2),
            "plain_fold_wall_seconds": round(wall["plain"], 4),
            "prefix_reuse_wall_seconds": round(wall["prefix"], 4),
            "same_answer": True,
            "digest": digests.pop(),
        }
    commit, dirty = _commit()
    doc = {
        "benchmark": "web",
        "timing": (f"CPU time of the query alone (time.process_time in a fresh subprocess, "
                   f"after import and pd.default_web()), best of {args.repeat} rounds; "
                   "default_web is the build itself"),
        "baseline": "plain left fold of every route from scratch (compose._PREFIX_STEPS = 0) "
                    "and no field value kept between queries (web._VALUES_KEPT = 0): the path "
                    "before both, same run",
        "environment": {
            "python": platform.python_version(), "sympy": sympy.__version__,
            "platform": platform.platform(), "cpu_count": os.cpu_count(),
            "load_average_1_5_15min": {"start": list(load_start),
                                       "end": list(os.getloadavg())},
        },
        "commit": commit, "pacdistill_differs_from_commit": dirty,
        "values": {"AT": AT, "NET": NET},
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(doc, indent=2) + "\n")
    for name, res in results.items():
        print(f"{name:32s} plain {res['plain_fold_cpu_seconds']:7.3f} s  prefix "
              f"{res['prefix_reuse_cpu_seconds']:7.3f} s  ratio "
              f"{res['ratio_plain_over_prefix']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
