"""Composition of guarantees (THEORY §3): one test per row of the table, the
other coordinates, the budget split, and associativity over random chains."""

import importlib
import json

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from pacdistill.bounds import symbols as S
from pacdistill.bounds.compose import (
    ComposedGuarantee,
    _fold,
    _lift,
    _pair,
    _rename_options,
    compose,
    compose_all,
    default_split,
)
from pacdistill.bounds.guarantee import FIELDS, Guarantee, Promise
from pacdistill.errors import (
    IncompatibleReductionError,
    InvalidParameterError,
    SerializationError,
)

E1, E2, E3 = S.step_eps(1), S.step_eps(2), S.step_eps(3)
D1, D2 = S.step_delta(1), S.step_delta(2)
OPT_F, OPT_G, OPT_H = S.OPT("toy_f"), S.OPT("toy_g"), S.OPT("toy_h")


def exact(src, dst, **kw):
    kw.setdefault("time", S.d)
    kw.setdefault("size_map", {S.m: S.d + 1})
    return Guarantee("exact", src, dst, f"exact {src}->{dst}", **kw)


def perfect(src, dst, mode="distributional", promise=None, **kw):
    return Guarantee("perfect", src, dst, f"perfect {src}->{dst}",
                     promise=Promise(promise or dst, mode), error=S.eps, failure=S.delta,
                     **{"samples": S.d / S.eps, **kw})


def agnostic(src, dst, **kw):
    return Guarantee("agnostic", src, dst, f"agnostic {src}->{dst}",
                     **{"error": S.OPT(dst) + S.eps, "failure": S.delta,
                        "samples": S.d / S.eps**2, **kw})


# ---------------------------------------------------------- the table, row by row
def test_row_exact_exact():
    g = compose(exact("toy_f", "toy_g"), exact("toy_g", "toy_h", time=S.m))
    assert (g.kind, g.promise, g.error, g.failure, g.samples) == ("exact", None, 0, 0, 0)
    assert g.time == S.d + (S.d + 1)  # T1 + T2(sigma1); no evaluations of g


def test_row_exact_perfect_keeps_step_twos_promise():
    g = compose(exact("toy_f", "toy_g"), perfect("toy_g", "toy_h", mode="everywhere"))
    assert g.kind == "perfect" and g.promise == Promise("toy_h", "everywhere")
    assert g.unsplit.error == E2 and g.error == S.eps and g.failure == S.delta


def test_row_perfect_exact_keeps_step_ones_promise_class():
    g = compose(perfect("toy_f", "toy_g"), exact("toy_g", "toy_h"))
    assert g.kind == "perfect" and g.promise == Promise("toy_g")  # P1, not H
    assert g.unsplit.error == E1 and g.error == S.eps


def test_row_perfect_agnostic():
    g = compose(perfect("toy_f", "toy_g"), agnostic("toy_g", "toy_h"))
    assert g.kind == "agnostic" and g.promise == Promise("toy_g")  # under step 1's promise
    assert g.unsplit.error == OPT_H + 2 * E1 + E2
    assert g.split == {E1: S.eps / 4, E2: S.eps / 2, D1: S.delta / 2, D2: S.delta / 2}
    assert g.error == OPT_H + S.eps


def test_row_agnostic_agnostic():
    g = compose(agnostic("toy_f", "toy_g"), agnostic("toy_g", "toy_h"))
    assert g.kind == "agnostic" and g.promise is None
    assert sympy.expand(g.unsplit.error - (OPT_H + 2 * (OPT_G + E1) + E2)) == 0
    assert sympy.expand(g.error - (OPT_H + 2 * OPT_G + S.eps)) == 0


def test_row_exact_agnostic():
    g = compose(exact("toy_f", "toy_g"), agnostic("toy_g", "toy_h"))
    assert g.kind == "agnostic" and g.promise is None
    assert g.unsplit.error == OPT_H + E2 and g.error == OPT_H + S.eps


def test_row_agnostic_exact_is_against_g():
    g = compose(agnostic("toy_f", "toy_g"), exact("toy_g", "toy_h"))
    assert g.kind == "agnostic" and g.promise is None
    assert g.unsplit.error == OPT_G + E1 and g.error == OPT_G + S.eps


@pytest.mark.parametrize("first", ["perfect", "agnostic"])
@pytest.mark.parametrize("mode", ["distributional", "everywhere"])
def test_row_refused_before_a_perfect_step(first, mode):
    step1 = perfect("toy_f", "toy_g") if first == "perfect" else agnostic("toy_f", "toy_g")
    with pytest.raises(IncompatibleReductionError, match="promise can fail") as info:
        compose(step1, perfect("toy_g", "toy_h", mode=mode))
    assert "toy_f -> toy_g" in str(info.value) and "toy_h" in str(info.value)
    if mode == "everywhere":
        assert "on all of X" in str(info.value)


def test_refused_after_an_agnostic_step_under_a_promise():
    """perfect o agnostic keeps a promise; a later perfect step is still refused,
    and so is an agnostic composite with a promise after a non-exact step."""
    under_promise = compose(perfect("toy_f", "toy_g"), agnostic("toy_g", "toy_h"))
    with pytest.raises(IncompatibleReductionError, match="promise can fail"):
        compose(under_promise, perfect("toy_h", "toy_h"))
    with pytest.raises(IncompatibleReductionError, match="promise can fail"):
        compose(agnostic("toy_f", "toy_f"), under_promise)
    # an exact step may precede it, and the promise transfers
    ok = compose(exact("toy_f", "toy_f"), under_promise)
    assert ok.promise == Promise("toy_g")


