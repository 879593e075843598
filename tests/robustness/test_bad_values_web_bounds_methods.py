"""Bad values given to the METHODS of the web's, the bounds' and the registry's
public classes (ReductionWeb.barriers, Route.run, Guarantee.at and from_dict,
ComposedGuarantee.from_dict and evolve, CatalogEntry.evaluate,
ReductionWeb.from_json, register_family, and check's ``assume``) raise a
PacDistillError naming the parameter and the value, never a bare exception
from inside (session 8, round 3: the robustness suite fuzzed public functions
only, not methods).

Each row raised a bare exception before its fix: numpy's "truth value of an
array is ambiguous" ValueError (an array flag, an array compared with a
document's "type" or "version", an array of field names), a TypeError (an
unhashable class name looked up in CLASSES, a 0-d array iterated, an int
given as step_options or sources, a guarantee that is not callable, an
unknown field given to evolve), or was accepted silently (register_family
with name 3, with no sources, or a str as sources, which iterated its
characters; Route.budgets returned [(3, 'x')] for eps=3, delta='x'). A
register_family that failed half way left the edges before the failure in
the registry; it now registers all its edges or none.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy

import pacdistill as pd
from pacdistill.bounds import ComposedGuarantee, Guarantee
from pacdistill.errors import (
    InvalidCallError,
    InvalidParameterError,
    SerializationError,
    UnknownNameError,
)
from pacdistill.reductions._registry import REGISTRY, Result, register_family

_ARRAY = np.array([1, 2])
_WEB = pd.default_web()
_ROUTE = _WEB.routes("junta", "dnf")[0]  # junta -> decision_tree -> dnf, two exact steps
_JUNTA = pd.CLASSES["junta"].random(0, d=6, k=2)
_G = REGISTRY["junta_to_tree"].guarantee
_DOC = _G.to_dict()
_CG = _ROUTE.guarantee
_CDOC = _CG.to_dict()
_WEBDOC = _WEB.to_dict()
_HOEFFDING = pd.bounds.catalog["realizable_finite"]


def _algorithm(model, /, *, sampler=None, eps=None, delta=None, rng=None):
    return Result(model, {"samples_used": 0, "queries_used": 0})


def _learn_junta_guarantee(source):
    return REGISTRY[f"learn_junta[{source}]"].guarantee


def _family(**changes):
    options = {"name": "bad_values_family", "target": "junta",
               "guarantee": _learn_junta_guarantee, "sources": ("junta",),
               "extra_symbols": REGISTRY["learn_junta[junta]"].guarantee.free_symbols
               - {pd.bounds.symbols.d}, "registry": {}}
    return register_family(**{**options, **changes})(_algorithm)


#: (id, call, error class, regex the message must match: parameter, function, value)
CASES = [
    ("barriers derived=array", lambda: _WEB.barriers(derived=_ARRAY), InvalidParameterError,
     r"The 'derived' parameter of barriers must be True or False\. Got array\(\[1, 2\]\)"),
    ("Route.run step_options=3", lambda: _ROUTE.run(_JUNTA, step_options=3),
     InvalidParameterError, r"The 'step_options' parameter of Route\.run must be None or a "
     r"mapping of reduction name to a dict of options\. Got 3 instead\."),
    ("Route.run step_options='x'", lambda: _ROUTE.run(_JUNTA, step_options="x"),
     InvalidParameterError, r"'step_options' parameter of Route\.run .* Got 'x' instead"),
    ("Route.run step_options=array", lambda: _ROUTE.run(_JUNTA, step_options=_ARRAY),
     InvalidParameterError, r"'step_options' parameter of Route\.run .* Got array\(\[1, 2\]\)"),
    ("Route.budgets eps=3", lambda: _ROUTE.budgets(3, 0.1), InvalidParameterError,
     r"The 'eps' parameter of Route\.budgets must be a real number in \(0, 1\)\. Got 3 "
     r"instead\."),
    ("Route.budgets delta='x'", lambda: _ROUTE.budgets(0.1, "x"), InvalidParameterError,
     r"The 'delta' parameter of Route\.budgets must be a real number in \(0, 1\)\. Got 'x'"),
    ("Guarantee.at fields=0-d array", lambda: _G.at(fields=np.array(3), d=5),
     InvalidParameterError, r"The 'fields' parameter of Guarantee\.at must be None, a field "
     r"name or a list of field names .* Got array\(3\) instead\."),
    ("Guarantee.at fields=[array]", lambda: _G.at(fields=[_ARRAY], d=5),
     InvalidParameterError, r"The 'fields' parameter of Guarantee\.at must hold names among "
     r".* Got array\(\[1, 2\]\) instead\."),
    ("ComposedGuarantee.at fields=0-d array", lambda: _CG.at(fields=np.array(3)),
     InvalidParameterError, r"'fields' parameter of Guarantee\.at .* Got array\(3\)"),
    ("Guarantee.from_dict type=array",
     lambda: Guarantee.from_dict({**_DOC, "type": _ARRAY}), SerializationError,
     r"Expected a document of type 'Guarantee'\. Got type array\(\[1, 2\]\)\."),
    ("Guarantee.from_dict version=array",
     lambda: Guarantee.from_dict({**_DOC, "version": _ARRAY}), SerializationError,
     r"Unknown Guarantee document version array\(\[1, 2\]\)\."),
    ("ComposedGuarantee.from_dict type=array",
     lambda: ComposedGuarantee.from_dict({**_CDOC, "type": _ARRAY}), SerializationError,
     r"Expected a document of type 'ComposedGuarantee'\."),
    ("ComposedGuarantee.from_dict version=array",
     lambda: ComposedGuarantee.from_dict({**_CDOC, "version": _ARRAY}), SerializationError,
     r"Unknown Guarantee document version array\(\[1, 2\]\)\."),
    ("ComposedGuarantee.from_dict steps=[type array]",
     lambda: ComposedGuarantee.from_dict({**_CDOC, "steps": [{**_DOC, "type": _ARRAY}]}),
     SerializationError, r"Each step of a ComposedGuarantee must be a Guarantee\."),
    ("ReductionWeb.from_json type=array",
     lambda: pd.ReductionWeb.from_json({**_WEBDOC, "type": _ARRAY}), SerializationError,
     r"Expected a web document: a JSON object with 'type': 'ReductionWeb'\."),
    ("CatalogEntry.evaluate cls=[]",
     lambda: _HOEFFDING.evaluate(cls=[], eps=0.1, delta=0.1), UnknownNameError,
     r"Unknown class \[\]\. .*Known: .*junta"),
    ("CatalogEntry.evaluate cls=array",
     lambda: _HOEFFDING.evaluate(cls=_ARRAY, eps=0.1, delta=0.1), UnknownNameError,
     r"Unknown class array\(\[1, 2\]\)\."),
    ("Guarantee.evolve zz=3", lambda: _G.evolve(zz=3), InvalidCallError,
     r"Guarantee\.evolve got the unknown field 'zz'\. Its fields: kind, from_class"),
    ("ComposedGuarantee.evolve zz=3", lambda: _CG.evolve(zz=3), InvalidCallError,
     r"ComposedGuarantee\.evolve got the unknown field 'zz'\. .* steps, split"),
    ("check assume=array", lambda: pd.bounds.check("d <= 2**d", assume=_ARRAY),
     InvalidParameterError, r"The 'assume' parameter of check must hold relations\. Got "
     r"np\.int64\(1\)"),
    ("check assume=0-d array", lambda: pd.bounds.check("d <= 2**d", assume=np.array(3)),
     InvalidParameterError, r"The 'assume' parameter of check must be a text like .* Got "
     r"array\(3\) instead\."),
    ("register_family name=3", lambda: _family(name=3), InvalidParameterError,
     r"The 'name' parameter of register_family must be a non-empty string .* Got 3 instead\."),
    ("register_family sources=3", lambda: _family(sources=3), InvalidParameterError,
     r"The 'sources' parameter of register_family\('bad_values_family'\) must be None or a "
     r"non-empty sequence of class names \(keys of pd\.CLASSES\)\. Got 3 instead\."),
    ("register_family sources='junta'", lambda: _family(sources="junta"),
     InvalidParameterError, r"'sources' parameter of register_family.* Got 'junta' instead"),
    ("register_family sources=()", lambda: _family(sources=()), InvalidParameterError,
     r"'sources' parameter of register_family.* Got \(\) instead"),
    ("register_family sources=array", lambda: _family(sources=_ARRAY), InvalidParameterError,
     r"'sources' parameter of register_family.* Got array\(\[1, 2\]\) instead"),
    ("register_family guarantee=None", lambda: _family(guarantee=None), InvalidParameterError,
     r"The 'guarantee' parameter of register_family\('bad_values_family'\) must be a "
     r"callable guarantee\(source_name\) -> Guarantee\. Got None instead\."),
    ("register_family registry=3", lambda: _family(registry=3), InvalidParameterError,
     r"The 'registry' parameter of register_family\('bad_values_family'\) must be None or a "
     r"dict \(name -> Reduction\)\. Got 3 instead\."),
]


@pytest.mark.parametrize("call, error, message", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_a_bad_value_is_named_in_a_pacdistill_error(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error  # not a subclass standing in for it
    assert re.search(message, str(info.value)), str(info.value)


def test_a_failed_register_family_registers_no_edge():
    """The second source's guarantee is refused (it maps from the wrong class):
    the first source's edge must not stay behind in the registry."""
    mine = {}
    with pytest.raises(InvalidParameterError, match="registered as decision_tree -> junta"):
        _family(sources=("junta", "decision_tree"), registry=mine,
                guarantee=lambda source: _learn_junta_guarantee("junta"))
    assert mine == {}


