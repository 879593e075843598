"""How ``routes`` orders routes of equal cost (session 7 audit; ``routes``
docstring, "rank"; README, "The reduction web").

``rank="samples"`` ranks by samples only: a route that reads f's whole truth
table (2^d queries, no example) comes before any route that draws an example,
by design. Among routes of *equal* samples, the 2^d-query route used to win
whenever it had fewer steps; the other fields now break such ties.
"""

from __future__ import annotations

import pytest
import sympy

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee, Promise
from pacdistill.reductions import Reduction, Result, register
from pacdistill.web import TIE_BREAKS, ReductionWeb

AT = {"d": 30, "k": 3, "m": 5, "L": 1, "eps": 0.1, "delta": 0.1}


def _same(model, /, **kwargs):
    return Result(model, {"samples_used": 0, "queries_used": 0, "seconds": 0.0})


def _edge(registry, name, source, target, *, samples=0, queries=0, time=1,
          access="queries", size_map=None):
    g = Guarantee("perfect", source, target, f"toy {name}", promise=Promise(target, "everywhere"),
                  error=S.eps, failure=S.delta, samples=samples, queries=queries, time=time,
                  size_map=size_map or {S.d: S.d, S.k: S.k})
    used = g.free_symbols | {s for v in g.size_map.values() for s in v.free_symbols}
    extra = tuple(sym for sym in used if sym not in pd.CLASSES[source].params)
    return register(name=name, source=source, target=target, guarantee=g, access=access,
                    efficient=True, extra_symbols=extra, registry=registry)(_same)


def _exact(registry, name, source, target, size_map):
    g = Guarantee("exact", source, target, f"toy {name}", time=S.d, size_map=size_map)
    return register(name=name, source=source, target=target, guarantee=g,
                    access="representation", registry=registry)(_same)


@pytest.fixture(scope="module")
def toy():
    """relu_network -> junta three ways, none drawing an example except 'learn':
    'table' reads all 2^d points (one step); 'via_tree' converts to a tree and
    queries d k points (two steps); 'learn' draws d/eps examples (one step)."""
    mine: dict[str, Reduction] = {}
    _edge(mine, "table", "relu_network", "junta", queries=2**S.d, time=2**S.d)
    _exact(mine, "to_tree", "relu_network", "decision_tree",
           {S.d: S.d, S.r: S.d, S.s: S.m})
    _edge(mine, "via_tree", "decision_tree", "junta", queries=S.d * S.k, time=S.d * S.k)
    _edge(mine, "learn", "relu_network", "junta", samples=S.d / S.eps, time=S.d / S.eps,
          access="examples")
    return ReductionWeb(mine.values(), check=False)


def test_equal_samples_are_ordered_by_queries_then_time(toy):
    """Both query routes draw 0 examples; the one with 2^d queries was ranked
    first for having one step (it failed before: ['table', 'to_tree', ...])."""
    ranked = toy.routes("relu_network", "junta", at=AT, rank="samples")
    assert [r.names for r in ranked] == [("to_tree", "via_tree"), ("table",), ("learn",)]
    assert [r.cost for r in ranked] == [0, 0, 300]


def test_the_ranked_field_alone_decides_unequal_costs(toy):
    """Tie-breaking never overrides the field asked for: by samples, the 2^d-query
    route still beats the route drawing 300 examples; by queries, 'learn' (no
    query) is first; by time the cheapest run wins."""
    by_samples = toy.routes("relu_network", "junta", at=AT, rank="samples")
    assert by_samples.index(next(r for r in by_samples if r.names == ("table",))) < \
        by_samples.index(next(r for r in by_samples if r.names == ("learn",)))
    by_queries = toy.routes("relu_network", "junta", at=AT, rank="queries")
    assert [r.names for r in by_queries] == [("learn",), ("to_tree", "via_tree"), ("table",)]
    by_time = toy.routes("relu_network", "junta", at=AT, rank="time")
    assert [r.names[-1] for r in by_time] == ["via_tree", "learn", "table"]


def test_ties_whose_other_fields_cannot_be_evaluated_come_after_those_that_can():
    """A tied route whose tie-breaking field needs a symbol ``at`` lacks is
    ordered after the tied routes with numbers (as a cost that cannot be
    evaluated ranks last)."""
    mine: dict[str, Reduction] = {}
    _edge(mine, "needs_B", "relu_network", "junta", queries=S.B * S.d, time=S.d)
    _exact(mine, "to_tree", "relu_network", "decision_tree",
           {S.d: S.d, S.r: S.d, S.s: S.m})
    _edge(mine, "via_tree", "decision_tree", "junta", queries=2**S.d, time=S.d)
    web = ReductionWeb(mine.values(), check=False)
    ranked = web.routes("relu_network", "junta", at=AT, rank="samples")
    assert [r.names for r in ranked] == [("to_tree", "via_tree"), ("needs_B",)]


def test_tie_breaks_name_the_other_two_fields():
    assert all(set(others) | {rank} == {"samples", "queries", "time"} and rank not in others
               for rank, others in TIE_BREAKS.items())
    assert set(TIE_BREAKS) == set(pd.web.RANKS)


def test_default_web_zero_sample_routes_prefer_few_queries():
    """relu_network -> junta by samples: of the routes drawing no example, the
    first is the one with the fewest queries (query_junta, not a route through
    the 2^d-entry lookup table); every 0-sample route is before every route
    that draws examples."""
    web = pd.default_web()
    at = {"d": 100, "k": 4, "m": 50, "L": 1, "eps": 0.01, "delta": 0.05}
    ranked = web.routes("relu_network", "junta", at=at, rank="samples", limit=None,
                        max_steps=2)
    zero = [r for r in ranked if r.cost == 0]
    assert zero and ranked[:len(zero)] == zero
    queries = [r.values(at)["queries"] for r in zero]
    assert queries == sorted(queries, key=lambda q: (isinstance(q, sympy.Float), q))
    assert zero[0].names == ("query_junta[relu_network]",)


def test_compare_picks_the_first_routes_of_the_full_order(toy):
    """compare breaks only the ties its two answers are in; its picks are the
    first qualifying route and the first learning route of ``routes``'s full
    order (every tie broken), here and on the default web."""
    for web, pairs, at in [
            (toy, [("relu_network", "junta")], AT),
            (pd.default_web(), [("conjunction", "decision_tree"), ("junta", "dnf")],
             {"d": 100, "k": 4, "eps": 0.01, "delta": 0.05})]:
        for src, tgt in pairs:
            for rank in ("samples", "time", "queries"):
                full = web.routes(src, tgt, at=at, rank=rank, limit=None, max_steps=3,
                                  qualifying_only=True)
                comp = web.compare(src, tgt, at=at, rank=rank, max_steps=3)
                assert comp.distillation.names == full[0].names, (src, tgt, rank)
                learning = next((r for r in full if r.is_learning), None)
                assert (comp.learning and comp.learning.names) == \
                    (learning and learning.names), (src, tgt, rank)


def test_compare_names_itself_when_no_route_can_be_evaluated():
    """compare(..., at=) with values no route's cost can be evaluated at said
    "routes('relu_network', 'junta') ranks by time ...": a function the user
    did not call. It names compare now (fails before)."""
    from pacdistill.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError,
                       match=r"^compare\('relu_network', 'junta'\) ranks by time .*needs values"):
        pd.default_web().compare("relu_network", "junta", at={"d": 100})
