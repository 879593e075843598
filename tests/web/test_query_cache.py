"""A web keeps the field values its queries evaluated (speed only): the same
query, or ``compare`` after ``routes`` at the same values, evaluates each route
once, with the same answers; other values, or an edge added, evaluate afresh."""

from __future__ import annotations

import pacdistill as pd
import pacdistill.web as web_module
from pacdistill.web import ReductionWeb

AT = {"d": 100, "k": 4, "eps": 0.01, "delta": 0.05}


def test_a_query_at_the_same_values_evaluates_each_route_once(monkeypatch):
    web = ReductionWeb.from_registry()
    calls = []
    real = web_module.field_value
    monkeypatch.setattr(web_module, "field_value",
                        lambda g, name, at: calls.append(name) or real(g, name, at))
    first = web.routes("junta", "dnf", at=AT, rank="time", limit=None)
    evaluated = len(calls)
    assert evaluated >= len(first)
    again = web.routes("junta", "dnf", at=AT, rank="time", limit=None)
    comp = web.compare("junta", "dnf", at=AT, rank="time")
    assert len(calls) == evaluated  # nothing evaluated again
    assert [(r.names, r.cost) for r in again] == [(r.names, r.cost) for r in first]
    assert comp.distillation.names == first[0].names
    web.routes("junta", "dnf", at={**AT, "d": 101}, rank="time", limit=None)
    assert len(calls) > evaluated  # other values: evaluated afresh
    # an edge added empties what was kept (the routes and their guarantees change)
    count = len(calls)
    web.add(pd.reductions.REGISTRY["junta_to_tree"].__class__(
        "my_copy", "junta", "decision_tree", pd.reductions.REGISTRY["junta_to_tree"].guarantee,
        access="representation"))
    web.routes("junta", "dnf", at=AT, rank="time", limit=None)
    assert len(calls) > count
