"""ModelClass: the size formulas (sympy) are built on first use, so making and
using models, distributions and exact checks never imports sympy (DESIGN, "Stable
public names": heavy dependencies load on first use); the formulas, equality and
repr are what they were when built eagerly (THEORY §4, §8)."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import sympy

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.classes import ModelClass
from pacdistill.errors import InvalidCallError

ROOT = Path(__file__).resolve().parents[2]


def test_models_distributions_and_exact_checks_import_no_sympy():
    """In a fresh interpreter: every class's random member, its predictions, JSON
    round trip and size, a distribution's samples and pmf, an exact disagreement and
    an equivalence check load none of sympy, scipy, networkx, hypothesis (sympy was
    imported by every class module for its formulas); reading a formula then
    loads sympy (the check can fail)."""
    code = textwrap.dedent("""
        import json, sys
        import numpy as np
        import pacdistill as pd
        sizes = {"conjunction": {"d": 5, "k": 2}, "parity": {"d": 5, "k": 2},
                 "junta": {"d": 5, "k": 2}, "decision_tree": {"d": 5, "depth": 2},
                 "decision_list": {"d": 5, "l": 3}, "dnf": {"d": 5, "s": 2, "w": 2},
                 "cnf": {"d": 5, "s": 2, "w": 2}, "halfspace": {"d": 5},
                 "relu_network": {"d": 5, "m": 3}, "lookup_table": {"d": 5}}
        X = pd.cube.enumerate(5)
        models = [pd.CLASSES[name].random(0, **kw) for name, kw in sizes.items()]
        for m in models:
            assert pd.model_from_dict(json.loads(m.to_json())) == m
            m.predict(X), m.size(), str(m)
        D = pd.distributions.Mixture([pd.distributions.Product([0.3] * 5),
                                      pd.distributions.Subcube(5, {0: 1})])
        D.sample(10, rng=0), D.pmf_on_cube()
        assert pd.checkers.disagreement(models[0], models[1], D).exact
        assert pd.checkers.equivalent(models[2], models[2]).equal
        heavy = {"sympy", "scipy", "networkx", "hypothesis"}
        before = sorted({m.split(".")[0] for m in sys.modules} & heavy)
        pd.CLASSES["junta"].log_size
        after = sorted({m.split(".")[0] for m in sys.modules} & heavy)
        print(json.dumps([before, after]))
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    before, after = json.loads(done.stdout.splitlines()[-1])
    assert before == [] and "sympy" in after


