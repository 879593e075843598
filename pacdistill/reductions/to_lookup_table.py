"""Exact conversion F[d, ...] -> LookupTable[d] by enumeration, for every class F.

Guarantee (kind ``exact``; derived here: THEORY §8, "any class on small d ->
LookupTable[d] by enumeration"): the table equals f on every point of
{-1,+1}^d. Size map: d -> d. Queries: 2^d (f is evaluated once on each point
of the cube). Time: O(2^d (d + eval_F)), with eval_F the cost of one evaluation
of a member of F (``CLASSES[F].eval_time``). No samples. The model is
evaluated through :class:`~pacdistill.checkers.queries.QueryCounter`, and
``report["queries_used"]`` is its count of the points evaluated (2^d), not the
stated number.

One algorithm, registered as the edge ``to_lookup_table[F]`` from every class F
of ``pd.CLASSES`` (:func:`~pacdistill.reductions.register_family`). It only
evaluates f, so its access is ``"queries"``; a truth table's 2^d entries count
as a size (``Reduction.efficient``), so the edges are efficient: the time is
linear in the output's size. For the classes with real inputs (Halfspace,
ReLUNetwork) the table equals f on the cube, the domain of THEORY §1; it says
nothing about f off the cube.

Limits: d <= ``max_d`` (default :data:`DEFAULT_MAX_D` = 20, at most
:data:`MAX_D` = 24); past it a :class:`~pacdistill.errors.TooLargeError` says
to compare by sampling instead.

THEORY §8 also lists "Junta[d, k] -> LookupTable on the k variables". A
LookupTable here is the full truth table of a function of all d variables, so
a table over the k variables alone would change the domain; that table *is*
the Junta's own ``table`` (Junta and LookupTable share the enumeration order),
and ``to_lookup_table[junta]`` gives the table over all d variables.

Examples
--------
>>> res = to_lookup_table(pd.Parity(3, [0, 2]))
>>> res.model.table.tolist(), res.report["queries_used"]
([1, -1, 1, -1, -1, 1, -1, 1], 8)
>>> sorted(to_lookup_table.edges)[:3]
['cnf', 'conjunction', 'decision_list']
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .._validation import check_int
from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ..checkers.queries import QueryCounter
from ..classes._base import Model
from ..classes.lookup_table import DEFAULT_FROM_MODEL_D, MAX_TABLE_D, LookupTable
from ..cube import chunks
from ..errors import InvalidParameterError, TooLargeError
from ._registry import Result, register_family

__all__ = ["DEFAULT_MAX_D", "MAX_D", "to_lookup_table"]

#: Largest d enumerated unless ``max_d`` says otherwise (2^20 evaluations).
DEFAULT_MAX_D = DEFAULT_FROM_MODEL_D
#: Largest d a LookupTable holds (2^24 entries).
MAX_D = MAX_TABLE_D


def _guarantee(source: str) -> Guarantee:
    from ..classes import CLASSES

    cls = CLASSES[source]
    per_eval = cls.eval_time
    return Guarantee(
        "exact", source, "lookup_table",
        source="derived here: THEORY §8 (the table of f's values on the 2^d points "
               "of the cube)",
        queries=2**S.d,
        time=2**S.d * (S.d + per_eval),
        size_map={S.d: S.d},
    )


@register_family(
    name="to_lookup_table",
    target="lookup_table",
    guarantee=_guarantee,
    access="queries",
    efficient=True,
)
def to_lookup_table(model: Model, /, *, sampler: Any = None, eps: Any = None,
                    delta: Any = None, rng: Any = None, max_d: int = DEFAULT_MAX_D,
                    **options: Any) -> Result:
    """The truth table of f on the whole cube, by enumeration (THEORY §8)."""
    func = "to_lookup_table"
    if not isinstance(model, Model):
        raise InvalidParameterError(
            f"The 'model' parameter of {func} must be a pacdistill model (a member of a "
            f"class of pd.CLASSES). Got {type(model).__name__} instead."
        )
    if options:
        raise InvalidParameterError(
            f"{func} takes only the option max_d. Got {sorted(options)} instead."
        )
    max_d = check_int(max_d, "max_d", func, min=1, max=MAX_D)
    d = model.n_inputs
    if d > max_d:
        raise TooLargeError(
            f"{func} would evaluate the model on all 2^{d} points of the cube; d = {d} is "
            f"past max_d = {max_d} (at most {MAX_D}). Compare the model with others by "
            "sampling instead (pd.checkers.disagreement, pd.checkers.equivalent)."
        )
    start = time.perf_counter()
    f = QueryCounter(model)
    values = np.empty(1 << d, dtype=np.int8)
    for first, block in chunks(d):  # loop over blocks of the cube (memory), in order
        values[first:first + block.shape[0]] = f.predict(block)
    return Result(LookupTable(d, values), {"samples_used": 0, "queries_used": f.queries,
                                           "seconds": time.perf_counter() - start})