def test_barriers_never_compose():
    barrier = Guarantee("barrier", "toy_g", "toy_h", "Klivans and Sherstov 2006",
                        assumptions=("lattice",))
    for pair in [(exact("toy_f", "toy_g"), barrier),
                 (barrier.evolve(from_class="toy_f", to_class="toy_g"),
                  exact("toy_g", "toy_h"))]:
        with pytest.raises(IncompatibleReductionError, match="barrier"):
            compose(*pair)
    with pytest.raises(IncompatibleReductionError, match="barrier"):
        compose_all([barrier])


def test_classes_must_meet():
    with pytest.raises(IncompatibleReductionError,
                       match="outputs a toy_g but step 2 takes a toy_h"):
        compose(exact("toy_f", "toy_g"), exact("toy_h", "toy_f"))


# ------------------------------------------------------------ other coordinates
def test_failure_samples_queries_add():
    g1 = perfect("toy_f", "toy_g", samples=S.d / S.eps, queries=S.d, size_map={S.m: S.d + 1})
    g2 = agnostic("toy_g", "toy_h", samples=S.m / S.eps**2, queries=2 * S.m)
    g = compose(g1, g2, split="none")
    assert g.failure == D1 + D2
    # n2 at sigma1 (m -> d + 1); each step draws the ceiling of its own count, so
    # the sum of ceilings (one more than ceiling(n1 + n2) when both are fractional)
    assert g.samples == sympy.ceiling(S.d / E1) + sympy.ceiling((S.d + 1) / E2**2)
    assert g.queries == S.d + 2 * (S.d + 1)  # integer counts: the ceilings vanish
    # the rounding matters: at d = 1, eps_i = 0.4 the steps draw 3 + 13 = 16 samples,
    # one more than ceiling(2.5 + 12.5) = 15
    at = g.at(fields=["samples"], d=1, eps_1=0.4, eps_2=0.4).samples
    assert at == 3 + 13 == 16


def test_time_adds_step_times_at_sigma1():
    """T = T1 + T2(sigma1): each edge's time already includes its evaluations of
    its input (the project's convention, docs/THEORY.md §3), so composing adds no
    evaluation term and never counts the intermediate evaluations twice."""
    g1 = exact("toy_f", "toy_g", time=S.d**2, size_map={S.m: 2 * S.d})
    g2 = agnostic("toy_g", "toy_h", samples=S.m / S.eps**2, queries=S.m,
                  time=S.m**3 + (S.m / S.eps**2 + S.m) * S.m**2)
    g = compose(g1, g2, split="none")
    expected = S.d**2 + (2 * S.d)**3 + (2 * S.d / E2**2 + 2 * S.d) * (2 * S.d)**2
    assert sympy.expand(g.time - expected) == 0


def test_time_of_three_steps_is_the_sum_of_substituted_times():
    a = exact("toy_f", "toy_g", time=S.d, size_map={S.m: S.d + 1})
    b = agnostic("toy_g", "toy_h", samples=S.m, time=S.m**2, size_map={S.s: 3 * S.m})
    c = agnostic("toy_h", "toy_h", samples=S.s, time=S.s)
    g = compose_all([a, b, c], split="none")
    assert sympy.expand(g.time - (S.d + (S.d + 1)**2 + 3 * (S.d + 1))) == 0


def test_size_maps_compose_by_simultaneous_substitution():
    g1 = exact("toy_f", "toy_g", size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k})
    g2 = exact("toy_g", "toy_h", size_map={S.s: S.r, S.r: S.s, S.w: S.r + S.s})
    g = compose(g1, g2)
    # simultaneous: s -> r -> k and r -> s -> 2^k, never s -> r -> s
    assert g.size_map == {S.d: S.d, S.r: 2**S.k, S.s: S.k, S.w: S.k + 2**S.k}
    # sigma1 itself swaps r and s: substituting r -> s and then s -> r one after
    # the other would give w -> 3 r
    swap = exact("toy_f", "toy_g", size_map={S.r: S.s, S.s: S.r})
    after = compose(swap, exact("toy_g", "toy_h", size_map={S.w: S.r + 2 * S.s}))
    assert after.size_map[S.w] == S.s + 2 * S.r


def test_step_two_fields_are_substituted_by_sigma1():
    g1 = exact("toy_f", "toy_g", size_map={S.s: 2**S.k})
    g2 = agnostic("toy_g", "toy_h", samples=S.s * sympy.log(S.d) / S.eps**2,
                  error=S.OPT("toy_h") + S.eps + S.s * 0)
    g = compose(g1, g2)
    assert g.samples == sympy.ceiling(2**S.k * sympy.log(S.d) / S.eps**2)