#: The formulas of THEORY §4 / §8 as the classes declared them when they were built
#: eagerly (the class modules' docstrings give their derivations), DNF/CNF eval_time since
#: corrected.
EXPECTED = {
    "conjunction": ((S.d, S.k), S.k, sympy.log(3**S.d + 1), S.d),
    "parity": ((S.d, S.k), S.k, S.d * sympy.log(2), S.d),
    "junta": ((S.d, S.k), S.k,
              sympy.log(sympy.binomial(S.d, S.k)) + 2**S.k * sympy.log(2), None),
    "decision_tree": ((S.d, S.r, S.s), S.r,
                      (S.s - 1) * sympy.log(S.d) + S.s * sympy.log(2)
                      + sympy.log(sympy.catalan(S.s - 1)), None),
    "decision_list": ((S.d, S.l), S.l * S.d, S.l * sympy.log(4 * S.d) + sympy.log(2), None),
    # DNF/CNF: one point times the dense literal matrix, s sets x the variables that
    # occur (<= min(d, s w)); s w, the cost of a sparse evaluation, understated it (cb4d460)
    "dnf": ((S.d, S.s, S.w), S.s * sympy.Min(S.d, S.s * S.w),
            sympy.log((2 * S.d + 1) ** (S.s * S.w) + 1), None),
    "cnf": ((S.d, S.s, S.w), S.s * sympy.Min(S.d, S.s * S.w),
            sympy.log((2 * S.d + 1) ** (S.s * S.w) + 1), None),
    "halfspace": ((S.d,), S.d, None, S.d + 1),
    "relu_network": ((S.d, S.L, S.m), S.d * S.m + S.m**2, None, None),
    "lookup_table": ((S.d,), S.d, 2**S.d * sympy.log(2), 2**S.d),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_formulas_are_the_declared_ones_and_built_once(name):
    cls = pd.CLASSES[name]
    params, eval_time, log_size, vc_dim = EXPECTED[name]
    assert cls.params == params and cls.eval_time == eval_time
    assert cls.log_size == log_size and cls.vc_dim == vc_dim
    assert cls.params is cls.params and cls.eval_time is cls.eval_time  # built once
    assert tuple(str(p) for p in cls.params) == cls.size_names[:len(cls.params)]
    assert str(cls).startswith(f"{cls.title}[")


def _gen(rng, *, d):
    return pd.Parity(d, [0])


def test_eager_and_lazy_model_classes_agree():
    """A ModelClass given its formulas directly (the original form) equals the same
    class given them through ``formulas``, with the same repr and hash."""
    common = dict(name="toy", title="Toy", model_type=pd.Parity, generator=_gen,
                  description="a toy", size_names=("d",))
    eager = ModelClass(params=(S.d,), eval_time=S.d, vc_dim=S.d, **common)
    lazy = ModelClass(formulas=lambda: {"params": (S.d,), "eval_time": S.d, "vc_dim": S.d},
                      **common)
    assert lazy == eager and hash(lazy) == hash(eager) and repr(lazy) == repr(eager)
    assert lazy.log_size is None and lazy.random(0, d=3) == pd.Parity(3, [0])
    other = ModelClass(params=(S.d,), eval_time=S.d + 1, **common)
    assert other != eager
    for cls in (eager, lazy, pd.CLASSES["junta"]):  # replace rebuilds either form
        changed = dataclasses.replace(cls, description="changed")
        assert changed.description == "changed" and changed.params == cls.params
        assert changed.log_size == cls.log_size and changed != cls
    for cls in (eager, pd.CLASSES["junta"]):  # (lazy's formulas are a local lambda)
        assert pickle.loads(pickle.dumps(cls)) == cls
    assert np.array_equal(lazy.random(0, d=2).predict([[1, -1]]), [1])


def test_model_class_formulas_misuse_is_refused():
    common = dict(name="toy", title="Toy", model_type=pd.Parity, generator=_gen)
    with pytest.raises(InvalidCallError, match="not both"):
        ModelClass(params=(S.d,), formulas=lambda: {}, **common)
    with pytest.raises(InvalidCallError, match="needs params, eval_time"):
        ModelClass(**common)
    with pytest.raises(InvalidCallError, match="needs generator"):
        ModelClass(name="toy", title="Toy", model_type=pd.Parity, params=(S.d,),
                   eval_time=S.d)
    broken = ModelClass(formulas=lambda: {"params": (S.d,), "eval_tme": S.d}, **common)
    with pytest.raises(InvalidCallError, match="eval_tme"):
        _ = broken.params


def test_a_subclass_without_its_own_class_name_is_not_registered():
    """A user's subclass of a model type inherits its class_name; it used to be
    registered under it, so every later model_from_dict of that class returned the
    subclass (and the conformance harness's copies of sources changed type)."""
    from pacdistill.classes._base import MODEL_TYPES
    from pacdistill.errors import InvalidModelError

    class MyTree(pd.DecisionTree):
        pass

    assert MODEL_TYPES["decision_tree"] is pd.DecisionTree
    tree = pd.CLASSES["decision_tree"].random(0, d=4, depth=2)
    assert type(pd.model_from_dict(tree.to_dict())) is pd.DecisionTree

    with pytest.raises(InvalidModelError, match="'decision_tree'.*already the name of"):
        class Hijack(pd.DecisionTree):
            class_name = "decision_tree"
    assert MODEL_TYPES["decision_tree"] is pd.DecisionTree
