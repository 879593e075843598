"""Bad values given to Guarantee, Promise, CatalogEntry.evaluate_extra, compose and
the registry's decorators raise a PacDistillError naming the parameter and the
value, in the library's one format (``The 'kind' parameter of Guarantee must be
... Got ... instead.``), never a bare ValueError/TypeError/AttributeError from
deep inside (each row below raised one before the fix: an array compared with
``in``, an unhashable value looked up in a dict, an int iterated).

The fuzz tests of tests/robustness/test_fuzz_api.py cover compose, get and
register with random hostile values; this table pins the exact cases, including
those no fuzz reaches (Guarantee's and Promise's fields, evaluate_extra,
register's ``efficient`` and register_barrier's ``doc``).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee, Promise
from pacdistill.errors import InvalidParameterError, UnknownNameError
from pacdistill.reductions._registry import REGISTRY, Result

_ARRAY = np.array([1, 2])
_EDGE = REGISTRY["junta_to_tree"]
_BARRIER = next(red for red in REGISTRY.values() if red.kind == "barrier")
_G1, _G2 = _EDGE.guarantee, REGISTRY["tree_to_dnf"].guarantee


def _guarantee(**changes):
    fields = {"kind": "exact", "from_class": "junta", "to_class": "junta",
              "source": "derived here", "time": S.k}
    return Guarantee(**{**fields, **changes})


def _algorithm(f, /, **options):
    return Result(f, {"samples_used": 0, "queries_used": 0})


def _register(**changes):
    options = {"name": "bad_values_edge", "source": _EDGE.source, "target": _EDGE.target,
               "guarantee": _EDGE.guarantee, "registry": {}}
    return pd.reductions.register(**{**options, **changes})(_algorithm)


def _register_barrier(**changes):
    options = {"name": "bad_values_barrier", "source": _BARRIER.source,
               "target": _BARRIER.target, "guarantee": _BARRIER.guarantee, "doc": "hard",
               "registry": {}}
    return pd.reductions.register_barrier(**{**options, **changes})


_extra = pd.bounds.catalog["query_junta"].evaluate_extra

#: (call, error class, regex the message must match: the parameter, the rule, the value)
CASES = {
    # bounds/compose.py
    "compose_all(3)": (lambda: pd.bounds.compose_all(3), InvalidParameterError,
                       r"'guarantees' parameter of compose_all must be a sequence of "
                       r"Guarantee objects\. Got 3 instead"),
    "compose_all([g, None])": (lambda: pd.bounds.compose_all([_G1, None]),
                               InvalidParameterError,
                               r"'guarantees' parameter of compose_all .*item 1.*Got None"),
    "compose_all([])": (lambda: pd.bounds.compose_all([]), InvalidParameterError,
                        r"'guarantees' parameter of compose_all must be a non-empty.*Got \[\]"),
    "default_split(3)": (lambda: pd.bounds.default_split(3), InvalidParameterError,
                         r"'chain' parameter of default_split must be a sequence of "
                         r"Guarantee objects\. Got 3 instead"),
    "default_split([])": (lambda: pd.bounds.default_split([]), InvalidParameterError,
                          r"'chain' parameter of default_split must be a non-empty.*Got \[\]"),
    "compose(optimize=array)": (lambda: pd.bounds.compose(_G1, _G2, optimize=_ARRAY),
                                InvalidParameterError,
                                r"'optimize' parameter of compose must be True or False\. "
                                r"Got array\(\[1, 2\]\) instead"),
    "compose(None, g)": (lambda: pd.bounds.compose(None, _G2), InvalidParameterError,
                         r"'g1' parameter of compose must be a Guarantee\. Got None"),
    # bounds/guarantee.py
    "Guarantee(kind=array)": (lambda: _guarantee(kind=_ARRAY), InvalidParameterError,
                              r"'kind' parameter of Guarantee must be one of 'exact', "
                              r"'perfect', 'agnostic', 'barrier'\. Got array\(\[1, 2\]\)"),
    "Guarantee(kind=[])": (lambda: _guarantee(kind=[]), InvalidParameterError,
                           r"'kind' parameter of Guarantee.*Got \[\] instead"),
    "Guarantee(promise=array)": (lambda: _guarantee(kind="perfect", promise=_ARRAY),
                                 InvalidParameterError,
                                 r"'promise' parameter of Guarantee must be None or a "
                                 r"Promise\. Got array"),
    "Guarantee(source=3)": (lambda: _guarantee(source=3), InvalidParameterError,
                            r"'source' parameter of Guarantee must be a string.*Got 3"),
    "Guarantee(order=array)": (lambda: _guarantee(order=_ARRAY), InvalidParameterError,
                               r"'order' parameter of Guarantee must be True or False\. "
                               r"Got array"),
    "Guarantee(assumptions=3)": (lambda: _guarantee(assumptions=3), InvalidParameterError,
                                 r"'assumptions' parameter of Guarantee must be a sequence "
                                 r"of strings.*Got 3"),
    "Guarantee(assumptions=[[1]])": (lambda: _guarantee(assumptions=[[1]]),
                                     InvalidParameterError,
                                     r"'assumptions' parameter of Guarantee.*Got \[\[1\]\]"),
    "Guarantee(size_map=3)": (lambda: _guarantee(size_map=3), InvalidParameterError,
                              r"'size_map' parameter of Guarantee must be a mapping.*Got 3"),
    "Promise(mode=array)": (lambda: Promise("junta", mode=_ARRAY), InvalidParameterError,
                            r"'mode' parameter of Promise must be one of 'everywhere', "
                            r"'distributional'\. Got array\(\[1, 2\]\)"),
    "Promise(mode=[])": (lambda: Promise("junta", mode=[]), InvalidParameterError,
                         r"'mode' parameter of Promise.*Got \[\] instead"),
    # bounds/catalog.py
    "evaluate_extra([])": (lambda: _extra([], delta=0.05, k=3, d=100), InvalidParameterError,
                           r"'name' parameter of catalog\['query_junta'\]\.evaluate_extra "
                           r"must be the name of one of its auxiliary formulas \(t\)\. "
                           r"Got \[\] instead"),
    "evaluate_extra(array)": (lambda: _extra(_ARRAY, delta=0.05, k=3, d=100),
                              InvalidParameterError,
                              r"'name' parameter of .*evaluate_extra.*Got array"),
    # reductions/_registry.py
    "get([])": (lambda: pd.reductions.get([]), UnknownNameError,
                r"Unknown reduction \[\]\. Known: "),  # [] itself, not the string '[]'
    "get(array)": (lambda: pd.reductions.get(_ARRAY), UnknownNameError,
                   r"Unknown reduction array\(\[1, 2\]\)\. Known: "),
    "register(name=[])": (lambda: _register(name=[]), InvalidParameterError,
                          r"'name' parameter of register must be a non-empty string.*"
                          r"Got \[\] instead"),
    "register(extra_symbols=3)": (lambda: _register(extra_symbols=3), InvalidParameterError,
                                  r"'extra_symbols' parameter of register.*sequence of sympy "
                                  r"symbols.*Got 3 instead"),
    "register(extra_symbols=[[]])": (lambda: _register(extra_symbols=[[]]),
                                     InvalidParameterError,
                                     r"'extra_symbols' parameter of register.*Got \[\[\]\]"),
    "register(efficient=array)": (lambda: _register(efficient=_ARRAY), InvalidParameterError,
                                  r"'efficient' parameter of register\('bad_values_edge'\) "
                                  r"must be True or False\. Got array"),
    "register_barrier(doc=3)": (lambda: _register_barrier(doc=3), InvalidParameterError,
                                r"'doc' parameter of register_barrier\('bad_values_barrier'\) "
                                r"must be a string.*Got 3 instead"),
}

#: the checks register and register_barrier share: (parameter, value, the rule, the value shown)
_SHARED = (("guarantee", None, r"a Guarantee", "None"),
           ("source", [], r"a class name \(a key of pd\.CLASSES\)", r"\[\]"),
           ("target", [], r"a class name \(a key of pd\.CLASSES\)", r"\[\]"),
           ("registry", 3, r"None or a dict \(name -> Reduction\)", "3"),
           ("access", _ARRAY, r"one of 'examples', 'queries', 'representation'",
            r"array\(\[1, 2\]\)"))
for _func, _call in (("register", _register), ("register_barrier", _register_barrier)):
    for _param, _value, _rule, _shown in _SHARED:
        CASES[f"{_func}({_param}={_value!r})"] = (
            functools.partial(_call, **{_param: _value}), InvalidParameterError,
            rf"The '{_param}' parameter of {_func}\('bad_values_\w+'\) must be {_rule}\. "
            rf"Got {_shown} instead\.")


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_value_is_named_in_a_pacdistill_error(case):
    call, error, message = CASES[case]
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error  # not a subclass standing in for it
    assert re.search(message, str(info.value)), str(info.value)


def test_the_good_values_next_to_them_still_work():
    """The checks refuse the bad values only: the same calls with good ones succeed
    (numpy booleans included where a bool is asked)."""
    assert pd.bounds.compose(_G1, _G2, optimize=np.False_).steps == (_G1, _G2)
    assert list(pd.bounds.default_split((_G1, _G2))) == []  # two exact steps: no budget
    assert _guarantee(order=np.True_).order is True
    assert _guarantee(assumptions=["LRH(tau, B)"]).assumptions == ("LRH(tau, B)",)
    assert _extra("t", delta=0.05, k=3, d=100) == 58
    assert pd.reductions.get("junta_to_tree") is _EDGE
    mine = {}
    red = _register(registry=mine, efficient=np.True_, extra_symbols=[S.k])
    assert mine == {"bad_values_edge": red} and red.efficient is True
    assert _register_barrier(registry=mine).kind == "barrier"
