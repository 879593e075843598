"""A user's reduction, property-tested in one line (issue 7 acceptance; README
"Property-test your own reduction" shows the block between the markers, and the
last test keeps the two identical)."""

import os
import re
import subprocess
import sys
from pathlib import Path

# --- README example ---
import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee
from pacdistill.reductions import Result, register


@register(name="my_parity_to_junta", source="parity", target="junta", registry={},
          guarantee=Guarantee("exact", "parity", "junta", "derived here: a k-parity is a k-junta",
                              time=2**S.k, size_map={S.d: S.d, S.k: S.k}))
def my_parity_to_junta(parity, /, **kwargs):
    """The parity's table on its own variables: entry j is (-1)^(number of 1 bits of j)."""
    table = [(-1) ** bin(j).count("1") for j in range(2 ** len(parity.variables))]
    junta = pd.Junta(parity.d, parity.variables, table)
    return Result(junta, {"samples_used": 0, "queries_used": 0})


test_my_parity_to_junta = pd.checkers.conformance_test(my_parity_to_junta)
# --- end of README example ---


def test_with_the_plugin_fixture(conformance, pytestconfig):
    """The same check through the pytest plugin's fixture (entry point pytest11)."""
    assert pytestconfig.pluginmanager.has_plugin("pacdistill")
    (report,) = conformance(my_parity_to_junta)
    assert report.passed and report.trials == pd.checkers.conformance.DEFAULT_EXAMPLES


@register(name="broken", source="parity", target="junta", registry={},
          guarantee=my_parity_to_junta.guarantee)
def broken(p, /, **kwargs):
    """A constant table: wrong for every parity of at least one variable."""
    return Result(pd.Junta(p.d, p.variables, [1] * 2 ** len(p.variables)),
                  {"samples_used": 0, "queries_used": 0})


def test_the_fixture_fails_a_broken_reduction(conformance):
    """The fixture is not a rubber stamp: a constant table is caught, and the
    message gives the command replaying the saved counterexample."""
    try:
        conformance(broken)
    except AssertionError as err:
        assert "different function" in str(err) and "replay: pacdistill check" in str(err)
    else:
        raise AssertionError("the broken reduction passed")


def test_readme_shows_this_example():
    """README's 'Property-test your own reduction' block is the example above, and
    the reduction is at most 15 lines (its decorator and function)."""
    here = Path(__file__).read_text()
    example = here.split("# --- README example ---\n")[1].split("# --- end of README")[0]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = re.search(r"## Property-test your own reduction.*?```python\n(.*?)```", readme, re.S)
    assert block and block.group(1).strip() == example.strip()
    reduction = example.split("@register")[1].split("\n\n\ntest_")[0]
    assert len(reduction.strip().splitlines()) <= 15
    # the whole test file of the example, imports and the one-line test included
    assert len([line for line in example.splitlines() if line.strip()]) <= 15


PLUGIN_OPTIONS_TEST = '''
import pytest
from pacdistill.checkers import check_reduction
from pacdistill.errors import GuaranteeViolation
from pacdistill.reductions import REGISTRY, register


@register(name="always_raises", source="parity", target="parity", registry={},
          guarantee=REGISTRY["learn_parity[parity]"].guarantee)
def always_raises(f, /, **kwargs):
    raise RuntimeError("no")


def test_options(conformance, tmp_path):
    with pytest.raises(GuaranteeViolation) as info:
        conformance(always_raises)
    (cx,) = info.value.counterexample
    assert "4 of 4 trials failed" in str(info.value)
    expected = check_reduction(always_raises, seed=7, trials=4, save_dir=tmp_path)
    assert (cx.seed, cx.trial) == (expected.counterexample.seed, expected.counterexample.trial)
'''


def test_the_plugin_options_set_the_fixture_defaults(tmp_path):
    """`pytest --conformance-trials 4 --conformance-seed 7` makes every conformance()
    call run 4 trials from seed 7 (the options had no test: the mutation dropping
    --conformance-trials survived). Run in a fresh pytest, as a user would."""
    (tmp_path / "test_options.py").write_text(PLUGIN_OPTIONS_TEST)
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--conformance-trials", "4", "--conformance-seed", "7", "test_options.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_loading_the_plugin_imports_no_library():
    """The plugin, which pytest loads in every run, imports pacdistill's lazy shell
    only: no numpy, scipy, sympy, hypothesis or harness (its docstring says so)."""
    code = ("import sys, pacdistill.checkers.pytest_plugin; print(sorted(m for m in "
            "('numpy', 'scipy', 'sympy', 'hypothesis', 'pacdistill.checkers.conformance') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr
