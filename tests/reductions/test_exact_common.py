"""One battery over every registered exact edge (THEORY §2.1, §8; issue 4).

For each edge of kind ``exact`` in ``REGISTRY`` (present and future ones alike):
its guarantee has the shape of an exact conversion; on hypothesis-generated
sources (``pd.CLASSES[source].strategy``, d <= MAX_D) the output equals the
source on the whole cube and its size is within the declared size map at the
source's parameters (see exact_checks.py); a non-model input is refused with a
PacDistillError; its module has its own test file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from exact_checks import assert_exact, assert_within_size_map, declared_sizes
from hypothesis import given
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee
from pacdistill.reductions import REGISTRY, Result, register

HERE = Path(__file__).resolve().parent

EXACT = sorted((edge for edge in REGISTRY.values() if edge.kind == "exact"),
               key=lambda edge: edge.name)

#: Largest d of a generated source: the cube is walked exhaustively (2^MAX_D points).
MAX_D = 10

#: Edges defined on a part of their source class declare it as ``edge.domain`` (the
#: strategy bounds that generate that part), e.g. decision_list_to_halfspace: {"max_w": 1}.

#: Per source class, bounds keeping generation cheap (a table of 2^d draws).
SOURCE_BOUNDS: dict[str, dict[str, int]] = {"lookup_table": {"max_d": 8}}

#: The exact conversions of THEORY §8 (the lookup-table family has one edge per class).
THEORY_EXACT = (
    "junta_to_tree", "tree_to_dnf", "tree_to_junta", "tree_to_relu",
    "conjunction_to_halfspace", "conjunction_to_decision_list", "decision_list_to_halfspace",
    "dnf_to_relu", "parity_to_tree", "parity_to_relu",
    *(f"to_lookup_table[{name}]" for name in pd.CLASSES),
)


def _ids(edge):
    return edge.name


def test_theory_exact_edges_are_registered():
    """Every exact conversion of THEORY §8 is a registered exact edge."""
    missing = [name for name in THEORY_EXACT if name not in REGISTRY]
    assert not missing
    assert all(REGISTRY[name].kind == "exact" for name in THEORY_EXACT)


@pytest.mark.parametrize("edge", EXACT, ids=_ids)
def test_edge_module_has_its_own_tests(edge):
    """Each exact edge's module has tests/reductions/test_<module>.py (STYLE 4)."""
    module = edge.func.__module__.rsplit(".", 1)[-1]
    assert (HERE / f"test_{module}.py").is_file(), f"no tests for {edge.func.__module__}"


@pytest.mark.parametrize("edge", EXACT, ids=_ids)
def test_guarantee_has_the_exact_shape(edge):
    """Exact: no error, failure or samples; queries only for query access; the
    size map maps d to d and only names target parameters; a source is cited."""
    g = edge.guarantee
    assert (g.from_class, g.to_class) == (edge.source, edge.target)
    assert g.error == 0 and g.failure == 0 and g.samples == 0
    assert g.promise is None and not g.assumptions and not g.order
    if edge.access != "queries":
        assert g.queries == 0
    assert edge.access in ("representation", "queries")
    assert g.size_map[S.d] == S.d
    assert set(g.size_map) <= set(pd.CLASSES[edge.target].params)
    assert g.time != 0
    assert "THEORY §" in g.source or "DOI" in g.source or "arXiv" in g.source


@pytest.mark.parametrize("edge", EXACT, ids=_ids)
@given(data=st.data())
def test_equal_on_the_cube_and_within_the_size_map(edge, data):
    """The output equals the source on every point of the cube and its sizes are
    within the size map at the source's parameters."""
    bounds = {"max_d": MAX_D, **SOURCE_BOUNDS.get(edge.source, {}),
              **edge.domain}
    source = data.draw(pd.CLASSES[edge.source].strategy(**bounds), label="source")
    assert_exact(edge, source)


@pytest.mark.parametrize("edge", EXACT, ids=_ids)
def test_non_model_input_is_refused(edge):
    """A value that is no model of the source class gets a PacDistillError naming it."""
    with pytest.raises(pd.errors.PacDistillError, match="'model' parameter"):
        edge.run([[1, -1], [1, 1]])


