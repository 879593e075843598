"""Guarantee: numeric evaluation, printing, JSON round trip, evolve (THEORY §2-§3)."""

import json
import math

import pytest
import sympy
from _timing import quick
from hypothesis import assume, given
from hypothesis import strategies as st

from pacdistill.bounds import symbols as S
from pacdistill.bounds._serialize import OPERATIONS, from_tree, to_tree
from pacdistill.bounds.guarantee import Guarantee, GuaranteeValues, Promise
from pacdistill.errors import InvalidParameterError, SerializationError, UnknownNameError

OPT_T = S.OPT("decision_tree")


def _agnostic():
    return Guarantee(
        "agnostic", "junta", "decision_tree", "derived here: THEORY §4 & test_x",
        promise=Promise("junta", "everywhere"),
        error=OPT_T + S.eps, failure=S.delta,
        samples=2 * (S.k * sympy.log(S.d) + sympy.log(2 / S.delta)) / S.eps**2,
        queries=S.k * sympy.ceiling(sympy.log(S.d) / sympy.log(2)),
        time=S.d**S.k + sympy.Rational(1, 3),
        size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k},
        assumptions=("LRH(tau, B)",),
    )


# ------------------------------------------------------------------------ at
def test_at_evaluates_every_field():
    vals = _agnostic().at(d=100, k=3, eps=0.1, delta=0.05, OPT_decision_tree=0.02)
    assert isinstance(vals, GuaranteeValues)
    # by hand: 2 (3 ln 100 + ln 40) / 0.01 = 2 (13.81551 + 3.68888) / 0.01 = 3500.88 -> 3501
    assert vals.samples == 3501
    assert vals.queries == 3 * 7  # ceil(log2 100) = 7
    assert vals.error == pytest.approx(0.12)
    assert vals.failure == pytest.approx(0.05)
    assert vals.time == pytest.approx(1e6 + 1 / 3)
    assert vals.size_map == {"d": 100, "r": 3, "s": 8}
    assert isinstance(vals.samples, int) and isinstance(vals.size_map["s"], int)
    assert vals.values["d"] == 100 and vals.values["eps"] == 0.1
    assert vals.promise == "junta (everywhere)"
    json.dumps(vals.to_dict())


def test_at_does_not_round_an_exact_integer_up():
    """1/eps at eps = 0.001 is exactly 1000 (the float is read as the decimal 1/1000)."""
    g = Guarantee("perfect", "parity", "parity", "t", promise=Promise("parity"),
                  error=S.eps, failure=S.delta, samples=1 / S.eps, queries=S.d**2 / 4)
    vals = g.at(eps=0.001, delta=0.5, d=10)
    assert vals.samples == 1000 and vals.queries == 25


def test_at_lists_missing_symbols():
    with pytest.raises(InvalidParameterError, match=r"missing: OPT_decision_tree, k"):
        _agnostic().at(d=100, eps=0.1, delta=0.05)


def test_at_fields_restricts_what_is_needed():
    vals = _agnostic().at(fields=["samples"], d=100, k=3, eps=0.1, delta=0.05)
    assert vals.samples == 3501 and vals.error is None and vals.size_map is None
    with pytest.raises(InvalidParameterError, match="fields"):
        _agnostic().at(fields=["samplez"], d=1)


@pytest.mark.parametrize("values, message", [
    ({"d": 2.5}, "must be an integer"),
    ({"d": 0}, "must be > 0"),
    ({"eps": -0.1}, "must be > 0"),
    ({"eps": math.nan}, "finite"),
    ({"d": True}, "real number"),
    ({"d": "100"}, "real number"),
    ({"OPT_decision_tree": 1.5}, r"\[0, 1\]"),
], ids=["non-integer d", "zero d", "negative eps", "nan", "bool", "text", "OPT above 1"])
def test_at_rejects_bad_values(values, message):
    base = dict(d=100, k=3, eps=0.1, delta=0.05, OPT_decision_tree=0.02)
    with pytest.raises(InvalidParameterError, match=message):
        _agnostic().at(**{**base, **values})


