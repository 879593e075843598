"""The shared sympy symbols, each declared once with its assumptions.

Everything in pacdistill imports its symbols from here, so a composed bound never
holds two different ``eps`` (STYLE 7). Range facts sympy cannot hold on a symbol
(``delta < 1``, ``k <= d``) belong in a Guarantee's assumptions or a checker's
``assume=``, not here.

>>> from pacdistill.bounds.symbols import eps, d
>>> eps.is_positive, d.is_integer
(True, True)
"""

from __future__ import annotations

import re

import sympy

from ..errors import InvalidParameterError

__all__ = [
    "d", "k", "r", "s", "l", "w", "m", "L", "n", "t", "v", "N",
    "eps", "delta", "tau", "B", "C", "gamma", "log_size", "S",
    "SYMBOLS", "INTEGER_SYMBOLS", "NAME_FORMS", "OPT", "is_opt_symbol",
    "step_eps", "step_delta", "is_budget_symbol",
    "step_option", "is_step_option", "option_origin", "step_symbol",
]

_posint = {"positive": True, "integer": True}
_pos = {"positive": True, "real": True}

#: input dimension (number of variables)
d = sympy.Symbol("d", **_posint)
#: number of relevant variables / literals (juntas, conjunctions, parities)
k = sympy.Symbol("k", **_posint)
#: depth of a decision tree
r = sympy.Symbol("r", **_posint)
#: leaves of a tree, or terms of a DNF / clauses of a CNF
s = sympy.Symbol("s", **_posint)
#: length of a decision list
l = sympy.Symbol("l", **_posint)
#: width (literals per term or rule)
w = sympy.Symbol("w", **_posint)
#: representation dimension: total hidden units of a network (THEORY §5)
m = sympy.Symbol("m", **_posint)
#: number of hidden layers of a network
L = sympy.Symbol("L", **_posint)
#: number of samples
n = sympy.Symbol("n", **_posint)
#: points drawn per restriction in query junta distillation (THEORY §6)
t = sympy.Symbol("t", **_posint)
#: VC dimension
v = sympy.Symbol("v", **_posint)
#: number of kept ANDs in LRH tree distillation (THEORY §5)
N = sympy.Symbol("N", **_posint)
#: number of nested levels G_1 ... G_S of a Pareto frontier (THEORY §7)
S = sympy.Symbol("S", **_posint)

#: target error
eps = sympy.Symbol("eps", **_pos)
#: failure probability
delta = sympy.Symbol("delta", **_pos)
#: probe MSE tolerance of the LRH (THEORY §5)
tau = sympy.Symbol("tau", **_pos)
#: probe weight-norm bound of the LRH (THEORY §5)
B = sympy.Symbol("B", **_pos)
#: the unknown constant of an order (Theta/O) bound
C = sympy.Symbol("C", **_pos)
#: uniform-convergence slack of the probes (THEORY §5)
gamma = sympy.Symbol("gamma", **_pos)
#: ln|G| of a finite class (THEORY §4)
log_size = sympy.Symbol("log_size", **_pos)

#: every shared symbol by name (the safe parser's vocabulary)
SYMBOLS: dict[str, sympy.Symbol] = {
    sym.name: sym
    for sym in (d, k, r, s, l, w, m, L, n, t, v, N, S, eps, delta, tau, B, C, gamma, log_size)
}
#: the names of the integer-valued symbols
INTEGER_SYMBOLS = frozenset(name for name, sym in SYMBOLS.items() if sym.is_integer)
#: every name a value may be given under (``Guarantee.at``, ``routes(at=)``), as an
#: unknown name's error lists them: the shared symbols and the derived forms
NAME_FORMS = (*SYMBOLS, "OPT_<class>", "eps_<i>", "delta_<i>", "k_<i> (a step's own size)")

_OPT_NAME = re.compile(r"^OPT_[A-Za-z][A-Za-z0-9_]*$")


def OPT(class_name: str) -> sympy.Symbol:
    """The symbol OPT_G = min over g in G of err_D(f, g) (THEORY §1), nonnegative.

    ``class_name`` is the class's key in ``pd.CLASSES``.

    >>> OPT("decision_tree")
    OPT_decision_tree
    """
    name = f"OPT_{class_name}"
    if not _OPT_NAME.match(name):
        raise ValueError(
            f"OPT needs a class name of letters, digits and underscores. Got {class_name!r}."
        )
    return sympy.Symbol(name, nonnegative=True, real=True)