def test_the_checks_can_fail():
    """The battery's checks reject a conversion that changes the function and one
    whose output is larger than its declared size map (private registry)."""
    mine: dict = {}

    def _edge(name, size_map, build):
        guarantee = Guarantee("exact", "parity", "parity", "a test double", time=S.k,
                              size_map=size_map)

        @register(name=name, source="parity", target="parity", guarantee=guarantee,
                  registry=mine)
        def run(model, /, **kwargs):
            return Result(build(model), {"samples_used": 0, "queries_used": 0, "seconds": 0.0})

        return run

    drop_one = _edge("drop_one", {S.d: S.d, S.k: S.k},
                     lambda p: pd.Parity(p.d, p.variables[1:]))
    with pytest.raises(AssertionError, match="different"):
        assert_exact(drop_one, pd.Parity(3, [0, 2]))
    too_small_map = _edge("too_small_map", {S.d: S.d, S.k: S.k - 1}, lambda p: p)
    with pytest.raises(AssertionError, match="past the declared map"):
        assert_exact(too_small_map, pd.Parity(3, [0, 2]))
    assert_exact(_edge("identity", {S.d: S.d, S.k: S.k}, lambda p: p), pd.Parity(3, [0, 2]))


def _tree(nested, d=4):
    return pd.DecisionTree.from_nested(d, nested)


#: For each exact edge whose size map names more than d: a source at which the
#: output's size *equals* the map for every size, so the declared maps are the
#: worst case over the class, not only upper bounds that happen to hold.
TIGHT_WITNESSES = {
    "conjunction_to_cnf": pd.Conjunction(5, [(0, 1), (2, -1), (4, 1)]),
    "conjunction_to_decision_list": pd.Conjunction(5, [(0, 1), (2, -1), (4, 1)]),
    "conjunction_to_dnf": pd.Conjunction(5, [(0, 1), (2, -1), (4, 1)]),
    # rules on distinct variables, the last one's output not the default: nothing simplifies
    "decision_list_to_tree": pd.DecisionList(5, [([(1, 1)], 1), ([(3, -1)], -1)], default=1),
    "dnf_to_relu": pd.DNF(4, [[(0, 1), (1, 1)], [(2, -1)]]),
    "halfspace_to_relu": pd.Halfspace([1.0, -2.0, 0.0], 0.5),
    "junta_to_tree": pd.Junta(5, [1, 3], [1, -1, -1, 1]),
    "parity_to_relu": pd.Parity(5, [0, 2, 4]),
    "parity_to_tree": pd.Parity(5, [0, 2, 4]),
    # every leaf +1: one term per leaf (s terms), each as wide as the depth
    "tree_to_dnf": _tree({"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": 1}}),
    # every leaf -1: one clause per leaf (s clauses), each as wide as the depth
    "tree_to_cnf": _tree({"var": 0, "plus": {"leaf": -1}, "minus": {"leaf": -1}}),
    # s - 1 internal nodes on distinct variables: k = s - 1
    "tree_to_junta": _tree({"var": 0, "plus": {"leaf": 1}, "minus": {
        "var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}}),
    "tree_to_relu": _tree({"var": 3, "plus": {"leaf": 1}, "minus": {"leaf": -1}}),
}


@pytest.mark.parametrize("edge", EXACT, ids=_ids)
def test_size_map_is_attained(edge):
    """THEORY §8's size maps are tight: each is reached exactly by a witness source
    (edges whose map names only d need none)."""
    if set(edge.guarantee.size_map) == {S.d}:
        return
    assert edge.name in TIGHT_WITNESSES, f"no tightness witness for {edge.name}"
    source = TIGHT_WITNESSES[edge.name]
    output = assert_exact(edge, source).model
    declared = declared_sizes(edge, source)
    assert {key: output.size()[key] for key in declared} == declared, (edge.name, declared)


#: Per source class, bounds for drawing sources past the cubes walked above (sizes
#: where a map that holds only on small sources would fail: trees with more leaves
#: than variables, long lists, wide DNFs). The tables are left out (d <= 20).
LARGE_BOUNDS: dict[str, dict[str, int]] = {
    "decision_tree": {"max_depth": 8}, "decision_list": {"max_l": 50},
    "dnf": {"max_s": 12, "max_w": 8}, "cnf": {"max_s": 12, "max_w": 8},
    "junta": {"max_k": 9}, "conjunction": {}, "halfspace": {},
    "parity": {"max_k": 12},  # a complete tree on k > 20 variables is refused (limit)
}


@pytest.mark.parametrize("edge", [e for e in EXACT if e.source in LARGE_BOUNDS
                                  and e.target != "lookup_table"], ids=_ids)
@given(data=st.data())
def test_size_map_holds_past_the_small_cubes(edge, data):
    """The size map bounds the output's size() for sources with d up to 40 too (no
    cube walk: only sizes), where the deep trees, long lists and wide formulas live."""
    bounds = {"min_d": 11, "max_d": 40, **LARGE_BOUNDS[edge.source], **edge.domain}
    source = data.draw(pd.CLASSES[edge.source].strategy(**bounds), label="source")
    output = edge.run(source).model
    assert_within_size_map(edge, source, output)