def test_assumptions_union_order_and_source():
    g1 = perfect("toy_f", "toy_g").evolve(assumptions=("LRH(tau, B)",))
    g2 = exact("toy_g", "toy_h").evolve(assumptions=("A", "LRH(tau, B)"), order=True)
    g = compose(g1, g2)
    assert g.assumptions == ("A", "LRH(tau, B)") and g.order
    assert g.source.startswith("derived here: THEORY §3")
    assert "perfect toy_f->toy_g" in g.source and "exact toy_g->toy_h" in g.source


def test_error_must_be_linear_in_opt_with_nonnegative_coefficients():
    g1 = agnostic("toy_f", "toy_g")
    bad = agnostic("toy_g", "toy_h", error=S.OPT("toy_h") ** 2 + S.eps)
    with pytest.raises(InvalidParameterError, match="not linear"):
        compose(g1, bad)
    negative = agnostic("toy_g", "toy_h", error=-S.OPT("toy_h") + S.eps)
    with pytest.raises(InvalidParameterError, match=">= 0"):
        compose(g1, negative)


def test_default_split_needs_provably_positive_budget_coefficients():
    """An error (d - 5) eps_1 is not an error budget for d < 5: the default split
    (eps_1 = eps / (m c_1)) would hand step 1 a negative eps there. Refused, naming
    the way out; split='none' keeps the per-step budgets."""
    odd = agnostic("toy_f", "toy_g", error=OPT_G + (S.d - 5) * S.eps)
    with pytest.raises(InvalidParameterError,
                       match=r"linear in eps_1 with a positive coefficient.*split="):
        compose(odd, agnostic("toy_g", "toy_h"))
    kept = compose(odd, agnostic("toy_g", "toy_h"), split="none")
    assert sympy.expand(kept.error - (OPT_H + 2 * OPT_G + 2 * (S.d - 5) * E1 + E2)) == 0


def test_only_guarantees_compose():
    with pytest.raises(InvalidParameterError):
        compose(exact("toy_f", "toy_g"), "toy_g -> toy_h")


# ----------------------------------------------------------------- budget split
def test_default_split_of_theory_example():
    """2 eps1 + eps2 = eps: eps1 = eps/4, eps2 = eps/2 (THEORY §3)."""
    split = default_split([perfect("toy_f", "toy_g"), agnostic("toy_g", "toy_h")])
    assert split == {E1: S.eps / 4, E2: S.eps / 2, D1: S.delta / 2, D2: S.delta / 2}


def test_default_split_is_over_the_flattened_chain():
    """Three agnostic steps F -> G -> H -> H: error 3 OPT_H + 4 OPT_G + 4 eps1 + 2 eps2
    + eps3 (by hand from the rule of THEORY §3), so each step gets a third of eps."""
    chain = [agnostic("toy_f", "toy_g"), agnostic("toy_g", "toy_h"),
             agnostic("toy_h", "toy_h")]
    g = compose_all(chain)
    assert g.split[E1] == S.eps / 12 and g.split[E2] == S.eps / 6 and g.split[E3] == S.eps / 3
    assert all(g.split[S.step_delta(i)] == S.delta / 3 for i in (1, 2, 3))
    assert sympy.expand(g.unsplit.error - (3 * OPT_H + 4 * OPT_G + 4 * E1 + 2 * E2 + E3)) == 0
    assert sympy.expand(g.error - (3 * OPT_H + 4 * OPT_G + S.eps)) == 0
    assert g.failure == S.delta
    # the pairwise split would differ by grouping; the flattened one does not
    assert compose(compose(chain[0], chain[1]), chain[2]) == compose(chain[0], compose(*chain[1:]))


def test_exact_steps_get_no_budget():
    g = compose_all([exact("toy_f", "toy_g"), perfect("toy_g", "toy_h"),
                     exact("toy_h", "toy_h")])
    assert g.split == {E2: S.eps, S.step_delta(2): S.delta}
    assert g.error == S.eps and g.failure == S.delta


def test_explicit_split():
    g1, g2 = perfect("toy_f", "toy_g"), agnostic("toy_g", "toy_h")
    g = compose(g1, g2, split={"eps_1": S.eps / 3, E2: S.eps / 3, "delta_1": S.delta / 4,
                               D2: 3 * S.delta / 4})
    assert g.error == OPT_H + S.eps and g.failure == S.delta
    assert g.split_info == {"method": "explicit"}
    with pytest.raises(InvalidParameterError, match="Missing"):
        compose(g1, g2, split={"eps_1": S.eps / 3})
    with pytest.raises(InvalidParameterError, match="per-step budgets"):
        compose(g1, g2, split={"eps": S.eps})
    with pytest.raises(InvalidParameterError):
        compose(g1, g2, split="halves")


def test_split_none_keeps_budgets_and_recomposes():
    g1, g2, g3 = perfect("toy_f", "toy_g"), agnostic("toy_g", "toy_h"), exact("toy_h", "toy_h")
    raw = compose(g1, g2, split="none")
    assert raw.error == OPT_H + 2 * E1 + E2 and raw.split == {}
    assert compose(raw, g3) == compose_all([g1, g2, g3])


def test_optimize_minimises_samples_and_reports_the_split():
    g1 = agnostic("toy_f", "toy_g", samples=100 * S.d / S.eps**2)
    g2 = agnostic("toy_g", "toy_h", samples=S.d / S.eps**2 + sympy.log(1 / S.delta) / S.eps)
    at = {"d": 100, "m": 3, "eps": 0.1, "delta": 0.05}
    best = compose(g1, g2, optimize=True, at=at)
    default = compose(g1, g2)
    info = best.split_info
    assert info["method"] == "optimized" and info["objective"] == "samples"
    assert info["value"] < 0.9 * info["default_value"]
    n_best = best.at(fields=["samples"], **at).samples
    n_default = default.at(fields=["samples"], **at).samples
    assert n_best <= n_default * 0.9
    # the split is exact, so the composite still states error OPT + eps, failure delta
    assert sympy.expand(best.error - (OPT_H + 2 * OPT_G + S.eps)) == 0
    assert best.failure == S.delta
    assert sum(info["shares"][f"eps_{i}"] for i in (1, 2)) == pytest.approx(1)
    # step 1's samples dominate, so it gets the larger share of its error budget
    assert info["shares"]["eps_1"] > 0.5
    with pytest.raises(InvalidParameterError, match="at="):
        compose(g1, g2, optimize=True)
    with pytest.raises(InvalidParameterError, match="cannot both"):
        compose(g1, g2, optimize=True, at=at, split="none")


def test_composed_json_round_trip_and_tamper_check():
    g = compose_all([perfect("toy_f", "toy_g"), agnostic("toy_g", "toy_h"),
                     exact("toy_h", "toy_h")])
    data = json.loads(json.dumps(g.to_dict()))
    back = Guarantee.from_dict(data)
    assert isinstance(back, ComposedGuarantee) and back == g
    data["samples"] = 5
    with pytest.raises(SerializationError, match="not what its steps"):
        Guarantee.from_dict(data)


def test_printing_a_composite():
    g = compose(perfect("toy_f", "toy_g"), agnostic("toy_g", "toy_h"))
    text = str(g)
    assert "steps (2): toy_f -> [perfect] toy_g -> [agnostic] toy_h" in text
    assert "split (default): eps_1 = eps/4, delta_1 = delta/2" in text
    assert repr(g).startswith("ComposedGuarantee(kind='agnostic'")
    assert "step_eps(1): eps/4" in repr(g)


# ------------------------------------------------------------------ associativity
NAMES = ["toy_f", "toy_g", "toy_h", "junta", "decision_tree", "dnf"]
PARAMS = [S.d, S.k, S.m, S.r, S.s, S.w]
_param = st.sampled_from(PARAMS)
_term = st.one_of(
    _param,
    st.tuples(_param, _param).map(lambda ab: ab[0] * ab[1]),
    _param.map(lambda p: 2**p),
    _param.map(lambda p: sympy.log(p + 1)),
    st.integers(1, 3).map(sympy.Integer),
)
_poly = st.lists(_term, min_size=1, max_size=3).map(lambda ts: sympy.Add(*ts))


@st.composite
def guarantees(draw, src, dst):
    kind = draw(st.sampled_from(["exact", "exact", "agnostic", "agnostic", "perfect"]))
    size_map = draw(st.dictionaries(_param, _poly, max_size=3))
    common = dict(time=draw(_poly), queries=draw(st.sampled_from([0, S.d, S.k * S.m])),
                  size_map=size_map)
    if kind == "exact":
        return Guarantee("exact", src, dst, "e", **common)
    budget_e = draw(st.sampled_from([S.eps, 2 * S.eps, S.eps / 3]))
    budget_d = draw(st.sampled_from([S.delta, S.delta / 2]))
    samples = draw(_poly) / budget_e ** draw(st.sampled_from([1, 2])) \
        + sympy.log(1 / budget_d)
    if kind == "perfect":
        promise = Promise(draw(st.sampled_from(NAMES)),
                          draw(st.sampled_from(["everywhere", "distributional"])))
        return Guarantee("perfect", src, dst, "p", promise=promise, error=budget_e,
                         failure=budget_d, samples=samples, **common)
    opt_terms = draw(st.lists(st.sampled_from(NAMES), max_size=2))
    error = S.OPT(dst) + sum((S.OPT(c) for c in opt_terms), sympy.Integer(0)) + budget_e
    return Guarantee("agnostic", src, dst, "a", error=error, failure=budget_d,
                     samples=samples, **common)


@st.composite
def chains(draw, length):
    names = [draw(st.sampled_from(NAMES)) for _ in range(length + 1)]
    return [draw(guarantees(names[i], names[i + 1])) for i in range(length)]


def _same(a, b):
    return a == b or sympy.expand(a - b) == 0 or sympy.simplify(a - b) == 0


def _fold_right(steps):
    """The right fold of the chain, over the steps as the fold renames them (a
    step's own sizes k -> k_i depend on the flattened chain only)."""
    steps = _rename_options(steps)[0]
    chain = _lift(steps[-1])
    for step in reversed(steps[:-1]):
        chain = _pair(_lift(step), chain)
    return chain


def _attempt(func, *args):
    try:
        return func(*args)
    except IncompatibleReductionError as err:
        return err


