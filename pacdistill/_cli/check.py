"""``pacdistill check``: property-test a reduction against its declared Guarantee,
or replay a counterexample (:func:`pacdistill.checkers.check_reduction`).

The reduction is named by a SPEC:

- ``learn_junta[junta]``: an edge of the default registry, by name;
- ``learn_junta``: a family of the default registry, every edge of it;
- ``package.module:attr`` or ``path/to/file.py:attr``: the module-level
  attribute ``attr`` (a Reduction made by ``@register``, or a ReductionFamily),
  imported from the module the user names (this runs that module's code, as
  ``python file.py`` would; nothing typed here is evaluated);
- ``...:attr[source]``: one edge of a family.

Exit codes: 0 every check passed (``--replay``: the failure did not happen
again), 1 a check failed or was untestable (``--replay``: the failure was
reproduced), 2 usage errors and PacDistillError.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
import sys
import zlib
from pathlib import Path
from typing import Any

from ._output import add_json_flag, emit_json, emit_table, emit_text

__all__ = ["add_parser", "load_reduction"]

_ATTR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[([A-Za-z0-9_]+)\])?")


def _import_file(path: Path) -> Any:
    path = path.resolve()
    for module in list(sys.modules.values()):  # already imported (e.g. a pacdistill module)
        if getattr(module, "__file__", None) and Path(module.__file__).resolve() == path:
            return module
    from ..errors import InvalidParameterError

    if path.is_dir():
        raise InvalidParameterError(
            f"pacdistill check: {str(path)!r} is a directory; name a Python file "
            "(path/to/file.py:NAME).")
    if not path.is_file():
        raise InvalidParameterError(f"pacdistill check: no such file {str(path)!r}.")
    name = f"_pacdistill_check_{path.stem}_{zlib.crc32(str(path).encode()):08x}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - not a Python file
        raise InvalidParameterError(f"pacdistill check: cannot import {str(path)!r}.")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # its sibling modules, as `python file.py` sees them
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as err:  # the user's code failed: say where, exit 2 (not 1: failed)
        del sys.modules[name]
        raise _import_failed(str(path), err) from err
    return module


def _import_failed(what: str, err: BaseException) -> Any:
    """An InvalidParameterError saying that importing ``what`` raised ``err``, with
    the innermost line of the traceback (the user's file and line)."""
    import traceback

    from ..errors import InvalidParameterError

    where = ""
    if not isinstance(err, SyntaxError):  # a SyntaxError's text names file and line
        frames = traceback.extract_tb(err.__traceback__)
        if frames:
            where = f" ({frames[-1].filename}, line {frames[-1].lineno})"
    return InvalidParameterError(
        f"pacdistill check: importing {what!r} raised {type(err).__name__}: {err}{where}. "
        "Fix the module, then run the check again."
    )


def _registered(spec: str) -> Any:
    """A registered edge by name, or a whole family by its name
    (``learn_junta``: every ``learn_junta[F]``); an unknown name gets close
    matches among edges and families, each family listed once."""
    from ..errors import InvalidParameterError
    from ..reductions import REGISTRY
    from ..reductions._registry import FAMILIES, unknown_reduction

    if spec in REGISTRY:
        return REGISTRY[spec]
    if spec.endswith(".py") or "/" in spec or "\\" in spec:
        raise InvalidParameterError(
            f"pacdistill check: {spec!r} names a file; name the reduction in it too: "
            f"{spec}:NAME (NAME: the function decorated with @register).")
    if spec in FAMILIES:
        return FAMILIES[spec]
    raise unknown_reduction(spec)


def load_reduction(spec: str) -> Any:
    """The Reduction or ReductionFamily named by ``spec`` (see the module docstring).

    >>> load_reduction("junta_to_tree")
    <Reduction junta_to_tree: junta -> decision_tree (exact)>
    >>> load_reduction("pacdistill.reductions.learn_junta:learn_junta[parity]")
    <Reduction learn_junta[parity]: parity -> junta (perfect)>
    """
    from ..errors import InvalidParameterError

    if ":" not in spec or re.fullmatch(r"[A-Za-z0-9_]+\[[A-Za-z0-9_]+\]", spec):
        return _registered(spec)
    module_part, attr = spec.rsplit(":", 1)
    match = _ATTR.fullmatch(attr)
    if not match or not module_part:
        raise InvalidParameterError(
            f"pacdistill check: expected module:attr, file.py:attr or a registered name. "
            f"Got {spec!r} instead."
        )
    if module_part.endswith(".py") or "/" in module_part or "\\" in module_part:
        module = _import_file(Path(module_part))
    else:
        if str(Path.cwd()) not in sys.path:  # like `python -m`: the current directory first
            sys.path.insert(0, str(Path.cwd()))
        try:
            module = importlib.import_module(module_part)
        except ImportError as err:
            raise InvalidParameterError(
                f"pacdistill check: cannot import {module_part!r}: {err}"
            ) from err
        except Exception as err:  # the module itself raised while importing
            raise _import_failed(module_part, err) from err
    name, source = match.groups()
    if not hasattr(module, name):
        raise InvalidParameterError(f"pacdistill check: {module_part} has no attribute {name!r}.")
    obj = getattr(module, name)
    if source is not None:
        edges = getattr(obj, "edges", None)
        if edges is None or source not in edges:
            raise InvalidParameterError(
                f"pacdistill check: {name} is not a family with an edge from {source!r}."
            )
        obj = edges[source]
    if isinstance(obj, dict) and obj and all(hasattr(v, "guarantee") for v in obj.values()):
        names = [attr for attr, value in vars(module).items()
                 if any(value is edge for edge in obj.values())]
        hint = (f"name one: {', '.join(f'{module_part}:{n}' for n in names)}" if names else
                "bind one to a module-level name (the function decorated with @register is "
                "one) and name that")
        raise InvalidParameterError(
            f"pacdistill check: {spec} is a registry (a dict of {len(obj)} reductions), "
            f"not one reduction; {hint}."
        )
    if not hasattr(obj, "guarantee") and not hasattr(obj, "edges"):
        raise InvalidParameterError(
            f"pacdistill check: {spec} is a {type(obj).__name__}, not a Reduction "
            "(decorate the function with pacdistill.reductions.register) or a family."
        )
    return obj


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "check", help="property-test a reduction against its declared guarantee",
        description="Try to break the Guarantee a reduction declares: exhaustive equality "
        "and sizes for exact conversions (hypothesis), seeded trials with an exact binomial "
        "test for perfect and agnostic edges; counts against the declared formulas. "
        "On failure, prints the counterexample's replay command.",
        epilog="examples:\n"
        "  pacdistill check junta_to_tree\n"
        "  pacdistill check 'learn_junta[junta]' --trials 100 --seed 1\n"
        "  pacdistill check learn_junta --json\n"
        "  pacdistill check my_tests.py:my_parity_to_junta --max-d 6\n"
        "  pacdistill check my_tests.py:my_parity_to_junta --replay cx.json\n\n"
        "exit codes: 0 every check passed (--replay: the failure did not happen again); "
        "1 a check failed, or could not run (untestable: no trial ran, no source could "
        "be drawn; --replay: the failure happened again); 2 bad input, or the named "
        "module failed to import.")
    p.add_argument("spec", help="module:attr, path/to/file.py:attr, a registered edge "
                   "(learn_junta[junta]) or a registered family, every edge of it (learn_junta)")
    p.add_argument("--replay", metavar="FILE",
                   help="rerun a saved counterexample instead of checking (exit 1 when "
                        "the failure happens again; default: check)")
    # the defaults are check_reduction's (tests/cli/test_check_cli.py holds them equal);
    # written out here so that `pacdistill --help` does not import the harness
    p.add_argument("--max-d", type=int, default=None, metavar="D",
                   help="largest dimension (default: the edge's own, else 10 for exact "
                        "edges, at most 16; 8 for statistical trials, at most 12)")
    p.add_argument("--min-d", type=int, default=None, metavar="D",
                   help="smallest dimension of statistical trials (default 2), 1 to --max-d")
    p.add_argument("--trials", type=int, default=None, metavar="N",
                   help="statistical trials (default 40) or hypothesis examples of an "
                        "exact edge (default 50), N >= 1")
    p.add_argument("--smoke-trials", type=int, default=5, metavar="N",
                   help="trials for the non-representative edges of a family, N >= 1 "
                        "(default 5)")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="seed of everything, an integer >= 0 (default 0)")
    p.add_argument("--eps", type=float, default=None,
                   help="eps of every trial, in (0, 1) (default: the trials alternate 0.1 "
                        "and 0.25)")
    p.add_argument("--delta", type=float, default=None,
                   help="delta of the trials, in (0, 1) (default 0.01)")
    p.add_argument("--level", type=float, default=1e-6, metavar="P",
                   help="false-alarm probability of the binomial test, in (0, 1) "
                        "(default 1e-6)")
    p.add_argument("--deadline", type=float, default=None, metavar="SECONDS",
                   help="seconds after which no further trial starts, >= 0 (default: none)")
    p.add_argument("--save-dir", default=None, metavar="DIR",
                   help="where counterexamples are saved, created if missing (default: "
                        "$PACDISTILL_COUNTEREXAMPLES, else pacdistill-counterexamples in "
                        "the temporary directory)")
    add_json_flag(p)
    p.set_defaults(func=run)


