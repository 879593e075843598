"""Start-up benchmark: how long ``import pacdistill`` and short commands take
in a fresh interpreter, against ``python -c "import numpy"`` measured in the
same run (the floor of any numpy library).

Each command runs as a new subprocess (so nothing is cached in the process)
with the same interpreter, from a scratch working directory, with
``PYTHONPATH`` set to the source tree timed; the time is the wall clock from
start to exit (``time.perf_counter`` around ``subprocess.run``) and the child's
CPU time (user + system, which a loaded machine disturbs less), each the best
of ``--repeat`` rounds. A round runs the baseline, then each command on each tree
in turn, so a burst of load on the machine touches every command, not one; the
ratios are to the baseline's best time.

``--before DIR`` times the same commands on a second source tree (for
instance ``git worktree add /tmp/before <commit>``), interleaved with this
one, and records whether every command printed the same bytes (stdout and
stderr) on both: the start-up work moved, the answers must not. The JSON
records the commit of each tree, the machine, the versions and the load
average at the start and at the end.

Usage::

    python benchmarks/bench_startup.py [--repeat 7] [--before /tmp/before]

Writes ``benchmarks/results/startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "startup.json"
PYTHON = sys.executable
#: the console script installed beside the interpreter (the one users type)
SCRIPT = str(Path(sys.executable).with_name("pacdistill"))

#: the baseline: the same command whatever the tree (numpy is not in it)
BASELINE = ('python -c "import numpy"', [PYTHON, "-c", "import numpy"])

#: name -> (what it is, argv), timed on each tree
COMMANDS: dict[str, tuple[str, list[str]]] = {
    "import_pacdistill": ('python -c "import pacdistill"', [PYTHON, "-c", "import pacdistill"]),
    "help": ("pacdistill --help", [SCRIPT, "--help"]),
    "route_help": ("pacdistill route --help", [SCRIPT, "route", "--help"]),
    "classes": ("pacdistill classes", [SCRIPT, "classes"]),
    "bound_samples": (
        "pacdistill bound samples realizable_finite --eps 0.1 --delta 0.05 "
        "--param log_size=13.8",
        [SCRIPT, "bound", "samples", "realizable_finite", "--eps", "0.1", "--delta", "0.05",
         "--param", "log_size=13.8"]),
    "default_web": ('python -c "import pacdistill; pacdistill.default_web()"',
                    [PYTHON, "-c", "import pacdistill; pacdistill.default_web()"]),
}


def _env(source: Path | None) -> dict[str, str]:
    # COLUMNS: argparse wraps help to the terminal width; the same for both trees.
    # HYPOTHESIS_NO_PLUGINS: the installed metadata names pacdistill's hypothesis
    # entry point, which a tree from before it lacks (its `import pacdistill`
    # imports hypothesis); no command timed here imports hypothesis in this tree.
    env = dict(os.environ, COLUMNS="100", HYPOTHESIS_NO_PLUGINS="1")
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def _check_source(source: Path, cwd: str) -> str:
    """The file ``import pacdistill`` loads with this PYTHONPATH; it must lie in
    ``source`` (else the timing would be of another tree)."""
    out = subprocess.run([PYTHON, "-c", "import pacdistill; print(pacdistill.__file__)"],
                         env=_env(source), cwd=cwd, capture_output=True, text=True, check=True)
    path = Path(out.stdout.strip()).resolve()
    if source.resolve() not in path.parents:
        raise SystemExit(f"PYTHONPATH={source} imports pacdistill from {path}, not from it")
    return str(path)


def _commit(source: Path) -> dict[str, object]:
    """The tree's HEAD commit and whether its pacdistill/ differs from it."""
    head = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(source), "status", "--porcelain", "--",
                            "pacdistill"], capture_output=True, text=True).stdout.strip()
    return {"commit": head or None, "pacdistill_differs_from_commit": bool(dirty)}


def _run(argv: list[str], env: dict[str, str], cwd: str
         ) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (user + system of the child) and the result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n"
                         f"{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def measure(trees: dict[str, Path], repeat: int) -> tuple[dict[str, float],
                                                          dict[str, dict[str, dict]]]:
    """Best-of-``repeat`` wall and CPU seconds of the baseline and of every
    command on every tree; each round runs the baseline, then each command on
    each tree in turn."""
    inf = float("inf")
    baseline = {"seconds": inf, "cpu_seconds": inf}
    best = {tree: {name: {"seconds": inf, "cpu_seconds": inf} for name in COMMANDS}
            for tree in trees}
    outputs: dict[str, dict[str, tuple[bytes, bytes]]] = {tree: {} for tree in trees}
    with tempfile.TemporaryDirectory() as cwd:
        for source in trees.values():
            _check_source(source, cwd)
        for _ in range(repeat):
            wall, cpu, _done = _run(BASELINE[1], _env(None), cwd)
            baseline = {"seconds": min(baseline["seconds"], wall),
                        "cpu_seconds": min(baseline["cpu_seconds"], cpu)}
            for name, (_, argv) in COMMANDS.items():
                for tree, source in trees.items():
                    wall, cpu, done = _run(argv, _env(source), cwd)
                    cell = best[tree][name]
                    cell["seconds"] = min(cell["seconds"], wall)
                    cell["cpu_seconds"] = min(cell["cpu_seconds"], cpu)
                    outputs[tree][name] = (done.stdout, done.stderr)
    results: dict[str, dict[str, dict]] = {}
    for tree in trees:
        results[tree] = {}
        for name in COMMANDS:
            cell = best[tree][name]
            results[tree][name] = {
                "command": COMMANDS[name][0], **cell,
                "ratio_to_baseline": cell["seconds"] / baseline["seconds"],
                "cpu_ratio_to_baseline": cell["cpu_seconds"] / baseline["cpu_seconds"],
            }
            if tree != "after":
                results[tree][name]["same_output_as_after"] = (
                    outputs[tree][name] == outputs["after"][name])
    return baseline, results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="best of this many runs")
    parser.add_argument("--before", type=Path, default=None,
                        help="a second source tree (an earlier commit) timed alongside")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    trees = {"after": ROOT}
    if args.before is not None:
        trees["before"] = args.before.resolve()
    load_start = os.getloadavg()
    baseline, results = measure(trees, args.repeat)
    result = {
        "benchmark": "startup",
        "timing": f"wall clock of a fresh subprocess (time.perf_counter around "
                  f"subprocess.run) and its CPU time (user + system, getrusage of the "
                  f"children), each the best of {args.repeat} rounds, the trees interleaved",
        "baseline": {"command": BASELINE[0], **baseline},
        "environment": {
            "python": sys.version.split()[0], "numpy": np.__version__,
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "load_average_1_5_15min": {"start": list(load_start),
                                       "end": list(os.getloadavg())},
        },
        "trees": {tree: {**_commit(source),
                         "role": "this tree" if tree == "after" else "the tree before"}
                  for tree, source in trees.items()},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{BASELINE[0]} (the baseline): {baseline['seconds']:.3f} s "
          f"(CPU {baseline['cpu_seconds']:.3f} s)")
    for name, (what, _) in COMMANDS.items():
        cells = [f"{tree} {results[tree][name]['seconds']:.3f} s "
                 f"({results[tree][name]['ratio_to_baseline']:.1f}x; CPU "
                 f"{results[tree][name]['cpu_seconds']:.3f} s)" for tree in trees]
        print(f"{what}: " + ", ".join(cells))
    return result


if __name__ == "__main__":
    main()