def test_at_rejects_unknown_names_with_close_matches():
    with pytest.raises(UnknownNameError, match="Did you mean 'delta'"):
        _agnostic().at(d=100, k=3, eps=0.1, deltaa=0.05)


def test_at_ignores_known_but_unused_symbols():
    g = Guarantee("exact", "parity", "decision_tree", "t", time=S.k)
    assert g.at(k=4, d=100, eps=0.1, m=7).time == 4.0


def test_at_handles_huge_values_without_building_them():
    g = Guarantee("exact", "parity", "decision_tree", "t", time=2**S.k)
    with quick(2):
        assert g.at(k=10**6).time == math.inf


# ------------------------------------------------------------------ printing
def test_str_is_a_readable_summary():
    text = str(_agnostic())
    assert text.splitlines()[0] == "agnostic guarantee junta -> decision_tree"
    assert "error:       OPT_decision_tree + eps" in text
    assert "size map:    d -> d, r -> k, s -> 2**k" in text
    assert "assumptions: LRH(tau, B)" in text and "source:" in text


def test_latex_uses_sympy_latex():
    tex = _agnostic()._repr_latex_()
    assert tex.startswith("$\\begin{array}") and tex.endswith("\\end{array}$")
    assert "\\varepsilon" in tex and "\\mathrm{OPT}" in tex and "2^{k}" in tex
    assert "THEORY §4 \\& test\\_x" in tex  # text escaped for LaTeX


def test_repr_rebuilds_the_guarantee():
    namespace = {**vars(sympy), **vars(S), "Guarantee": Guarantee, "Promise": Promise}
    g = _agnostic()
    # eval of our own repr (the documented contract of __repr__), never of user text
    assert eval(repr(g), namespace) == g  # noqa: S307


def test_evolve_replaces_fields_and_validates():
    g = _agnostic()
    h = g.evolve(time=S.d)
    assert h.time == S.d and h.samples == g.samples and g.time != S.d
    with pytest.raises(InvalidParameterError):
        g.evolve(kind="magic")


# ---------------------------------------------------------------------- JSON
def test_json_round_trip():
    g = _agnostic()
    data = json.loads(json.dumps(g.to_dict()))
    assert Guarantee.from_dict(data) == g
    # an order bound (up to the constant C) stays one: from_dict ignoring 'order'
    # passed the round trip above, where order is False
    ordered = g.evolve(samples=S.C * g.samples, order=True)
    back = Guarantee.from_dict(json.loads(json.dumps(ordered.to_dict())))
    assert back == ordered and back.order is True


_atoms = st.sampled_from([S.d, S.k, S.s, S.eps, S.delta, S.log_size, OPT_T, S.step_eps(2),
                          sympy.Integer(3), sympy.Rational(1, 3), sympy.Float(0.1),
                          sympy.pi, sympy.E])


def _combine(children):
    unary = [sympy.log, sympy.exp, sympy.ceiling, sympy.floor, sympy.factorial, sympy.catalan]
    return st.one_of(
        st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
        st.tuples(children, st.integers(-3, 3)).map(lambda ab: ab[0] ** ab[1]),
        st.tuples(children, children).map(lambda ab: sympy.Max(*ab)),
        st.tuples(children, children).map(lambda ab: sympy.Min(*ab)),
        st.tuples(children, children).map(lambda ab: sympy.binomial(*ab)),
        st.tuples(st.sampled_from(unary), children).map(lambda fa: fa[0](fa[1])),
        children.map(lambda a: 2**a),
    )


@given(st.recursive(_atoms, _combine, max_leaves=8))
def test_expression_trees_round_trip(expr):
    """Every whitelisted expression survives to_tree -> JSON -> from_tree unchanged,
    and to_tree refuses only expressions holding a node outside the whitelist
    (sympy sometimes rewrites, e.g. binomial(d, 1/3) into gamma functions)."""
    try:
        tree = json.loads(json.dumps(to_tree(expr)))
    except SerializationError:
        allowed = set(OPERATIONS.values())
        outside = [node for node in sympy.preorder_traversal(expr)
                   if not node.is_Atom and node.func not in allowed]
        assert outside, expr
        assume(False)
    assert from_tree(tree) == expr


