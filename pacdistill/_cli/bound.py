"""``pacdistill bound``: symbolic bounds from the command line (THEORY §3-§7).

Subcommands:

- ``bound samples <entry> --eps .. --delta .. --param name=value ...``: a bound
  of the catalog (:data:`pacdistill.bounds.catalog`), its formula and its
  value, rounded up. ``--class`` takes ln|G| or the VC dimension from a model
  class (``--class parity --param d=20``).
- ``bound check "<claim>" --assume "<domain>"``: :func:`pacdistill.bounds.check`;
  exit code 0 proved, 1 refuted, 3 undecided (2 for a usage error).

Numbers on the command line go through a strict int/float reader: no
expression is ever evaluated.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any

from ._output import add_json_flag, emit_json, emit_text

__all__ = ["add_parser", "SUBCOMMANDS", "parse_number", "parse_param"]

_INT = re.compile(r"^[+-]?[0-9]+$")
_FLOAT = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_number(text: str) -> int | float:
    """An int or a finite float written as a plain decimal literal; nothing else.

    >>> parse_number("100"), parse_number("1e-3"), parse_number(".5")
    (100, 0.001, 0.5)
    >>> parse_number("2**10")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a number such as 100, 0.05 or 1e-3; got '2**10'
    """
    text = text.strip()
    shown = text if len(text) <= 40 else text[:37] + "..."
    if len(text) <= 400:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            value = float(text)
            if value not in (float("inf"), float("-inf")):
                return value
            raise argparse.ArgumentTypeError(
                f"expected a number within the float range: {shown!r} is past the largest "
                "float, about 1.8e308 (write a large integer in full digits if it is one)"
            )
    raise argparse.ArgumentTypeError(
        f"expected a number such as 100, 0.05 or 1e-3; got {shown!r}"
    )


def parse_param(text: str) -> tuple[str, int | float]:
    """``name=value`` with a symbol-like name and a number (see :func:`parse_number`).

    >>> parse_param("d=100")
    ('d', 100)
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not _NAME.match(name):
        raise argparse.ArgumentTypeError(f"expected name=value such as d=100; got {text[:40]!r}")
    return name, parse_number(value)


# ------------------------------------------------------------------- samples
def _add_samples(sub: Any) -> None:
    p = sub.add_parser(
        "samples", help="evaluate a bound of the catalog (THEORY §4-§7)",
        # called when the help is shown: building the parser does not load the catalog
        description=lambda: "Print a catalog bound's formula and its value, rounded up. "
        "Entries: " + ", ".join(_catalog_names()) + ".",
        epilog="examples:\n"
        "  pacdistill bound samples realizable_finite --eps 0.01 --delta 0.05 --param "
        "log_size=13.86\n"
        "  pacdistill bound samples realizable_finite --eps 0.01 --delta 0.05 --class junta "
        "--param d=20 --param k=3\n"
        "  pacdistill bound samples query_junta --delta 0.01 --param d=100 --param k=4\n\n"
        "exit codes: 0 the value was printed; 2 bad input (an unknown entry, a missing or "
        "unused value).",
    )
    p.add_argument("entry", help="catalog entry name, e.g. realizable_finite")
    p.add_argument("--eps", type=parse_number,
                   help="target error, in (0, 1); needed by the bounds in eps, refused by "
                   "the others (default: none)")
    p.add_argument("--delta", type=parse_number,
                   help="failure probability, in (0, 1); needed by the bounds in delta, "
                   "refused by the others (default: none)")
    p.add_argument("--param", type=parse_param, action="append", default=[],
                   metavar="NAME=VALUE",
                   help="a parameter of the bound (log_size=13.8, vc=10, C=1, d=100...); "
                   "repeat for several (default: none)")
    p.add_argument("--class", dest="cls", metavar="CLASS",
                   help="take ln|G| (log_size) or the VC dimension from this model class "
                   "(default: none; then give log_size= or vc= with --param)")
    add_json_flag(p)
    p.set_defaults(func=_run_samples)


def _catalog_names() -> list[str]:
    from ..bounds import catalog

    return list(catalog)


def _run_samples(args: argparse.Namespace) -> int:
    import sympy

    from .._validation import param_error
    from .._web.values import format_value
    from ..bounds import catalog, samples_needed
    from ..bounds.guarantee import _latex
    from ..errors import MissingValueError

    entry = catalog[args.entry]  # UnknownNameError (exit 2) lists close matches
    params: dict[str, Any] = {}
    for name, value in args.param:
        if name in params or name in ("eps", "delta"):
            raise param_error("param", "bound samples", "given once, and not eps or delta "
                              "(use --eps/--delta)", f"{name}={value}")
        params[name] = value
    given = {key: getattr(args, key) for key in ("eps", "delta")
             if getattr(args, key) is not None}
    if entry.resource == "samples":
        for key in ("eps", "delta"):
            if key not in given:
                raise param_error(key, "bound samples", "given (--" + key + ")", None)
    needs = {sym.name for sym in entry.formula.free_symbols}
    for key in given:
        if key not in needs:  # it was echoed in 'at eps=..., ...' as if it had counted
            raise param_error(key, f"bound samples {entry.name}", "left out: this bound "
                              f"does not depend on {key}", given[key])
    try:
        if entry.resource == "samples":
            value = samples_needed(args.entry, eps=given["eps"], delta=given["delta"],
                                   cls=args.cls, **params)
        else:
            value = entry.evaluate(cls=args.cls, **given, **params)
        extras = {name: entry.evaluate_extra(name, cls=args.cls, **given, **params)
                  for name in entry.extras}
    except MissingValueError as err:
        # the library's message speaks Python (vc=..., cls=<class name>)
        raise MissingValueError(f"{err} On the command line a value is --param NAME=VALUE "
                        "(--param vc=10, --param C=1, --param log_size=13.8) and a "
                        "class is --class NAME.", names=err.names) from err
    inputs = {**given, **params}
    kind = "lower bound: fewer cannot suffice" if entry.direction == "lower" else \
        "upper bound: this many suffice"
    if args.json:
        emit_json({
            "entry": entry.name, "resource": entry.resource,
            "formula": sympy.sstr(entry.formula), "latex": _latex(entry.formula),
            "order": entry.order, "direction": entry.direction, "source": entry.source,
            "description": entry.description, "class": args.cls, "values": inputs,
            "value": value,
            "extras": {name: {"formula": sympy.sstr(entry.extras[name]), "value": extra}
                       for name, extra in extras.items()},
        })
        return 0
    symbol = "q" if entry.resource == "queries" else "n"
    lines = [
        f"{entry.name}: {entry.description}",
        f"  {symbol} = {sympy.sstr(entry.formula)}"
        + ("   (up to the unknown constant C)" if entry.order else ""),
    ]
    for name, extra in extras.items():
        lines.append(f"  {name} = {sympy.sstr(entry.extras[name])} = {format_value(extra)}")
    lines += [
        f"  ({kind})",
        f"  source: {entry.source}",
        "  at " + ", ".join(f"{k}={v}" for k, v in inputs.items())
        + (f" (class {args.cls})" if args.cls else "")
        + f": {symbol} = {format_value(value)}"
        + ("   (rounded here; --json gives the integer)"
           if format_value(value) != str(value) else ""),
    ]
    emit_text("\n".join(lines))
    return 0


