"""Lazy imports (PEP 562): ``import pacdistill`` and the command line's help
load none of the heavy dependencies, and every public name still resolves to
the object it named when the package imported everything eagerly.

Each check runs in a fresh interpreter (``sys.modules`` of this test process
holds everything the other tests imported). Timings are not tested here:
``benchmarks/bench_startup.py`` measures them.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pacdistill as pd

ROOT = Path(__file__).resolve().parents[1]

#: what neither ``import pacdistill`` nor ``pacdistill ... --help`` may load
HEAVY = ("sympy", "networkx", "hypothesis", "scipy", "sklearn", "matplotlib", "rich")

#: the packages whose public names load on first use
LAZY_PACKAGES = ("pacdistill", "pacdistill.bounds", "pacdistill.checkers", "pacdistill.distill")


def run_python(code: str, *args: str) -> str:
    """Run ``code`` in a fresh interpreter from the repository root; its stdout."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def heavy_loaded_after(code: str, *args: str) -> list[str]:
    """The HEAVY top-level packages in ``sys.modules`` after ``code`` ran."""
    out = run_python(textwrap.dedent(code) + textwrap.dedent(f"""
        import json as _json, sys as _sys
        print(_json.dumps(sorted({{m.split(".")[0] for m in _sys.modules}} & {set(HEAVY)!r})))
        """), *args)
    return json.loads(out.splitlines()[-1])


def test_import_pacdistill_loads_no_heavy_dependency():
    assert heavy_loaded_after("import pacdistill") == []


def test_the_checker_can_fail():
    """The subprocess check sees a heavy import when there is one."""
    assert heavy_loaded_after("import pacdistill; pacdistill.default_web()") != []


def test_building_the_parser_loads_no_heavy_dependency():
    assert heavy_loaded_after("from pacdistill.cli import build_parser; build_parser()") == []


#: every command and group of the command line, as argv before --help
#: (``bound samples --help`` lists the catalog's entries, so it loads the catalog)
HELP_ARGV = [[], ["demo"], ["classes"], ["bound"], ["bound", "check"], ["edges"], ["status"],
             ["separations"], ["export"], ["route"], ["compare"], ["check"], ["distill"],
             ["distill", "tree"], ["distill", "junta"]]


@pytest.mark.parametrize("argv", HELP_ARGV, ids=lambda argv: " ".join(argv) or "top")
def test_help_loads_no_heavy_dependency(argv):
    code = """
        import contextlib, io, sys
        from pacdistill.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(sys.argv[1:])
        assert code == 0 and out.getvalue().startswith("usage: pacdistill"), (code, out.getvalue())
        """
    assert heavy_loaded_after(code, *argv, "--help") == []


def test_every_command_help_is_listed():
    """HELP_ARGV covers every command of the parser (a new command gets tested)."""
    from pacdistill.cli import build_parser

    def commands(parser, prefix):
        for action in parser._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                for name, sub in action.choices.items():
                    yield [*prefix, name]
                    yield from commands(sub, [*prefix, name])

    assert sorted(commands(build_parser(), [])) == sorted(
        [argv for argv in HELP_ARGV if argv] + [["bound", "samples"]])


def test_python_m_pacdistill_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "pacdistill", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.startswith("usage: pacdistill")


def _type_checking_imports(package: str) -> dict[str, str]:
    """name -> "module:attr" (attr "" for a module) of the ``if TYPE_CHECKING:``
    block of ``package``'s __init__: the imports the package made eagerly."""
    path = ROOT / Path(*package.split(".")) / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    names = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1, ast.dump(node)
        base = package + ("." + node.module if node.module else "")
        for alias in node.names:
            names[alias.asname or alias.name] = (f"{base}.{alias.name}:" if node.module is None
                                                 else f"{base}:{alias.name}")
    return names


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_public_name_resolves_to_its_eager_object(package):
    """In a fresh interpreter, each name of ``__all__`` resolves (attribute and
    ``from ... import``) to the object the eager import (the TYPE_CHECKING block)
    names, ``dir`` lists it, and the block and ``__all__`` agree."""
    expected = _type_checking_imports(package)
    out = run_python("""
        import importlib, json, sys
        package, expected = sys.argv[1], json.loads(sys.argv[2])
        module = importlib.import_module(package)
        assert set(module.__all__) <= set(dir(module)), set(module.__all__) - set(dir(module))
        eager = set()
        for name in module.__all__:
            value = getattr(module, name)
            namespace = {}
            exec(f"from {package} import {name} as value", namespace)
            assert namespace["value"] is value, name
            if name in expected:
                where, attr = expected[name].split(":")
                target = importlib.import_module(where)
                assert value is (getattr(target, attr) if attr else target), name
                eager.add(name)
        print(json.dumps(sorted(eager)))
        """, package, json.dumps(expected))
    resolved = json.loads(out)
    module = importlib.import_module(package)
    assert sorted(expected) == resolved  # every TYPE_CHECKING name is public and resolved
    assert set(module.__all__) - set(expected) <= {"__version__", "errors"}


@pytest.mark.parametrize("first", ["pacdistill.bounds.catalog", "pacdistill.bounds.compose"])
def test_a_name_shadowing_its_submodule_stays_the_object(first):
    """``pd.bounds.catalog`` is the mapping and ``pd.bounds.compose`` the function,
    even when their submodule was imported before the name was used."""
    out = run_python(f"""
        import types
        import {first}
        import pacdistill as pd
        from pacdistill.bounds import catalog, compose
        assert pd.bounds.catalog is catalog and pd.bounds.compose is compose
        print(type(catalog).__name__, type(compose).__name__,
              isinstance(pd.bounds.catalog, types.ModuleType), callable(compose))
        print(pd.bounds.catalog["hoeffding"].name)
        """)
    assert out.split() == ["_Catalog", "function", "False", "True", "hoeffding"]