@pytest.mark.parametrize("tree", [
    ["Symbol", "os"],
    ["Symbol", "__import__"],
    ["Function", "eval", 1],
    ["Pow", 10, ["Pow", 10, ["Pow", 10, 10]]],
    ["Pow", ["Symbol", "d"], 10**6],
    ["factorial", 10**9],
    ["Rational", 1, 0],
    ["Float", 1, 3, 53],
    ["Add", 1],
    ["log", 1, 2],
    ["Integer", "5"],
    "d",
    3.5,
    True,
    10**500,
    [],
], ids=lambda t: repr(t)[:30])
def test_hostile_trees_are_rejected_fast(tree):
    with quick(1), pytest.raises(SerializationError):
        from_tree(tree)


@pytest.mark.parametrize("tree, match", [
    (["Pow", 0, -1], "0\\*\\*-1 is undefined"),
    (["Mul", ["Symbol", "d"], ["Pow", 0, -2]], "0\\*\\*-2 is undefined"),
    (["log", 0], "log\\(0\\) is undefined"),
])
def test_undefined_values_are_refused_on_load(tree, match):
    """1/0 and log(0), which the parser refuses, are refused in JSON too (built
    unevaluated, they would load and fail only when the guarantee is evaluated)."""
    with pytest.raises(SerializationError, match=match):
        from_tree(tree)
    assert from_tree(["Pow", 0, 2]) == sympy.Pow(0, 2, evaluate=False)


def test_deep_or_large_trees_are_rejected():
    deep = 1
    for _ in range(200):
        deep = ["Add", deep, 1]
    with pytest.raises(SerializationError, match="deeper"):
        from_tree(deep)
    wide = ["Add", *([["Symbol", "d"]] * 30_000)]
    with pytest.raises(SerializationError, match="nodes"):
        from_tree(wide)


def test_unknown_symbols_cannot_be_serialized():
    with pytest.raises(SerializationError, match="symbols.py|pacdistill.bounds.symbols"):
        to_tree(sympy.Symbol("x") + 1)
    # a shared name with other assumptions is a different symbol
    with pytest.raises(SerializationError):
        to_tree(sympy.Symbol("d"))


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("kind"),
    lambda d: d.update(extra=1),
    lambda d: d.update(version=2),
    lambda d: d.update(type="Model"),
    lambda d: d.update(kind="magic"),
    lambda d: d.update(promise={"cls": "junta"}),
    lambda d: d.update(size_map=[["nope", 1]]),
    lambda d: d.update(size_map=[["d", 1], ["d", 2]]),
    lambda d: d.update(assumptions="LRH"),
    lambda d: d.update(order="yes"),
    lambda d: d.update(error=["Symbol", "x"]),
], ids=["missing key", "extra key", "version", "type", "kind", "promise", "size key",
        "repeated size key", "assumptions", "order", "bad symbol"])
def test_malformed_documents_raise_serialization_error(mutate):
    data = _agnostic().to_dict()
    mutate(data)
    with pytest.raises(SerializationError):
        Guarantee.from_dict(data)


def test_a_rounded_count_past_the_integer_string_limit_is_approximated():
    """ceiling(n1) + ceiling(n2) at d = 100000 is about 10^30103: sympy rounds the
    50-digit value to an exact 30,000-digit Integer, past Python's integer-string
    limit (a bare ValueError, then 'cannot be evaluated'). Past 10^50 the rounding
    is below the digits kept: the count is too large to be exact (TooLargeError, as
    for any count past 10^4000) and the web's 50-digit approximation is the value."""
    from pacdistill._web.values import field_value
    from pacdistill.errors import TooLargeError

    g = Guarantee("agnostic", "junta", "junta", "t", error=S.OPT("junta") + S.eps,
                  failure=S.delta,
                  samples=sympy.ceiling(2**S.d * sympy.log(2) / S.eps**2)
                  + sympy.ceiling(S.d / S.eps))
    with pytest.raises(TooLargeError):
        g.at(fields=["samples"], d=100_000, eps=0.3)
    value = field_value(g, "samples", {"d": 100_000, "eps": 0.3})
    assert isinstance(value, sympy.Float)
    want = sympy.Integer(2)**100_000 * sympy.log(2) / sympy.Rational(9, 100)
    assert abs(value / want.evalf(60) - 1) < 1e-40
    # small counts keep their exact rounding: ceil(8 ln 2 / 0.09) + ceil(10) = 62 + 10
    assert g.at(fields=["samples"], d=3, eps=0.3).samples == 62 + 10


