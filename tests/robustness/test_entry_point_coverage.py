"""Every public entry point is fuzzed (issue 9, deliverable 1), checked rather
than claimed: the public functions and classes (the ``__all__`` of the package
and of each subpackage) and every command of the CLI are listed by
introspection and compared with the entry points the fuzz tests declare
(``fuzz_entry`` of each test built by ``_fuzzing.fuzz``).

A public name is either mapped to the fuzz entries that reach it (``FUZZED``)
or exempt with the reason (``EXEMPT``). A new public function, class or CLI
command fails ``test_every_public_name_is_fuzzed_or_exempt`` until it is fuzzed
or its exemption is written down; a mapping to an entry no test declares fails
``test_the_mapped_entries_exist``.

Methods of the public classes are not listed one by one; the ones that take
untrusted input are mapped below where they are fuzzed.
"""

import argparse
import functools
import importlib
import inspect
from pathlib import Path

from pacdistill import cli

#: the modules whose ``__all__`` is the public API
PUBLIC_MODULES = ("pacdistill", "pacdistill.classes", "pacdistill.bounds", "pacdistill.checkers",
                  "pacdistill.checkers.strategies", "pacdistill.distributions",
                  "pacdistill.distill", "pacdistill.distill.baselines", "pacdistill.reductions",
                  "pacdistill.cube", "pacdistill.web")