class _Progress:
    """``done/total`` of the running check on one stderr line (a terminal only),
    redrawn at most every 0.2 s; cleared when the checks end."""

    def __init__(self) -> None:
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.perf_counter()
        if now - self.last >= 0.2 or done == total:
            self.last = now
            print(f"\rchecking: {done}/{total} ", end="", file=sys.stderr, flush=True)

    def clear(self) -> None:
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr, flush=True)


def _cell(used: Any, bound: Any) -> str:
    if used is None:
        return "-"
    return f"{used} <= {bound}" if bound is not None else f"{used} (unchecked)"


def _check_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options under the names typed, before any work (check_reduction
    checks only those an edge uses: ``--eps 1.5`` passed an exact edge)."""
    from .._validation import check_int, check_probability, check_real

    cmd = "pacdistill check"

    def count(value: Any, option: str, least: int) -> Any:
        return None if value is None else check_int(value, option, cmd, min=least)

    def probability(value: Any, option: str) -> Any:
        return None if value is None else check_probability(value, option, cmd)

    return dict(max_d=count(args.max_d, "--max-d", 1), min_d=count(args.min_d, "--min-d", 1),
                trials=count(args.trials, "--trials", 1),
                smoke_trials=count(args.smoke_trials, "--smoke-trials", 1),
                seed=count(args.seed, "--seed", 0), eps=probability(args.eps, "--eps"),
                delta=probability(args.delta, "--delta"),
                level=probability(args.level, "--level"),
                deadline=None if args.deadline is None else
                check_real(args.deadline, "--deadline", cmd, low=0),
                save_dir=_check_save_dir(args.save_dir))


def _check_save_dir(path: str | None) -> str | None:
    """A directory, or a path whose first existing ancestor is one (the harness
    creates the rest when it saves a counterexample: a file in the way was a
    bare FileExistsError then, after the whole check)."""
    from ..errors import InvalidParameterError

    if path is None:
        return None
    for where in (Path(path), *Path(path).absolute().parents):
        if where.exists():
            if not where.is_dir():
                raise InvalidParameterError(
                    f"The '--save-dir' directory {path!r} cannot be made: {str(where)!r} is "
                    "a file. Name a directory (it is created if missing).")
            break
    return path


def _largest_d(target: Any, max_d: int | None) -> int | None:
    """``--max-d`` within what every edge checked allows (16 for exact edges, 12
    for statistical ones), named as typed."""
    from .._validation import check_int
    from ..checkers.conformance import EXACT_MAX_D, STATISTICAL_MAX_D

    if max_d is None:
        return None
    edges = list(target.edges.values()) if hasattr(target, "edges") else [target]
    most = min(EXACT_MAX_D if edge.kind == "exact" else STATISTICAL_MAX_D for edge in edges)
    return check_int(max_d, "--max-d", "pacdistill check", min=1, max=most)


def run(args: argparse.Namespace) -> int:
    from ..checkers.conformance import check_family, check_reduction, replay

    checked = _check_options(args)
    target = load_reduction(args.spec)
    if args.replay:
        result = replay(args.replay, reduction=target)
        if args.json:
            emit_json({"reproduced": result.reproduced, "violation": result.violation,
                       "message": result.message, "measured_error": result.measured_error,
                       "bound": result.bound})
        else:
            emit_text(str(result))
        return 1 if result.reproduced else 0
    show = _Progress() if not args.json and sys.stderr.isatty() else None
    smoke_trials = checked.pop("smoke_trials")
    options = dict(checked, max_d=_largest_d(target, checked["max_d"]), progress=show)
    try:
        if hasattr(target, "edges"):
            reports = check_family(target, smoke_trials=smoke_trials, **options)
        else:
            reports = [check_reduction(target, **options)]
    finally:
        if show is not None:
            show.clear()
    if args.json:
        emit_json([report.to_dict() for report in reports])
    else:
        rows = [[r.reduction, r.kind, r.status, r.trials, r.failures,
                 "-" if r.p_value is None else f"{r.p_value:.3g}",
                 _cell(r.samples_used, r.samples_bound), _cell(r.queries_used, r.queries_bound),
                 f"{r.seconds:.2f}"] for r in reports]
        emit_table(["reduction", "kind", "status", "trials", "failures", "p-value",
                    "samples", "queries", "seconds"], rows, title="Guarantee conformance")
        for report in reports:
            if not report.passed:
                emit_text(str(report))
    return 0 if all(report.passed for report in reports) else 1