def test_a_huge_exponent_is_not_raised_to_exactly(monkeypatch):
    """2**Min(d, 2**d - 1) (the time of learn_parity -> parity_to_tree ->
    tree_to_junta) at d = 10^9: sympy substituted d exactly and built the
    integer 2**(10^9) (11 s; routes(at={"d": 10**9}, rank="time") took 17 s,
    at d = 10^12 it never ends). Counted, not timed: no exact power with an
    exponent past 10^6 may be taken (the 50-digit value is the same)."""
    from sympy.core.numbers import Integer

    exact_powers = []
    power = Integer._eval_power

    def spy(self, expt):
        if isinstance(expt, Integer) and abs(int(expt)) > 10**6:
            exact_powers.append(int(expt))
        return power(self, expt)

    d = pd.bounds.symbols.d
    huge = _G.evolve(time=2 ** sympy.Min(d, 2**d - 1))
    monkeypatch.setattr(Integer, "_eval_power", spy)
    assert huge.at(fields=["time"], d=10**9).time == float("inf")  # past float64's range
    assert huge.at(fields=["time"], d=30).time == 2.0**30
    assert exact_powers == []


def test_the_good_values_next_to_them_still_work():
    """The checks refuse the bad values only."""
    assert len(_WEB.barriers(derived=np.False_)) <= len(_WEB.barriers())
    result = _ROUTE.run(_JUNTA, step_options={})
    assert result.model.predict(pd.cube.enumerate(6)).tolist() == \
        _JUNTA.predict(pd.cube.enumerate(6)).tolist()  # two exact steps: the same function
    assert _ROUTE.budgets(0.1, None) == [(0.1, None), (0.1, None)]
    assert _G.at(fields=["time"], k=3).time == 32  # 2**k * (k + 1)
    assert _G.evolve(time=pd.bounds.symbols.k).time == pd.bounds.symbols.k
    assert pd.bounds.check("d <= 2**d", assume=["d >= 1"], timeout=5).to_dict()
    assert Guarantee.from_dict(_DOC) == _G
    assert ComposedGuarantee.from_dict(_CDOC).to_dict() == _CDOC
    assert _HOEFFDING.evaluate(cls="junta", eps=0.1, delta=0.1, d=10, k=3) > 0
    mine = {}
    family = _family(sources=["junta", "conjunction"], registry=mine)
    assert sorted(mine) == ["bad_values_family[conjunction]", "bad_values_family[junta]"]
    assert family.edges["junta"] is mine["bad_values_family[junta]"]