@pytest.mark.parametrize("k", [10**6, 2**40, 2**63])
def test_a_ceiling_of_a_huge_count_is_refused_fast(k):
    """query_junta's count has t = ceiling(2^k ln(...)); sympy found that integer
    part exactly, at a precision of as many bits as the value has: k = 10^6 ran
    for minutes and k = 2^63 raised a bare MemoryError (found by the fuzzer). The
    value past 10^60 is now taken with the rounding dropped: too large to be an
    exact count, said at once."""
    from pacdistill.bounds import catalog
    from pacdistill.errors import TooLargeError

    with quick(2), pytest.raises(TooLargeError, match="too large"):
        catalog["query_junta"].evaluate(delta=0.5, k=k, d=1)
    # a count in range keeps its exact rounding (tests/bounds/test_catalog: 1885)
    assert catalog["query_junta"].evaluate(delta=0.05, k=3, d=100) == 1885


def test_an_astronomical_count_is_refused_without_printing_its_digits():
    """k = 10^4000 makes query_junta's count about 10^(6e3999): printing that Float
    made mpmath compute 10^exponent, and the refusal never came (the fuzzer's 20 s
    hang). The message gives the exponent instead."""
    from pacdistill.bounds import catalog
    from pacdistill.errors import TooLargeError

    with quick(2), pytest.raises(TooLargeError, match=r"about 10\^\(6\.02e\+3999\)"):
        catalog["query_junta"].evaluate(delta=0.5, k=10**4000, d=1)


# --- huge counts and sizes are exact ints, or floats: never a rounded int ---------------


def test_a_huge_integer_size_is_the_exact_int():
    """2^k at k = 1000 was a 50-digit value rounded to an int ending in zeros, and
    the 'exact' m = 2 s - 1 of a tree with s = 2^1000 leaves came out even."""
    from pacdistill.reductions import REGISTRY

    parity = REGISTRY["parity_to_tree"].guarantee.at(d=2000, k=1000, fields=["size_map"])
    assert parity.size_map["s"] == 2**1000
    relu = REGISTRY["tree_to_relu"].guarantee.at(d=2000, s=2**1000, r=1000,
                                                 fields=["size_map"])
    assert all(isinstance(v, int) for v in relu.size_map.values())
    assert relu.size_map["m"] % 2 == 1


def test_a_huge_irrational_size_is_a_float_not_a_rounded_int():
    g = Guarantee("exact", "junta", "junta", "test", size_map={S.k: 2**S.k * sympy.log(S.d)})
    value = g.at(d=3, k=1000).size_map["k"]
    assert isinstance(value, float) and value == pytest.approx(2.0**1000 * math.log(3))


@pytest.mark.parametrize("k", [60, 200, 1000])
def test_a_huge_count_is_the_exact_ceiling(k):
    """queries = 2^k + 1 and samples = ceiling of 2^k ln d / eps: the least integers
    above the formulas, checked with exact integer arithmetic (the 50-digit value
    gave 2^k + 1 with its last digits zeroed)."""
    g = Guarantee("exact", "junta", "junta", "test", queries=2**S.k + 1,
                  samples=2**S.k * sympy.log(S.d) / S.eps)
    vals = g.at(k=k, d=3, eps=0.5)
    assert vals.queries == 2**k + 1
    # 2^k ln 3 / (1/2), to 30 digits past the point (it is irrational: strict both sides)
    exact = (2 * 2**k * sympy.log(3)).evalf(len(str(2**k)) + 30)
    assert vals.samples - 1 < exact < vals.samples