@given(chains(3))
def test_budgeted_composition_is_associative(steps):
    """(a o b) o c and a o (b o c) agree field by field, size maps included, before
    any budget split (or both refuse)."""
    a, b, c = (_lift(g) for g in steps)
    left = _attempt(lambda: _pair(_pair(a, b), c))
    right = _attempt(lambda: _pair(a, _pair(b, c)))
    if isinstance(left, Exception) or isinstance(right, Exception):
        assert isinstance(left, Exception) and isinstance(right, Exception)
        return
    assert (left.kind, left.promise, left.from_class, left.to_class) == \
        (right.kind, right.promise, right.from_class, right.to_class)
    for name in FIELDS:
        assert _same(getattr(left, name), getattr(right, name)), name
    assert set(left.size_map) == set(right.size_map)
    for key in left.size_map:
        assert _same(left.size_map[key], right.size_map[key]), key
    assert left.assumptions == right.assumptions and left.order == right.order


@given(chains(4))
def test_left_and_right_folds_agree_on_longer_chains(steps):
    """Folding four steps from the left (as compose does) or from the right gives
    the same budgeted composite."""
    left = _attempt(_fold, steps)
    right = _attempt(_fold_right, steps)
    if isinstance(left, Exception) or isinstance(right, Exception):
        assert isinstance(left, Exception) and isinstance(right, Exception)
        return
    for name in FIELDS:
        assert _same(getattr(left, name), getattr(right, name)), name
    for key in left.size_map:
        assert _same(left.size_map[key], right.size_map[key]), key


@given(chains(3))
def test_public_compose_is_associative(steps):
    """compose(compose(a, b), c) == compose(a, compose(b, c)), default split included."""
    a, b, c = steps
    left = _attempt(lambda: compose(compose(a, b), c))
    right = _attempt(lambda: compose(a, compose(b, c)))
    if isinstance(left, Exception) or isinstance(right, Exception):
        assert type(left) is type(right)
        return
    assert left == right


def test_optimize_other_objectives():
    g1 = agnostic("toy_f", "toy_g", queries=S.d / S.eps)
    g2 = agnostic("toy_g", "toy_h", queries=S.d / S.eps**2)
    at = {"d": 100, "m": 3, "eps": 0.1, "delta": 0.05}
    best = compose(g1, g2, optimize=True, at=at, objective="queries")
    assert best.split_info["value"] <= best.split_info["default_value"]
    # no share changes the samples of exact steps: the default split is kept
    e1, e2 = exact("toy_f", "toy_g"), exact("toy_g", "toy_h")
    same = compose(e1, e2, optimize=True, at=at)
    assert same.split == compose(e1, e2).split and "default split kept" in \
        same.split_info["note"]
    with pytest.raises(InvalidParameterError, match="objective"):
        compose(g1, g2, optimize=True, at=at, objective="money")


# ------------------------------------------------- a step's own sizes (THEORY §3)
def _conjunction_to_list():
    return Guarantee("exact", "conjunction", "decision_list", "x", time=S.d * S.k,
                     size_map={S.d: S.d, S.l: S.k})


def _junta_learner(src):
    """An agnostic k-junta learner: k is its own choice, not a parameter of src."""
    return Guarantee("agnostic", src, "junta", "y", error=S.OPT("junta") + S.eps,
                     failure=S.delta, samples=S.k * S.d / S.eps**2,
                     time=S.d**S.k / S.eps**2, size_map={S.d: S.d, S.k: S.k})


def test_a_later_steps_own_size_is_renamed_apart_from_the_sources():
    """conjunction (k literals) -> decision_list -> k-junta learner: the learner's
    k is not the conjunction's, so the composite calls it k_2 (it used to read
    both as one k, describing only the run where they agree)."""
    g = compose(_conjunction_to_list(), _junta_learner("decision_list"))
    assert g.options == {S.step_option(S.k, 2): (2, S.k)}
    k2 = S.step_option(S.k, 2)
    assert g.samples == sympy.ceiling(S.d * k2 / S.eps**2)  # exact step 1: eps_2 = eps
    assert g.time == S.d * S.k + S.d**k2 / S.eps**2
    assert g.size_map == {S.d: S.d, S.k: k2}
    assert k2.is_integer and k2.is_positive and k2 != S.k
    # numbers: the learner's k and the conjunction's k are given separately
    values = g.at(fields=["samples", "time"], d=10, k=5, k_2=2, eps=0.1, delta=0.1)
    assert values.samples == 2000 and values.time == 50 + 10000


def test_own_sizes_are_kept_when_nothing_clashes():
    """decision_list -> junta learner (step 1 is never renamed) and junta -> tree:
    no symbol means two things, so nothing is renamed."""
    to_tree = Guarantee("exact", "junta", "decision_tree", "z", time=2**S.k,
                        size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k})
    g = compose(_junta_learner("decision_list"), to_tree)
    assert g.options == {} and g.size_map[S.s] == 2**S.k


def test_a_second_own_size_of_the_same_name_is_renamed():
    """Two steps choosing their own k (a learner, then after conversions another
    learner) get k and k_3: the second clashes with the first's choice."""
    back = Guarantee("exact", "junta", "decision_list", "w", size_map={S.d: S.d, S.l: 2**S.k})
    g = compose_all([_junta_learner("decision_list"), back, _junta_learner("decision_list")])
    k3 = S.step_option(S.k, 3)
    assert g.options == {k3: (3, S.k)}
    assert g.size_map[S.k] == k3 and S.k in g.samples.free_symbols