# ------------------------------------------------------------------- check
#: exit code of ``bound check`` for each verdict status (cli.py's convention)
CHECK_EXIT_CODES = {"proved": 0, "refuted": 1, "undecided": 3}


def _add_check(sub: Any) -> None:
    p = sub.add_parser(
        "check", help="prove or refute a claim about bounds",
        description="Decide a claim such as 'log(2/delta)/eps <= d/eps' under assumptions: "
        "proved (exit 0), refuted with a counterexample (exit 1) or undecided (exit 3). "
        "Asymptotic claims name their limit: 'd**2 = O(d**3) as d -> oo'. Text goes "
        "through the safe parser (pd.bounds.parse). A claim starting with '-' comes "
        "last, after the options and '--': bound check --assume 'd >= 1' -- '-d<=d'.",
        epilog="examples:\n"
        "  pacdistill bound check \"log(2/delta)/eps <= d/eps\" --assume \"0 < eps < 1, "
        "0 < delta < 1, d >= 1\"\n"
        "  pacdistill bound check \"d**2 + d = Theta(d**2) as d -> oo\"\n"
        "  pacdistill bound check \"log(d)**100 = o(d) as d -> oo\" --json\n\n"
        "exit codes: 0 proved; 1 refuted (with a counterexample); 3 undecided; 2 bad input.",
    )
    p.add_argument("claim", help="a relation, e.g. \"log(2/delta)/eps <= d/eps\"")
    p.add_argument("--assume", default="", metavar="DOMAIN",
                   help="comma-separated (chained) relations, e.g. "
                   "\"0 < eps < 1, 0 < delta < 1, d >= 1\" (default: none, only the "
                   "symbols' own: d, k, t, ... positive integers, eps and delta positive)")
    p.add_argument("--points", type=int, default=2000,
                   help="budget of the numeric counterexample search (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the numeric search (default 0)")
    p.add_argument("--timeout", type=parse_number, default=60.0, metavar="SECONDS",
                   help="time budget; when it runs out the claim is undecided (default 60)")
    add_json_flag(p)
    p.set_defaults(func=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from .._validation import param_error
    from ..bounds import check

    if args.seed < 0:  # check() would name its 'rng' parameter, which the CLI does not have
        raise param_error("seed", "bound check", ">= 0 (--seed)", args.seed)
    verdict = check(args.claim, assume=args.assume, points=args.points, rng=args.seed,
                    timeout=args.timeout)
    if args.json:
        emit_json({"claim": args.claim, "assume": args.assume, **verdict.to_dict()})
        return CHECK_EXIT_CODES[verdict.status]
    lines = [f"claim: {args.claim}"]
    if args.assume.strip():
        lines.append(f"assuming: {args.assume}")
    if verdict.domain:  # the symbols' own assumptions too: t is a positive integer
        lines.append(f"domain: {verdict.domain}")
    lines += [f"status: {verdict.status}", f"method: {verdict.method}"]
    if verdict.counterexample is not None:
        lines.append("counterexample: " + ", ".join(
            f"{k}={v!r}" for k, v in verdict.counterexample.items()))
    if verdict.method == "numeric search":
        lines.append(f"points tried: {verdict.points_tried}")
    if verdict.timed_out:
        lines.append(f"timed out: the {args.timeout:g} s budget ran out (--timeout)")
    lines.append(f"detail: {verdict.detail}")
    emit_text("\n".join(lines))
    return CHECK_EXIT_CODES[verdict.status]


#: adders of the ``bound`` subcommands, in help order; each takes the
#: subparsers object of ``bound`` (add a new subcommand by appending here)
SUBCOMMANDS: list[Callable[[Any], None]] = [_add_samples, _add_check]


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bound", help="symbolic bounds: catalog values (and checks)",
                       description="Symbolic bounds (THEORY §3-§7).")
    bound_sub = p.add_subparsers(dest="bound_command", metavar="SUBCOMMAND",
                                 parser_class=type(p))
    for adder in SUBCOMMANDS:
        adder(bound_sub)

    def _usage(args: argparse.Namespace) -> int:
        p.print_help(sys.stderr)
        return 2

    p.set_defaults(func=_usage)