def is_opt_symbol(sym: sympy.Basic) -> bool:
    """Whether ``sym`` is one of the OPT_G symbols."""
    return isinstance(sym, sympy.Symbol) and bool(_OPT_NAME.match(sym.name))


_BUDGET_NAME = re.compile(r"^(eps|delta)_([1-9][0-9]{0,5})$")


def step_eps(i: int) -> sympy.Symbol:
    """The error budget eps_i of step ``i`` (from 1) of a composed chain (THEORY §3).

    A composite guarantee is first stated with one budget per step; the budget
    split then expresses each eps_i in the composite's ``eps`` (see
    :mod:`pacdistill.bounds.compose`).

    >>> step_eps(2), step_eps(2).is_positive
    (eps_2, True)
    """
    return sympy.Symbol(f"eps_{_step_index(i)}", **_pos)


def step_delta(i: int) -> sympy.Symbol:
    """The failure budget delta_i of step ``i`` (from 1) of a composed chain (THEORY §3).

    >>> step_delta(1)
    delta_1
    """
    return sympy.Symbol(f"delta_{_step_index(i)}", **_pos)


def _step_index(i: int) -> int:
    if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= 999_999:
        raise InvalidParameterError(
            f"A step index must be an integer in [1, 999999]. Got {i!r} instead."
        )
    return i


def is_budget_symbol(sym: sympy.Basic) -> bool:
    """Whether ``sym`` is a per-step budget eps_i or delta_i."""
    return isinstance(sym, sympy.Symbol) and bool(_BUDGET_NAME.fullmatch(sym.name))


_OPTION_NAME = re.compile(r"^([A-Za-z]+)_([1-9][0-9]{0,5})$")


def step_option(sym: sympy.Symbol, i: int) -> sympy.Symbol:
    """Step ``i``'s own choice of the size ``sym``, as a symbol of its own.

    A reduction may take a size that is not a parameter of its input class (a
    junta learner's ``k``, the depth ``r`` of the tree ``lrh_tree`` extracts).
    When a composed chain's source class has a parameter of the same name (a
    conjunction's ``k``), :func:`pacdistill.bounds.compose.compose` renames the
    step's choice ``k`` to ``k_i`` (``i`` its position in the chain, from 1) so
    the two stay apart (THEORY §3). Only the integer size symbols are renamed.

    >>> step_option(k, 2), step_option(k, 2).is_integer
    (k_2, True)
    >>> option_origin(step_option(r, 3))
    (r, 3)
    """
    if not isinstance(sym, sympy.Symbol) or sym.name not in INTEGER_SYMBOLS:
        raise InvalidParameterError(
            f"step_option needs one of the integer size symbols {sorted(INTEGER_SYMBOLS)}. "
            f"Got {sym!r} instead."
        )
    return sympy.Symbol(f"{sym.name}_{_step_index(i)}", **_posint)


def option_origin(sym: sympy.Basic) -> tuple[sympy.Symbol, int] | None:
    """``(size symbol, step index)`` of a renamed step choice ``k_i``, else None."""
    if not isinstance(sym, sympy.Symbol):
        return None
    match = _OPTION_NAME.fullmatch(sym.name)
    if match is None or match.group(1) not in INTEGER_SYMBOLS:
        return None
    base, index = SYMBOLS[match.group(1)], int(match.group(2))
    return (base, index) if sym == step_option(base, index) else None


def is_step_option(sym: sympy.Basic) -> bool:
    """Whether ``sym`` is a renamed step choice ``k_i`` (:func:`step_option`)."""
    return option_origin(sym) is not None


def step_symbol(name: str) -> sympy.Symbol | None:
    """The per-step symbol called ``name`` -- a budget ``eps_i``/``delta_i`` or a
    renamed size ``k_i`` -- or None. The index is 1 to 6 ASCII digits without a
    leading zero (``[0-9]``, not ``str.isdigit``, which also takes '²' and other
    scripts' digits).

    >>> step_symbol("eps_2"), step_symbol("k_3"), step_symbol("k_03"), step_symbol("tau_2")
    (eps_2, k_3, None, None)
    """
    match = _BUDGET_NAME.fullmatch(name)
    if match is not None:
        maker = step_eps if match.group(1) == "eps" else step_delta
        return maker(int(match.group(2)))
    match = _OPTION_NAME.fullmatch(name)
    if match is not None and match.group(1) in INTEGER_SYMBOLS:
        return step_option(SYMBOLS[match.group(1)], int(match.group(2)))
    return None