def test_renamed_composites_round_trip_and_rebuild():
    g = compose(_conjunction_to_list(), _junta_learner("decision_list"))
    assert ComposedGuarantee.from_dict(json.loads(json.dumps(g.to_dict()))) == g
    namespace = {**vars(sympy), **vars(S), "Guarantee": Guarantee, "Promise": Promise,
                 "ComposedGuarantee": ComposedGuarantee}
    assert "step_option(k, 2)" in repr(g)
    assert eval(repr(g), namespace) == g  # noqa: S307  (our own repr, never user text)
    assert "k_{2}" in g._repr_latex_()


def test_renaming_is_a_function_of_the_flattened_chain():
    a, b = _conjunction_to_list(), _junta_learner("decision_list")
    c = Guarantee("exact", "junta", "decision_tree", "z", time=2**S.k,
                  size_map={S.d: S.d, S.r: S.k, S.s: 2**S.k})
    left, right = compose(compose(a, b), c), compose(a, compose(b, c))
    assert left == right and left.options == {S.step_option(S.k, 2): (2, S.k)}
    assert left.size_map[S.s] == 2**S.step_option(S.k, 2)
    renamed, options = _rename_options([a, b, c])
    assert renamed[0] is a and renamed[2] is c and len(options) == 1


def test_a_step_already_using_a_renamed_size_is_refused():
    """k_2 is the name the fold gives step 2's own k; a step that already uses k_2
    (a hand-written guarantee) would be read as the same symbol: its d*k_2 and the
    learner's renamed k became one k_2 in the composite (time d*k_2 for step 1,
    samples d*k_2/eps^2 for step 2). Refused, like per-step budgets."""
    k2 = S.step_option(S.k, 2)
    first = _conjunction_to_list().evolve(time=S.d * k2)
    with pytest.raises(InvalidParameterError, match=r"already uses renamed step sizes \['k_2'\]"):
        compose(first, _junta_learner("decision_list"))
    with pytest.raises(InvalidParameterError, match="renamed step sizes"):
        compose(_conjunction_to_list(), _junta_learner("decision_list").evolve(
            samples=S.step_option(S.r, 7) / S.eps))
    data = compose(_conjunction_to_list(), _junta_learner("decision_list")).to_dict()
    data["steps"][0] = first.to_dict()
    with pytest.raises(SerializationError, match="renamed step sizes"):
        ComposedGuarantee.from_dict(data)


def test_an_own_size_named_like_an_intermediate_parameter_is_renamed():
    """junta -> decision_tree (r = k, s = 2^k) -> relu_network -> lrh_tree (own r, s).

    The fold carries step 1's keys r, s (the intermediate tree's depth and leaves)
    past the network, which has no r or s; step 3's own r and s (the depth and
    leaves the run asks lrh_tree for) were substituted by them, so the route said
    samples at s = 2^k and an output of depth k, whatever r and s the run used.
    They are renamed r_3, s_3 instead, as in the two-step route from a tree
    (r_2, s_2), and the composite's size map is the run's choice."""
    from pacdistill.reductions._registry import REGISTRY

    a, b, c = (REGISTRY[name].guarantee for name in ("junta_to_tree", "tree_to_relu",
                                                      "lrh_tree"))
    g = compose_all([a, b, c])
    r3, s3 = S.step_option(S.r, 3), S.step_option(S.s, 3)
    assert g.options == {r3: (3, S.r), s3: (3, S.s)}
    assert g.size_map == {S.d: S.d, S.r: r3, S.s: s3}
    assert s3 in g.samples.free_symbols and S.k not in g.samples.free_symbols
    # the samples are lrh_trees' bound at the run's s_3 and the source's d
    values = g.at(fields=["samples"], d=10, k=2, s_3=4, r_3=2, eps=0.1, delta=0.05)
    assert values.samples == 3273  # test_catalog's hand value of lrh_trees at s = 4, d = 10
    assert compose(compose(a, b), c) == compose(a, compose(b, c)) == g


@pytest.mark.parametrize("fields, what", [
    ({"error": S.eps}, "error"),
    ({"failure": S.delta}, "failure"),
    ({"promise": Promise("toy_g", "everywhere")}, "promise"),
], ids=["error", "failure", "promise"])
def test_an_exact_step_that_is_not_exact_is_refused(fields, what):
    """An 'exact' guarantee is an everywhere-equal deterministic map (THEORY §2.1):
    error 0, failure 0, no promise. compose reads 'exact' as 'f = g pointwise', so
    it let step 2's promise through after an exact step with error eps (the
    composite said perfect, promise transferred, though step 1's output is only
    eps-close), and dropped an exact step's own promise (exact o agnostic said
    'no promise'). Such a guarantee is refused when it is built."""
    with pytest.raises(InvalidParameterError, match=f"exact.*{what}"):
        exact("toy_f", "toy_g", **fields)