#: public name -> the fuzz entries that exercise it
FUZZED = {
    # models: constructors, loaders, membership, prediction
    "pacdistill.Model": ("Model.predict",),
    "pacdistill.ModelClass": ("ModelClass.random", "ModelClass.contains"),
    "pacdistill.model_from_dict": ("model_from_dict",),
    "pacdistill.model_from_json": ("model_from_json", "model_from_json(bytes)"),
    "pacdistill.Conjunction": ("Conjunction", "Model.from_dict"),
    "pacdistill.Parity": ("Parity", "Model.from_dict"),
    "pacdistill.Junta": ("Junta", "Model.from_dict"),
    "pacdistill.DecisionTree": ("DecisionTree", "DecisionTree.from_nested", "Model.from_dict"),
    "pacdistill.DecisionList": ("DecisionList", "Model.from_dict"),
    "pacdistill.DNF": ("DNF", "Model.from_dict"),
    "pacdistill.CNF": ("CNF", "Model.from_dict"),
    "pacdistill.Halfspace": ("Halfspace", "Model.from_dict"),
    "pacdistill.ReLUNetwork": ("ReLUNetwork.from_arrays", "ReLUNetwork.from_npz",
                               "ReLUNetwork.activations/output", "Model.from_dict"),
    "pacdistill.LookupTable": ("LookupTable", "Model.from_dict"),
    # distillation
    "pacdistill.distill_junta": ("distill_junta", "cli distill junta"),
    "pacdistill.distill_tree": ("distill_tree", "cli distill tree"),
    "pacdistill.distill.planted_network": ("distill.planted_network/random_features",),
    "pacdistill.distill.random_features": ("distill.planted_network/random_features",),
    "pacdistill.distill.from_callables": ("distill.from_callables",),
    "pacdistill.distill.CallableModel": ("distill.from_callables",),
    "pacdistill.distill.baselines.cart_baseline": ("distill.baselines (cart, all_ands)",),
    "pacdistill.distill.baselines.all_ands_baseline": ("distill.baselines (cart, all_ands)",),
    # the web
    "pacdistill.ReductionWeb": ("web.routes", "web.status/compare/edges/barriers",
                                "ReductionWeb.from_json", "ReductionWeb.from_registry/add",
                                "ReductionWeb.draw", "cli export", "cli separations"),
    "pacdistill.Route": ("Route.run",),
    "pacdistill.default_web": ("web.routes",),
    # bounds
    "pacdistill.bounds.Guarantee": ("Guarantee.from_dict", "Guarantee.from_dict(json text)",
                                    "Guarantee.at"),
    "pacdistill.bounds.ComposedGuarantee": ("ComposedGuarantee.from_dict",),
    "pacdistill.bounds.compose": ("bounds.compose/compose_all/default_split",),
    "pacdistill.bounds.compose_all": ("bounds.compose/compose_all/default_split",),
    "pacdistill.bounds.default_split": ("bounds.compose/compose_all/default_split",),
    "pacdistill.bounds.CatalogEntry": ("CatalogEntry.evaluate", "bounds.catalog[name]"),
    "pacdistill.bounds.samples_needed": ("bounds.samples_needed", "cli bound samples"),
    "pacdistill.bounds.eps_achievable": ("bounds.eps_achievable",),
    "pacdistill.bounds.parse": ("bounds.parse(random text)", "bounds.parse(expressions)",
                                "bounds.parse(non-text)"),
    "pacdistill.bounds.parse_assumptions": ("bounds.parse_assumptions",),
    "pacdistill.bounds.check": ("bounds.check(random text)", "bounds.check(claims)",
                                "bounds.check(non-text)", "cli bound check"),
    # checkers
    "pacdistill.checkers.clopper_pearson": ("checkers.clopper_pearson",),
    "pacdistill.checkers.disagreement": ("checkers.disagreement",),
    "pacdistill.checkers.equivalent": ("checkers.equivalent",),
    "pacdistill.checkers.Counterexample": ("checkers.replay",),
    "pacdistill.checkers.replay": ("checkers.replay", "cli check"),
    "pacdistill.checkers.check_reduction": ("checkers.check_reduction", "cli check"),
    "pacdistill.checkers.check_family": ("checkers.check_family",),
    "pacdistill.checkers.strategies.for_class": ("strategies.for_class",),
    # distributions
    "pacdistill.distributions.Distribution": ("Distribution.sample/pmf",),
    "pacdistill.distributions.Uniform": ("distributions.Uniform",),
    "pacdistill.distributions.Product": ("distributions.Product",),
    "pacdistill.distributions.Subcube": ("distributions.Subcube",),
    "pacdistill.distributions.Mixture": ("distributions.Mixture",),
    "pacdistill.distributions.FiniteSupport": ("distributions.FiniteSupport",),
    "pacdistill.distributions.Empirical": ("distributions.Empirical",),
    "pacdistill.distributions.distribution_from_dict": ("distribution_from_dict",),
    # reductions
    "pacdistill.reductions.Reduction": ("reductions: exact conversions", "reductions: learners",
                                        "reductions: query_junta and lrh_tree edges"),
    "pacdistill.reductions.ReductionFamily": ("reductions: learners",),
    "pacdistill.reductions.get": ("reductions.get",),
    "pacdistill.reductions.register": ("reductions.register/register_barrier",),
    "pacdistill.reductions.register_barrier": ("reductions.register/register_barrier",),
    # the cube
    "pacdistill.cube.enumerate": ("cube",),
    "pacdistill.cube.chunks": ("cube",),
    "pacdistill.cube.index": ("cube",),
    "pacdistill.cube.check_enumerable": ("cube",),
    "pacdistill.cube.check_literals": ("cube",),
    "pacdistill.cube.points": ("cube.points/literals_hold/and_of_literals",),
    "pacdistill.cube.literals_hold": ("cube.points/literals_hold/and_of_literals",),
    "pacdistill.cube.and_of_literals": ("cube.points/literals_hold/and_of_literals",),
}

#: public name -> why it is not fuzzed
_RESULT = "a result value the library builds (its fields are not user input)"
_STRATEGY = ("a hypothesis strategy for the user's own property tests: its bounds are "
             "test-author input, not data; strategies.for_class is fuzzed")