def test_a_count_a_hair_above_an_integer_is_rounded_up():
    """samples = log_size at log_size = 10 + 10^-39, and THEORY §4's realizable bound
    at a log_size 9.5e-61 above 5 - ln 2 (eps = delta = 1/2: 10 + 1.9e-60). Up to
    10^15 a count was the 50-digit value rounded, an integer within 1e-30 (relative)
    taken as that integer: 10 samples, one short of the bound (samples_needed, which
    decides exactly, said 11). A near-integer is now decided exactly; an exact
    integer still is not rounded past."""
    from pacdistill.bounds import samples_needed

    g = Guarantee("perfect", "parity", "parity", "t", promise=Promise("parity"),
                  error=S.eps, failure=S.delta, samples=S.log_size,
                  queries=(S.log_size + sympy.log(1 / S.delta)) / S.eps)
    assert g.at(fields=["samples"], log_size=sympy.Rational(10**40 + 1, 10**39)).samples == 11
    assert g.at(fields=["samples"], log_size=10).samples == 10
    log_size = sympy.Rational(
        int(sympy.floor(((5 - sympy.log(2)) * 10**60).evalf(100))) + 1, 10**60)
    at = g.at(fields=["queries"], log_size=log_size, eps=0.5, delta=0.5)
    assert at.queries == 11 == samples_needed("realizable_finite", eps=0.5, delta=0.5,
                                              log_size=log_size)


@pytest.mark.parametrize("values, message", [
    ({"eps": sympy.nan}, "finite"),
    ({"eps": sympy.oo}, "finite"),
    ({"delta": 2.0}, r"in \(0, 1\)"),
    ({"eps": 1}, r"in \(0, 1\)"),
    ({"eps_2": 1.5}, r"in \(0, 1\)"),
], ids=["sympy nan", "sympy oo", "delta 2", "eps 1", "a budget past 1"])
def test_at_refuses_values_outside_the_bounds_range(values, message):
    """sympy's nan raised a bare TypeError ('Invalid NaN comparison'); oo went on
    to an 'error not finite' message; delta = 2 gave samples = -6 (ln(1/delta) < 0)."""
    g = Guarantee("perfect", "parity", "parity", "t", promise=Promise("parity"),
                  error=S.eps, failure=S.delta, samples=sympy.log(1 / S.delta) / S.eps,
                  time=S.step_eps(2))
    with pytest.raises(InvalidParameterError, match=message):
        g.at(**{"eps": 0.1, "delta": 0.05, "eps_2": 0.5, **values})


def test_a_negative_count_is_refused():
    g = Guarantee("exact", "parity", "parity", "t", queries=S.d - 5)
    with pytest.raises(InvalidParameterError, match="negative"):
        g.at(d=2)
    assert g.at(d=7).queries == 2


@pytest.mark.parametrize("name, close", [
    ("Conjunction", "conjunction"), ("DecisionTree", "decision_tree"),
    ("decision-tree", "decision_tree"), ("juntas", "junta"), ("DNF", "dnf"),
])
def test_a_class_name_that_misses_a_key_by_spelling_is_refused(name, close):
    """A title or plural where a key of pd.CLASSES belongs matched nothing later
    (no route, no source drawing); it is refused at once with the key. Names far
    from every key stay allowed (guarantees between toy classes, for the algebra)."""
    from pacdistill.bounds.guarantee import Promise

    with pytest.raises(InvalidParameterError, match=f"Got {name!r}; did you mean {close!r}"):
        Guarantee("exact", name, "junta", "derived here")
    with pytest.raises(InvalidParameterError, match=f"did you mean {close!r}"):
        Guarantee("perfect", "junta", "junta", "derived here", promise=Promise(name),
                  error=S.eps, failure=S.delta)
    assert Guarantee("exact", "toy_f", "toy_g", "derived here").from_class == "toy_f"


def test_size_map_keys_must_be_symbols():
    """A string key ({'d': S.d}) crashed str(guarantee) with a bare AttributeError
    and was later called 'not a parameter' of the class that has a d."""
    with pytest.raises(InvalidParameterError, match="Got the key 'd'"):
        Guarantee("exact", "junta", "junta", "derived here", size_map={"d": S.d})
    with pytest.raises(InvalidParameterError, match="must be a class name"):
        Guarantee("exact", None, "junta", "derived here")