def test_optimize_reaches_the_minimum_of_the_samples():
    """perfect (n1 = (d + ln(1/delta_1))/eps_1) then agnostic (n2 = 2 (d +
    ln(2/delta_2))/eps_2^2), error 2 eps_1 + eps_2 = eps, at d = 100, eps = 0.1,
    delta = 0.05. A grid over both shares (eps_1 = a eps/2, eps_2 = (1 - a) eps,
    delta_1 = b delta, delta_2 = (1 - b) delta; 2000 x 2000 points, ceilings
    dropped) bounds the minimum from above; the optimized split, each step drawing
    its ceiling, is within the two ceilings of it. (The search used to stall on the
    ceilings' plateaus: 42,527 samples, 61 above the grid's 42,466.)"""
    import numpy as np

    g1 = perfect("toy_f", "toy_g", samples=(S.d + sympy.log(1 / S.delta)) / S.eps)
    g2 = agnostic("toy_g", "toy_h", samples=2 * (S.d + sympy.log(2 / S.delta)) / S.eps**2)
    at = {"d": 100, "eps": 0.1, "delta": 0.05}
    best = compose(g1, g2, optimize=True, at=at)
    a = np.linspace(1e-4, 1 - 1e-4, 2000)[:, None]
    b = np.linspace(1e-4, 1 - 1e-4, 2000)[None, :]
    grid = ((100 + np.log(1 / (b * 0.05))) / (a * 0.05)
            + 2 * (100 + np.log(2 / ((1 - b) * 0.05))) / ((1 - a) * 0.1) ** 2)
    n = best.at(fields=["samples"], **at).samples
    assert n <= grid.min() + 2
    assert best.split_info["value"] == n
    # the split is still a valid one: exactly eps and delta in the composite
    assert best.error == OPT_H + S.eps and best.failure == S.delta
    assert sympy.simplify(2 * best.split[E1] + best.split[E2] - S.eps) == 0
    assert sympy.simplify(best.split[D1] + best.split[D2] - S.delta) == 0


def test_optimize_keeps_an_unread_budget_and_the_composite_error_exact():
    """Three agnostic steps, error OPT terms + 4 eps_1 + 2 eps_2 + eps_3; step 2's
    samples do not read eps_2, so the search moves only eps_1 and eps_3, and
    eps_2 keeps its default eps/6. The moved shares keep their default mass (2/3
    of eps): the composite error is still exactly OPT terms + eps. (With the
    moved shares given the whole mass the error came out 4 eps/3.)"""
    g1 = agnostic("toy_f", "toy_g", samples=100 * S.d / S.eps**2)
    g2 = agnostic("toy_g", "toy_h", samples=S.d)
    g3 = agnostic("toy_h", "toy_h", samples=S.d / S.eps**2)
    at = {"d": 100, "eps": 0.1, "delta": 0.05}
    best = compose_all([g1, g2, g3], optimize=True, at=at)
    info = best.split_info
    assert info["method"] == "optimized" and set(info["shares"]) == {"eps_1", "eps_3"}
    assert best.split[E2] == S.eps / 6
    assert sum(info["shares"].values()) == pytest.approx(2 / 3)
    assert info["shares"]["eps_1"] > info["shares"]["eps_3"]  # step 1 draws 100x more
    assert sympy.expand(best.error - (3 * OPT_H + 4 * OPT_G + S.eps)) == 0
    assert sympy.expand(4 * best.split[E1] + 2 * best.split[E2] + best.split[E3] - S.eps) == 0
    assert best.failure == S.delta
    default = compose_all([g1, g2, g3]).at(fields=["samples"], **at).samples
    assert best.at(fields=["samples"], **at).samples < default


# ------------------------------------------- folded prefixes are reused (speed only)
C = importlib.import_module("pacdistill.bounds.compose")  # the module, not the function


def _plain_fold(steps):
    """The left fold from scratch, step by step (what _fold did before folded
    prefixes were stored): the reference every composite must equal."""
    import dataclasses

    renamed, options = _rename_options(list(steps))
    chain = _lift(renamed[0])
    for step in renamed[1:]:
        chain = _pair(chain, _lift(step))
    return dataclasses.replace(chain, options=options) if options else chain


def _identical(a, b):
    """Field by field, structurally (==, not simplify: the same operations in
    the same order give the same trees), size maps and renamings included."""
    import dataclasses

    if dataclasses.is_dataclass(a) and not isinstance(a, Guarantee):  # a _Chain
        assert dataclasses.asdict(a).keys() == dataclasses.asdict(b).keys()
        for f in dataclasses.fields(a):
            assert getattr(a, f.name) == getattr(b, f.name), f.name
        return
    for name in FIELDS:
        assert getattr(a, name) == getattr(b, name), name
    assert dict(a.size_map) == dict(b.size_map)
    assert a.options == b.options and a.split == b.split and a.steps == b.steps
    assert a.split_info == b.split_info and a.source == b.source


def _real_routes():
    """Routes of the default web sharing prefixes (lengths 2-4), renamed sizes
    included (conjunction -> decision_list -> junta learner: k_2)."""
    from pacdistill.web import ReductionWeb

    web = ReductionWeb.from_registry()
    paths = []
    for src, tgt, steps in [("junta", "dnf", 4), ("conjunction", "junta", 3),
                            ("junta", "relu_network", 3)]:
        paths += [p for p in web._paths(src, tgt, max_steps=steps, efficient=False,
                                        learning=False) if len(p) >= 2]
    return [tuple(red.guarantee for red in p) for p in paths]