def test_the_model_classes_do_not_load_the_web_or_the_checkers():
    out = run_python("""
        import sys
        import pacdistill as pd
        print(len(pd.CLASSES), pd.Junta.__name__)
        print(sorted(m for m in ("pacdistill.web", "pacdistill.reductions",
                                 "pacdistill.checkers.strategies", "networkx", "hypothesis")
                     if m in sys.modules))
        """)
    assert out.splitlines() == ["10 Junta", "[]"]


def test_model_from_dict_first_thing_reads_every_class():
    """``pd.model_from_dict`` used before anything else knows every model type."""
    sizes = {"conjunction": {"d": 6, "k": 2}, "parity": {"d": 6, "k": 3},
             "junta": {"d": 6, "k": 2}, "decision_tree": {"d": 6, "depth": 2},
             "decision_list": {"d": 6, "l": 3, "w": 2}, "dnf": {"d": 6, "s": 2, "w": 2},
             "cnf": {"d": 6, "s": 2, "w": 2}, "halfspace": {"d": 6},
             "relu_network": {"d": 6, "L": 1, "m": 3}, "lookup_table": {"d": 4}}
    assert sorted(sizes) == sorted(pd.CLASSES)
    records = [pd.CLASSES[name].random(i, **params).to_dict()
               for i, (name, params) in enumerate(sizes.items())]
    out = run_python("""
        import json, sys
        import pacdistill as pd
        records = json.loads(sys.argv[1])
        print(json.dumps([pd.model_from_dict(r).to_dict() for r in records]))
        """, json.dumps(records))
    assert json.loads(out) == json.loads(json.dumps(records))


def test_a_pickled_model_loads_in_a_fresh_interpreter():
    import pickle

    model = pd.CLASSES["decision_tree"].random(3, d=7, depth=3)
    out = run_python("""
        import json, pickle, sys
        model = pickle.loads(bytes.fromhex(sys.argv[1]))
        print(json.dumps(model.to_dict()))
        """, pickle.dumps(model).hex())
    assert json.loads(out) == json.loads(json.dumps(model.to_dict()))


def test_the_default_web_sees_every_reduction_module():
    """The web built first thing holds the edge of every module under
    pacdistill/reductions (imported one by one afterwards), no more, no less."""
    out = run_python("""
        import importlib, json, pkgutil
        import pacdistill as pd
        web = pd.default_web()
        edges = sorted(key for _, _, key in web.graph.edges(keys=True))
        import pacdistill.reductions as reductions
        for info in pkgutil.iter_modules(reductions.__path__):
            importlib.import_module(f"pacdistill.reductions.{info.name}")
        print(json.dumps([edges, sorted(reductions.REGISTRY)]))
        """)
    edges, registered = json.loads(out)
    assert edges and edges == registered


def test_the_cli_choices_are_the_library_values():
    """pacdistill._cli._choices copies option values so --help needs no heavy module."""
    from pacdistill import web
    from pacdistill._cli import _choices
    from pacdistill.bounds import guarantee
    from pacdistill.reductions import _registry

    sources = {"KINDS": guarantee, "ACCESS": _registry, "PROMISES": web, "RANKS": web,
               "SETTINGS": web, "FORMATS": web}
    assert sorted(sources) == sorted(_choices.__all__)
    for name, module in sources.items():
        assert tuple(getattr(_choices, name)) == tuple(getattr(module, name)), name


def test_hypothesis_knows_the_model_types_without_naming_the_strategies():
    """``st.from_type(pd.DNF)`` works after ``import pacdistill`` alone, as when the
    package imported its strategies eagerly: hypothesis's entry point (pyproject)
    imports them when hypothesis itself is imported."""
    out = run_python("""
        import sys
        import pacdistill as pd
        assert "pacdistill.checkers.strategies" not in sys.modules
        from hypothesis import given, settings, strategies as st
        drawn = []
        @settings(max_examples=3, database=None)
        @given(st.from_type(pd.DNF), st.from_type(pd.distributions.Distribution))
        def draw(model, dist):
            is_distribution = isinstance(dist, pd.distributions.Distribution)
            drawn.append(f"{type(model).__name__} {is_distribution}")
        draw()
        print(drawn[0])
        """)
    assert out.strip() == "DNF True"


def test_the_pytest_plugin_entry_point_loads():
    from importlib.metadata import entry_points

    (plugin,) = [e for e in entry_points(group="pytest11") if e.name == "pacdistill"]
    module = plugin.load()
    assert callable(module.conformance) and callable(module.pytest_addoption)


def test_the_hypothesis_hook_warns_instead_of_raising(monkeypatch):
    """The entry point runs inside every `import hypothesis`: a pacdistill whose
    strategies cannot import must not break hypothesis for unrelated code."""
    import importlib

    import pacdistill.checkers as checkers

    def broken(name, *args, **kwargs):
        raise ImportError(f"simulated: {name}")

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.warns(RuntimeWarning, match="could not register its hypothesis strategies.*"
                                           "simulated: pacdistill.checkers.strategies"):
        checkers._register_strategies()
