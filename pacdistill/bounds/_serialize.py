"""JSON form of sympy expressions over a whitelist (private).

An expression becomes a nested JSON value and back, without ever parsing text:

- a Python int is an Integer; ``["Rational", p, q]``; ``["Float", p, q, prec]``
  (the float's exact binary value p/q and its precision in bits);
- ``["Symbol", name]`` for the shared symbols of :mod:`pacdistill.bounds.symbols`
  only (``SYMBOLS``, ``OPT_*``, the per-step budgets ``eps_i`` / ``delta_i``),
  rebuilt with their assumptions;
- ``["E"]`` and ``["pi"]``;
- ``[op, arg, ...]`` for ``op`` in :data:`OPERATIONS`.

The loader is strict: anything else raises :class:`SerializationError`. It also
bounds the input (depth, node count, integer digits, numeric exponents and the
arguments of factorial-like functions) and rebuilds nodes with
``evaluate=False``, so loading a hostile document cannot run for long; a
document written by :func:`to_tree` loads back to an expression equal to the
original (same tree).

>>> from pacdistill.bounds import symbols as S
>>> tree = to_tree(S.log_size / S.eps + 2 ** S.k)
>>> tree  # doctest: +NORMALIZE_WHITESPACE
['Add', ['Pow', 2, ['Symbol', 'k']],
        ['Mul', ['Symbol', 'log_size'], ['Pow', ['Symbol', 'eps'], -1]]]
>>> from_tree(tree) == S.log_size / S.eps + 2 ** S.k
True
"""

from __future__ import annotations

from typing import Any

import sympy

from .._validation import show
from ..errors import SerializationError
from . import symbols as _sym

__all__ = ["OPERATIONS", "to_tree", "from_tree", "symbol_from_name"]

#: operation name -> sympy class (the whitelist)
OPERATIONS: dict[str, Any] = {
    "Add": sympy.Add,
    "Mul": sympy.Mul,
    "Pow": sympy.Pow,
    "log": sympy.log,
    "exp": sympy.exp,
    "ceiling": sympy.ceiling,
    "floor": sympy.floor,
    "binomial": sympy.binomial,
    "Max": sympy.Max,
    "Min": sympy.Min,
    "factorial": sympy.factorial,
    "catalan": sympy.catalan,
}
_ARITY = {"Pow": 2, "log": 1, "exp": 1, "ceiling": 1, "floor": 1, "binomial": 2,
          "factorial": 1, "catalan": 1}
_FACTORIAL_LIKE = {"binomial", "factorial", "catalan"}
_CLASS_TO_NAME = {cls: name for name, cls in OPERATIONS.items()}

#: loader limits
MAX_DEPTH = 64
MAX_NODES = 20_000
MAX_INT_DIGITS = 400
MAX_EXPONENT = 1000
MAX_FACTORIAL_ARG = 100_000
_MAX_INT_BITS = 4 * MAX_INT_DIGITS  # > log2(10) * MAX_INT_DIGITS: a cheap first test


def symbol_from_name(name: str) -> sympy.Symbol | None:
    """The shared symbol called ``name`` (with its assumptions), or None."""
    if name in _sym.SYMBOLS:
        return _sym.SYMBOLS[name]
    if name.startswith("OPT_"):
        try:
            return _sym.OPT(name[4:])
        except ValueError:
            return None
    return _sym.step_symbol(name)  # eps_2, delta_2, k_2 (step 2's own k), else None


def to_tree(expr: sympy.Basic) -> Any:
    """The JSON form of ``expr`` (see the module docstring).

    Raises SerializationError for anything outside the whitelist, such as a
    symbol not defined in :mod:`pacdistill.bounds.symbols`.
    """
    if isinstance(expr, sympy.Integer):
        return int(expr)
    if isinstance(expr, sympy.Rational):
        return ["Rational", int(expr.p), int(expr.q)]
    if isinstance(expr, sympy.Float):
        exact = sympy.Rational(expr)
        return ["Float", int(exact.p), int(exact.q), int(expr._prec)]
    if expr is sympy.E:
        return ["E"]
    if expr is sympy.pi:
        return ["pi"]
    if isinstance(expr, sympy.Symbol):
        known = symbol_from_name(expr.name)
        if known is None or known != expr:
            raise SerializationError(
                f"The symbol {expr.name!r} cannot be serialized: only the symbols of "
                "pacdistill.bounds.symbols (with their assumptions) can. Define it there."
            )
        return ["Symbol", expr.name]
    name = _CLASS_TO_NAME.get(expr.func)
    if name is None:
        raise SerializationError(
            f"Cannot serialize {type(expr).__name__} in {sympy.sstr(expr)!r}: allowed are "
            f"numbers, symbols, E, pi and {', '.join(OPERATIONS)}."
        )
    return [name, *(to_tree(arg) for arg in expr.args)]


