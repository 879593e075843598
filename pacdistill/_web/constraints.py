"""Parameter constraints of the model classes, for the web's ``at=`` values (private).

A web query evaluates formulas at the numbers a user gives; numbers no member
of the class has (a junta on k = 5 of d = 3 variables) make ``log C(d, k)``
undefined, or worse, print numbers for an impossible model. The constraints
below are those the classes' own generators enforce (``pd.CLASSES[...].random``:
k <= d for juntas, conjunctions and parities, depth <= d for trees, width <= d
for DNF and CNF, m >= L for networks) plus one that follows from the
definitions (a tree of depth r has at most 2^r leaves; derived here).

Symbols are shared between classes (s is a tree's leaves and a DNF's terms), so
:func:`check_constraints` applies a class's constraint only when no other class
of the query has one of its symbols without the same constraint: for a query
DNF -> DecisionTree, ``s <= 2**r`` is not checked, since s might be the DNF's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._validation import param_error

__all__ = ["Constraint", "CONSTRAINTS", "check_constraints"]


@dataclass(frozen=True)
class Constraint:
    """``name <op> bound`` (op "<=" or ">="), with ``bound`` an expression in the
    symbols ``needs``; ``holds`` decides it on integers; ``why`` says where it
    comes from."""

    name: str
    op: str
    bound: str
    needs: tuple[str, ...]
    why: str
    holds: Callable[[Mapping[str, int]], bool] = field(compare=False, repr=False)

    def key(self) -> tuple[str, str, str]:
        return (self.name, self.op, self.bound)


def _le_d(name: str, why: str) -> Constraint:
    return Constraint(name, "<=", "d", ("d",), why, lambda v: v[name] <= v["d"])


def _leaves_fit(v: Mapping[str, int]) -> bool:
    # s <= 2^r without building 2^r (r may be huge)
    return v["s"] <= 1 or (v["s"] - 1).bit_length() <= v["r"]


#: class name -> its constraints (classes without any: halfspace, lookup_table,
#: decision_list)
CONSTRAINTS: dict[str, tuple[Constraint, ...]] = {
    "junta": (_le_d("k", "a junta reads k of the d variables"),),
    "conjunction": (_le_d("k", "a conjunction has k literals on distinct variables"),),
    "parity": (_le_d("k", "a parity multiplies k of the d variables"),),
    "decision_tree": (
        _le_d("r", "a path of a tree reads distinct variables, so its depth is at most d"),
        Constraint("s", "<=", "2**r", ("r",), "a tree of depth r has at most 2^r leaves "
                   "(derived here)", _leaves_fit),
    ),
    "dnf": (_le_d("w", "a term has at most d literals on distinct variables"),),
    "cnf": (_le_d("w", "a clause has at most d literals on distinct variables"),),
    "relu_network": (
        Constraint("m", ">=", "L", ("L",), "every one of the L hidden layers has a unit",
                   lambda v: v["m"] >= v["L"]),
    ),
}


def check_constraints(values: Mapping[str, Any], classes: Iterable[str], func: str) -> None:
    """Raise InvalidParameterError when ``values`` (validated numbers) break a
    constraint of one of ``classes`` (see the module docstring for which apply).

    >>> check_constraints({"d": 3, "k": 5}, ["relu_network", "junta"], "routes")
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'k' parameter of routes must be <= d (d = 3) ...
    """
    from ..classes import CLASSES

    names = list(dict.fromkeys(classes))
    params = {name: {sym.name for sym in CLASSES[name].params} if name in CLASSES else set()
              for name in names}
    for cls in names:
        for con in CONSTRAINTS.get(cls, ()):
            used = {con.name, *con.needs}
            if not used <= set(values):
                continue
            shared = [other for other in names if other != cls
                      and (used - {"d"}) & params[other]
                      and con.key() not in {c.key() for c in CONSTRAINTS.get(other, ())}]
            if shared:  # the symbol may be the other class's, meaning something else
                continue
            ints = {name: int(values[name]) for name in used}
            if not con.holds(ints):
                shown = ", ".join(f"{n} = {ints[n]}" for n in con.needs)
                raise param_error(
                    con.name, func, f"{con.op} {con.bound} ({shown}) for {cls}: {con.why}",
                    values[con.name],
                    fix="Those values describe no member of the class.")