def test_folded_prefixes_give_the_plain_fold_on_real_routes(monkeypatch):
    """Composing routes that share prefixes reuses the stored fold of the prefix;
    every route's fold, and its composite under every split, is structurally the
    plain left fold's (and the store was used: fewer pairs folded than steps)."""
    import random

    routes = _real_routes()
    assert len(routes) > 30
    random.Random(7).shuffle(routes)
    for store in (C._PREFIXES, C._STEP_CHAINS, C._LIFTS, C._FACTS, C._SPLIT_TERMS):
        store.clear()
    joins, lifts = [], []
    real_join, real_lift = C._join, C._lift
    monkeypatch.setattr(C, "_join", lambda *args: joins.append(1) or real_join(*args))
    monkeypatch.setattr(C, "_lift", lambda *args: lifts.append(1) or real_lift(*args))
    folds = []
    for steps in routes:
        try:
            folds.append((steps, C._fold(steps)))
        except (IncompatibleReductionError, InvalidParameterError):
            folds.append((steps, None))
    # the stores were used: the plain fold joins every pair and lifts every step
    assert len(joins) < 0.9 * sum(len(s) - 1 for s, _ in folds)
    assert len(lifts) < 0.5 * sum(len(s) for s, _ in folds)
    assert any(fold is not None and fold.options for _, fold in folds)  # k_2 and kin
    monkeypatch.setattr(C, "_join", real_join)
    monkeypatch.setattr(C, "_lift", real_lift)
    for steps, fold in folds:
        plain = _attempt(_plain_fold, steps)
        if fold is None:
            assert isinstance(plain, Exception)
            continue
        _identical(fold, plain)
    # the public composites: same as with no stored prefix at all
    stored = [compose_all(steps) for steps, fold in folds[:40] if fold is not None]
    assert C._SPLIT_TERMS  # split terms were stored (and reused: same composites below)
    monkeypatch.setattr(C, "_PREFIX_STEPS", 0)
    stores = (C._PREFIXES, C._STEP_CHAINS, C._LIFTS, C._FACTS, C._SPLIT_TERMS)
    for store in stores:
        store.clear()
    plain = [compose_all(steps) for steps, fold in folds[:40] if fold is not None]
    assert not any(stores)  # nothing was stored: the plain path
    for a, b in zip(stored, plain, strict=True):
        _identical(a, b)


def test_a_folded_prefix_is_reused_only_for_the_same_steps_and_never_its_split():
    """Equal-looking steps (same classes and citation, another time) get their own
    fold, renamings follow each chain's own first step, and the split is the
    caller's each time (it is never stored with the prefix)."""
    a, learner = _conjunction_to_list(), _junta_learner("decision_list")
    other = a.evolve(time=7 * S.d)                 # same classes and source text as a
    plain_learner = Guarantee("exact", "decision_list", "decision_list", "x", time=S.d,
                              size_map={S.d: S.d, S.l: S.l})
    C._PREFIXES.clear()
    first = compose_all([a, learner])
    second = compose_all([other, learner])
    third = compose_all([plain_learner, learner])  # k means nothing before: no renaming
    assert first.time != second.time and first.options == second.options
    assert third.options == {} and first.options == {S.step_option(S.k, 2): (2, S.k)}
    for steps, got in (([a, learner], first), ([other, learner], second),
                       ([plain_learner, learner], third)):
        _identical(C._fold(steps), _plain_fold(steps))
        assert got.unsplit == C._chain_guarantee(_plain_fold(steps))
    # the same stored prefix under four splits: each the split asked for
    e2, d2 = S.step_eps(2), S.step_delta(2)
    none = compose_all([a, learner], split="none")
    explicit = compose_all([a, learner], split={"eps_2": S.eps / 3, "delta_2": S.delta / 5})
    assert none.samples.has(e2) and none.split == {}
    assert explicit.failure == S.delta / 5 and first.failure == S.delta
    assert explicit.samples == none.samples.xreplace({e2: S.eps / 3, d2: S.delta / 5})
    optimized = compose_all([a, learner], optimize=True, objective="samples",
                            at={"d": 10, "k": 3, "k_2": 2, "eps": 0.1, "delta": 0.1})
    assert optimized.split_info["method"] == "optimized" and first.split_info == {
        "method": "default"}


def test_stored_prefixes_follow_a_change_of_the_classes(monkeypatch):
    """Renamings read the classes' parameters: a class added after a chain was
    composed changes the chain's renaming, and the stored prefix must not hide
    it (step 2's own k clashes with step 1's k once wibble is a known class)."""
    import types

    from pacdistill.classes import CLASSES

    one = Guarantee("exact", "toy_f", "wibble", "x", time=S.k, size_map={S.d: S.d})
    two = Guarantee("agnostic", "wibble", "far_sink", "y", error=S.OPT("far_sink") + S.eps,
                    failure=S.delta, samples=S.k * S.d / S.eps, size_map={S.d: S.d})
    assert compose(one, two).options == {}  # wibble unknown: its step is not renamed
    monkeypatch.setitem(CLASSES, "wibble", types.SimpleNamespace(params=(S.d,), title="Wibble"))
    after = compose(one, two)
    assert after.options == {S.step_option(S.k, 2): (2, S.k)}
    _identical(C._fold([one, two]), _plain_fold([one, two]))