def from_tree(tree: Any) -> sympy.Expr:
    """Rebuild an expression from :func:`to_tree`'s form, strictly (module docstring)."""
    counter = [0]
    return _load(tree, 0, counter)


def _fail(message: str) -> SerializationError:
    return SerializationError(f"Malformed expression in a JSON document: {message}")


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{what} must be an integer. Got {show(value)}.")
    # by bit length: str() of an int past 4300 digits raises ValueError
    if abs(value).bit_length() > _MAX_INT_BITS or len(str(abs(value))) > MAX_INT_DIGITS:
        raise _fail(f"{what} has more than {MAX_INT_DIGITS} digits.")
    return value


def _load(tree: Any, depth: int, counter: list[int]) -> sympy.Expr:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _fail(f"more than {MAX_NODES} nodes.")
    if depth > MAX_DEPTH:
        raise _fail(f"nested deeper than {MAX_DEPTH}.")
    if isinstance(tree, int) and not isinstance(tree, bool):
        return sympy.Integer(_int(tree, "an integer"))
    if not isinstance(tree, list) or not tree or not isinstance(tree[0], str):
        raise _fail(f"expected an integer or a list [operation, ...]. Got {_short(tree)}.")
    op, args = tree[0], tree[1:]
    if op == "Rational":
        if len(args) != 2:
            raise _fail("Rational takes [p, q].")
        p, q = _int(args[0], "Rational p"), _int(args[1], "Rational q")
        if q <= 0:
            raise _fail(f"Rational needs q > 0. Got {q}.")
        return sympy.Rational(p, q)
    if op == "Float":
        if len(args) != 3:
            raise _fail("Float takes [p, q, precision].")
        p, q, prec = (_int(a, "Float field") for a in args)
        if q <= 0 or q & (q - 1) or not 2 <= prec <= 4096:
            raise _fail("Float needs a power-of-two q > 0 and a precision in [2, 4096].")
        return sympy.Float(sympy.Rational(p, q), precision=prec)
    if op in ("E", "pi"):
        if args:
            raise _fail(f"{op} takes no arguments.")
        return sympy.E if op == "E" else sympy.pi
    if op == "Symbol":
        if len(args) != 1 or not isinstance(args[0], str):
            raise _fail("Symbol takes [name].")
        sym = symbol_from_name(args[0])
        if sym is None:
            raise _fail(
                f"unknown symbol {args[0][:40]!r}; allowed are the names of "
                "pacdistill.bounds.symbols.SYMBOLS, OPT_<class>, eps_<i> and delta_<i>."
            )
        return sym
    cls = OPERATIONS.get(op)
    if cls is None:
        raise _fail(f"unknown operation {op[:40]!r}; allowed are {', '.join(OPERATIONS)}.")
    want = _ARITY.get(op)
    if (want is not None and len(args) != want) or (want is None and len(args) < 2):
        raise _fail(f"{op} takes {want if want is not None else 'at least 2'} arguments. "
                    f"Got {len(args)}.")
    loaded = [_load(arg, depth + 1, counter) for arg in args]
    if op == "Pow" and loaded[1].is_number and not _small(loaded[1], MAX_EXPONENT):
        raise _fail(f"a numeric exponent must be real with |exponent| <= {MAX_EXPONENT}.")
    if op in _FACTORIAL_LIKE:
        for arg in loaded:
            if arg.is_number and not _small(arg, MAX_FACTORIAL_ARG):
                raise _fail(f"a numeric argument of {op} must be real and <= "
                            f"{MAX_FACTORIAL_ARG} in absolute value.")
    # the undefined values the parser refuses (1/0, log(0)): built unevaluated here,
    # they would load and only fail when the guarantee is evaluated
    if op == "Pow" and loaded[0] == 0 and loaded[1].is_number and loaded[1].is_negative:
        raise _fail(f"0**{sympy.sstr(loaded[1])} is undefined (a division by zero).")
    if op == "log" and any(arg == 0 for arg in loaded):
        raise _fail("log(0) is undefined.")
    return cls(*loaded, evaluate=False)


def _small(value: sympy.Expr, bound: float) -> bool:
    """Whether a numeric expression is real with |value| <= bound (False if unsure)."""
    try:
        number = complex(value.evalf(15))
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return False
    return number.imag == 0 and abs(number.real) <= bound


def _short(value: Any) -> str:
    text = show(value)  # bounded: a tree nested 10,000 deep is not walked
    return text if len(text) <= 60 else text[:57] + "..."
