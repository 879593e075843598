"""Decision lists over {-1,+1}^d (THEORY §4, §8).

A decision list is a sequence of rules ``(term, output)`` and a default: the
first rule whose term (an AND of literals) holds decides the output; when none
holds, the default does. Terms of one literal give the 1-decision lists of the
catalog (THEORY §4); terms of up to w literals give w-decision lists (Rivest
1987, "Learning decision lists", Machine Learning 2(3):229-246).

Examples
--------
>>> dl = pd.DecisionList(3, [([(0, 1)], -1), ([(1, -1), (2, -1)], 1)], default=-1)
>>> print(dl)
if x0 = +1 then -1
elif x1 = -1 AND x2 = -1 then +1
else -1
>>> dl.predict([[1, -1, -1], [-1, -1, -1], [-1, 1, -1]]).tolist()
[-1, 1, -1]
>>> dl.size()
{'d': 3, 'l': 2, 'w': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int, is_sequence, show
from ..cube import _literals_hold, check_literals
from ..errors import InvalidModelError, SerializationError
from ._base import Model, ModelClass, check_random_cells
from ._fields import (
    model_int,
    model_sign,
    payload_fields,
    payload_int,
    payload_list,
    payload_literals,
)
from .conjunction import format_literals

__all__ = ["DecisionList", "DECISION_LIST"]

_OWNER = "DecisionList"

Literal = tuple[int, int]
Rule = tuple[tuple[Literal, ...], int]


@dataclass(frozen=True, eq=False)
class DecisionList(Model):
    """``if term_1 then o_1 elif term_2 then o_2 ... else default``.

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    rules : sequence of (term, output)
        ``term`` is a sequence of literals ``(i, s)`` (an AND; no variable twice
        within a term; the empty term always holds), ``output`` is ±1. The first
        rule whose term holds decides.
    default : int
        ±1, the output when no term holds.

    Raises
    ------
    InvalidModelError
        For a malformed rule, a literal out of range, a variable repeated within a
        term, an output or default other than ±1 (bools included).

    Examples
    --------
    >>> pd.DecisionList(2, [([(1, 1)], 1)], default=-1).predict([[1, 1], [1, -1]]).tolist()
    [1, -1]
    >>> pd.DecisionList(2, [([(0, 1)], 0)], default=1)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: The 'output of rule 0' parameter of DecisionList ...
    """

    d: int
    rules: tuple[Rule, ...] = ()
    default: int = -1

    class_name: ClassVar[str] = "decision_list"

    def __post_init__(self) -> None:
        d = model_int(self.d, "d", _OWNER, min=1)
        object.__setattr__(self, "d", d)
        if not is_sequence(self.rules):
            raise InvalidModelError(
                f"The 'rules' of {_OWNER} must be a sequence of (term, output) pairs. "
                f"Got {show(self.rules)} instead."
            )
        rules: list[Rule] = []
        for j, rule in enumerate(self.rules):
            try:
                term, output = rule
            except (TypeError, ValueError) as err:
                raise InvalidModelError(
                    f"Rule {j} of the {_OWNER} must be a pair (term, output). Got {show(rule)}."
                ) from err
            lits = check_literals(term, d, owner=f"{_OWNER} (rule {j})")
            rules.append((lits, model_sign(output, f"output of rule {j}", _OWNER)))
        object.__setattr__(self, "rules", tuple(rules))
        object.__setattr__(self, "default", model_sign(self.default, "default", _OWNER))

    @property
    def width(self) -> int:
        """The most literals in one rule's term (0 without rules)."""
        return max((len(term) for term, _ in self.rules), default=0)

    def _predict(self, X: np.ndarray) -> np.ndarray:
        out = np.full(X.shape[0], self.default, dtype=np.int8)
        # the last rule first, so that earlier rules overwrite later ones
        for term, output in reversed(self.rules):
            out[_literals_hold(X, term)] = output
        return out

    def size(self) -> dict[str, int]:
        """``{"d": d, "l": number of rules, "w": widest term}``."""
        return {"d": self.d, "l": len(self.rules), "w": self.width}

    def _payload(self) -> dict[str, Any]:
        return {
            "d": self.d,
            "rules": [{"term": [[i, s] for i, s in term], "output": output}
                      for term, output in self.rules],
            "default": self.default,
        }

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> DecisionList:
        payload_fields(data, ("d", "rules", "default"), _OWNER)
        rules = []
        for j, rule in enumerate(payload_list(data["rules"], "rules", _OWNER)):
            if not isinstance(rule, Mapping) or set(rule) != {"term", "output"}:
                raise SerializationError(
                    f"Rule {j} of {_OWNER} JSON must be {{'term': [[i, s], ...], 'output': "
                    f"±1}}. Got {show(rule)}."
                )
            rules.append((payload_literals(rule["term"], f"rules[{j}].term", _OWNER),
                          payload_int(rule["output"], f"rules[{j}].output", _OWNER)))
        return cls(payload_int(data["d"], "d", _OWNER), rules,
                   payload_int(data["default"], "default", _OWNER))

    def __str__(self) -> str:
        lines = [f"{'if' if j == 0 else 'elif'} {format_literals(term)} then {output:+d}"
                 for j, (term, output) in enumerate(self.rules)]
        lines.append(f"else {self.default:+d}")
        return "\n".join(lines)


def _random(rng: np.random.Generator, *, d: int, l: int, w: int = 1) -> DecisionList:
    """l rules, each an AND of w distinct variables (uniform) with uniform signs and a
    uniform output; a uniform default. w = 1 (the default) gives a 1-decision list,
    a member of the class; w >= 2 draws a w-decision list, a DecisionList outside
    the class node (its ``size_limits``)."""
    func = "CLASSES['decision_list'].random"
    d = check_int(d, "d", func, min=1)
    l = check_int(l, "l", func, min=0)
    w = check_int(w, "w", func, min=0, max=d)
    check_random_cells(l * (w + 1), f"{l} rules of {w} literals", func)
    signs = np.array([-1, 1])
    rules = []
    for _ in range(l):
        variables = rng.choice(d, size=w, replace=False)
        term = [(int(i), int(s)) for i, s in zip(variables, rng.choice(signs, size=w),
                                                  strict=True)]
        rules.append((term, int(rng.choice(signs))))
    return DecisionList(d, rules, int(rng.choice(signs)))


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    import sympy

    from ..bounds.symbols import d as d_sym
    from ..bounds.symbols import l as l_sym

    return {
        "params": (d_sym, l_sym),
        # l rules of width w <= d each (w is a size of the type, not a class parameter)
        "eval_time": l_sym * d_sym,
        "log_size": l_sym * sympy.log(4 * d_sym) + sympy.log(2),
    }


DECISION_LIST = ModelClass(
    name="decision_list",
    title="DecisionList",
    formulas=_formulas,
    model_type=DecisionList,
    generator=_random,
    description="l rules 'if term then ±1', then a default (1-DL: one literal a term)",
    log_size_source=(
        "THEORY §4, for 1-decision lists (w = 1): each of the l rules picks one of 2d "
        "literals and one of 2 outputs, plus the default; an upper bound"
    ),
    size_names=("d", "l", "w"),
    # the class node is the 1-decision lists of THEORY §4 (its log_size, and the
    # edges into and out of it); the type also holds w-decision lists
    size_limits={"w": 1},
)