EXEMPT = {
    "pacdistill.JuntaDistillation": _RESULT,
    "pacdistill.TreeDistillation": _RESULT,
    "pacdistill.Status": _RESULT,
    "pacdistill.bounds.GuaranteeValues": _RESULT,
    "pacdistill.bounds.Verdict": _RESULT,
    "pacdistill.checkers.Estimate": _RESULT,
    "pacdistill.checkers.Equivalence": _RESULT,
    "pacdistill.checkers.ConformanceReport": _RESULT,
    "pacdistill.checkers.ReplayResult": _RESULT,
    "pacdistill.distill.Frontier": _RESULT,
    "pacdistill.distill.FrontierPoint": _RESULT,
    "pacdistill.distill.baselines.Baseline": _RESULT,
    "pacdistill.distill.PlantedRepresentation": "built by planted_network (fuzzed)",
    "pacdistill.distill.RandomFeatures": "built by random_features (fuzzed)",
    "pacdistill.distill.Representation": "an abstract base class",
    "pacdistill.reductions.Result": _RESULT,
    "pacdistill.web.Hardness": _RESULT,
    "pacdistill.web.Separation": _RESULT,
    "pacdistill.web.Contradiction": _RESULT,
    "pacdistill.web.Comparison": _RESULT,
    "pacdistill.bounds.class_sizes": "takes no arguments",
    "pacdistill.bounds.Promise": "a two-field value of Guarantee, fuzzed through "
                                 "Guarantee.from_dict",
    "pacdistill.checkers.QueryCounter": "wraps a model and counts predict calls; the "
                                        "model's predict (fuzzed) checks the points",
    "pacdistill.checkers.assert_conforms": "check_reduction (fuzzed) with an assertion",
    "pacdistill.checkers.conformance_test": "builds a pytest test of check_reduction (fuzzed)",
    "pacdistill.reductions.register_family": "a decorator for reduction authors; its "
                                             "arguments are code, like register's",
    "pacdistill.distill.baselines.count_ands": "a formula on two sizes (math.comb)",
    **{f"pacdistill.checkers.strategies.{name}": _STRATEGY for name in (
        "conjunctions", "parities", "juntas", "decision_trees", "decision_lists", "dnfs",
        "cnfs", "halfspaces", "relu_networks", "lookup_tables", "uniform_distributions",
        "product_distributions", "subcube_distributions", "finite_support_distributions",
        "empirical_distributions", "mixture_distributions", "distributions", "eps_deltas",
        "class_params")},
}


def public_names():
    """'module.name' of every public function and class (not exceptions, constants
    or modules), each under the first module that exports it."""
    seen, names = set(), []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not callable(obj) or id(obj) in seen:
                continue
            if isinstance(obj, type) and issubclass(obj, BaseException):
                continue
            seen.add(id(obj))
            names.append(f"{module_name}.{name}")
    return names


def cli_commands():
    """'cli <command> [<subcommand>]' for every leaf command of the parser."""
    def walk(parser, prefix):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            return [prefix]
        return [leaf for action in subs for name, child in action.choices.items()
                for leaf in walk(child, f"{prefix} {name}")]
    return walk(cli.build_parser(), "cli")


@functools.cache
def fuzz_entries():
    """entry -> test name, over every fuzz test in tests/robustness."""
    entries = {}
    for path in sorted(Path(__file__).parent.glob("test_fuzz_*.py")):
        module = importlib.import_module(path.stem)
        for obj in vars(module).values():
            entry = getattr(obj, "fuzz_entry", None)
            if entry is not None and callable(obj):
                entries[entry] = f"{path.name}::{obj.__name__}"
    return entries


def test_every_public_name_is_fuzzed_or_exempt():
    missing = [name for name in public_names() if name not in FUZZED and name not in EXEMPT]
    assert not missing, f"public names neither fuzzed nor exempt: {missing}"


def test_no_stale_names():
    names = set(public_names())
    stale = (set(FUZZED) | set(EXEMPT)) - names
    assert not stale, f"mapped or exempt but not public: {sorted(stale)}"
    assert not set(FUZZED) & set(EXEMPT)


def test_the_mapped_entries_exist():
    unknown = {name: [e for e in entries if e not in fuzz_entries()]
               for name, entries in FUZZED.items()}
    unknown = {name: entries for name, entries in unknown.items() if entries}
    assert not unknown, f"mapped to entries no fuzz test declares: {unknown}"


def test_every_cli_command_is_fuzzed():
    commands = cli_commands()
    assert {"cli demo", "cli bound samples", "cli distill tree", "cli check"} <= set(commands)
    missing = [c for c in commands if c not in fuzz_entries()]
    assert not missing, f"CLI commands without a fuzz test: {missing}"
    assert "cli (top level)" in fuzz_entries()


def test_the_lists_are_not_empty():
    """The introspection finds the API (an empty list would make the checks vacuous)."""
    assert len(public_names()) > 100 and len(fuzz_entries()) > 50
    assert {"pacdistill.model_from_json", "pacdistill.bounds.parse",
            "pacdistill.ReductionWeb"} <= set(public_names())
