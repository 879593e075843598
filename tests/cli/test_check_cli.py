"""``pacdistill check`` (issue 7): check a reduction named by a registry name,
module:attr or file.py:attr, and replay a saved counterexample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pacdistill.cli import main

MUTANTS_FILE = Path(__file__).resolve().parents[1] / "checkers" / "_mutants.py"


def test_registered_edge_passes(capsys):
    assert main(["check", "junta_to_tree", "--trials", "5"]) == 0
    out = capsys.readouterr().out
    assert "junta_to_tree" in out and "passed" in out


def test_family_by_module_attr_runs_every_edge(capsys):
    code = main(["check", "pacdistill.reductions.learn_parity:learn_parity", "--trials", "4",
                 "--smoke-trials", "1", "--json"])
    reports = json.loads(capsys.readouterr().out)
    assert code == 0 and len(reports) == 10
    assert reports[0]["reduction"] == "learn_parity[parity]" and reports[0]["trials"] == 4
    assert {r["trials"] for r in reports[1:]} == {1}


def test_the_statistical_options_reach_the_check(capsys, tmp_path):
    """--eps, --delta, --level, --seed, --min-d, --max-d and --save-dir are passed on
    (the mutation dropping --eps survived the CLI tests: every test used the default
    eps). The report holds eps, delta and level; a failing edge's counterexample its
    dimension (the only d allowed), its seed and where it was saved."""
    code = main(["check", "learn_parity[parity]", "--trials", "3", "--eps", "0.2",
                 "--delta", "0.05", "--level", "1e-5", "--json"])
    (report,) = json.loads(capsys.readouterr().out)
    assert code == 0 and report["trials"] == 3
    assert (report["eps"], report["delta"], report["level"]) == (0.2, 0.05, 1e-5)
    args = ["check", f"{MUTANTS_FILE}:learn_parity_tenth", "--trials", "10", "--min-d", "9",
            "--max-d", "9", "--eps", "0.25", "--save-dir", str(tmp_path), "--json"]
    runs = []
    for seed in ("1", "2"):
        assert main([*args, "--seed", seed]) == 1
        (failed,) = json.loads(capsys.readouterr().out)
        runs.append(failed["counterexample"])
    assert {cx["values"]["d"] for cx in runs} == {9} and runs[0]["seed"] != runs[1]["seed"]
    assert all(Path(cx["path"]).parent == tmp_path for cx in runs)


def test_file_spec_failure_prints_a_replay_command_that_reproduces(capsys, tmp_path):
    spec = f"{MUTANTS_FILE}:junta_to_tree_rolled"
    assert main(["check", spec, "--trials", "20", "--save-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "failed" in out and "replay: pacdistill check" in out
    saved = sorted(tmp_path.glob("*.json"))
    assert len(saved) == 1
    assert main(["check", spec, "--replay", str(saved[0])]) == 1
    assert capsys.readouterr().out.startswith("REPRODUCED")
    assert main(["check", "junta_to_tree", "--replay", str(saved[0]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reproduced"] is False


@pytest.mark.parametrize(("spec", "match"), [
    ("no_such_module_xyz:thing", "cannot import"),
    (f"{MUTANTS_FILE}:missing", "no attribute"),
    ("pacdistill.reductions.junta_to_tree:complete_tree", "not a Reduction"),
    ("pacdistill.reductions.learn_parity:learn_parity[nowhere]", "not a family"),
    ("no_such_edge", "Unknown reduction"),
    ("nope.py:x", "no such file"),
], ids=["module", "attr", "not_reduction", "family_edge", "name", "file"])
def test_bad_specs_exit_2(capsys, spec, match):
    assert main(["check", spec]) == 2
    assert match in capsys.readouterr().err


def test_bad_replay_file_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert main(["check", "junta_to_tree", "--replay", str(bad)]) == 2
    assert "Counterexample" in capsys.readouterr().err


@pytest.mark.parametrize("text, error", [
    ("def f(:\n    pass\n", "SyntaxError: invalid syntax"),
    ("x = 1\nraise RuntimeError('boom at import')\n", "RuntimeError: boom at import"),
])
def test_a_module_that_fails_to_import_exits_2_with_its_error(capsys, tmp_path, text, error):
    """The user's module raising on import is a usage error (exit 2, the exception
    and its line on stderr), not a traceback with exit 1 (which means 'failed')."""
    path = tmp_path / "mine.py"
    path.write_text(text)
    assert main(["check", f"{path}:f"]) == 2
    err = capsys.readouterr().err
    assert error in err and "line" in err and "Traceback" not in err


def test_help_states_the_harness_defaults(capsys):
    """The defaults --help states are check_reduction's (before: 'largest
    dimension (default 8)', while exact edges default to 10)."""
    import re

    from pacdistill.checkers import conformance as C

    assert main(["check", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert (f"else {C.DEFAULT_MAX_D_EXACT} for exact edges, at most {C.EXACT_MAX_D}; "
            f"{C.DEFAULT_MAX_D} for statistical trials, at most {C.STATISTICAL_MAX_D}") in text
    assert f"statistical trials (default {C.DEFAULT_MIN_D})" in text
    assert re.search(rf"statistical trials \(default {C.DEFAULT_TRIALS}\) or hypothesis "
                     rf"examples of an exact edge \(default {C.DEFAULT_EXAMPLES}\)", text)
    assert f"(default: ${C.COUNTEREXAMPLE_DIR_ENV}, else pacdistill-" in text  # --save-dir


def test_a_registry_dict_names_the_reductions_to_check(capsys, tmp_path):
    """`pacdistill check file.py:mine` on the private registry dict the README and
    notebook 04 register into says which names to check (before: 'is a dict, not
    a Reduction (decorate the function with ... register)', though it was)."""
    path = tmp_path / "edges.py"
    path.write_text(
        "import pacdistill as pd\n"
        "from pacdistill.reductions import REGISTRY, Result, register\n"
        "mine = {}\n"
        "@register(name='copy_of_tree_to_dnf', source='decision_tree', target='dnf',\n"
        "          guarantee=REGISTRY['tree_to_dnf'].guarantee, registry=mine)\n"
        "def my_edge(tree, /, **kw):\n"
        "    return REGISTRY['tree_to_dnf'].run(tree)\n")
    assert main(["check", f"{path}:mine"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "a registry (a dict of 1 reductions), not one reduction; name one:" in err
    assert f"{path}:my_edge" in err


def test_progress_is_shown_on_a_terminal_only(capsys, monkeypatch):
    """On a terminal, `pacdistill check` shows done/total of the running check on
    stderr and clears it; piped (or --json), nothing (before: nothing at all)."""
    import sys

    assert main(["check", "learn_parity[parity]", "--trials", "3"]) == 0
    assert "checking:" not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert main(["check", "learn_parity[parity]", "--trials", "3"]) == 0
    err = capsys.readouterr().err
    assert "checking: 3/3" in err and err.endswith("\r")


@pytest.mark.parametrize("options, message", [
    # an exact edge uses no eps, delta or smoke trials: the bad values passed (exit 0)
    (["--eps", "1.5"], "The '--eps' parameter of pacdistill check must be a real number "
                       "in (0, 1). Got 1.5 instead."),
    (["--delta", "0"], "The '--delta' parameter of pacdistill check"),
    (["--smoke-trials", "-2"], "The '--smoke-trials' parameter of pacdistill check must be "
                               "an integer >= 1. Got -2 instead."),
    # these were refused under check_reduction's names ('trials', 'max_d')
    (["--trials", "-1"], "The '--trials' parameter of pacdistill check must be an integer "
                         ">= 1. Got -1 instead."),
    (["--max-d", "0"], "The '--max-d' parameter of pacdistill check"),
    (["--max-d", "17"], "The '--max-d' parameter of pacdistill check must be an integer in "
                        "[1, 16]. Got 17 instead."),
    (["--level", "2"], "The '--level' parameter of pacdistill check"),
    (["--deadline", "-1"], "The '--deadline' parameter of pacdistill check"),
    (["--seed", "-3"], "The '--seed' parameter of pacdistill check"),
])
def test_options_are_checked_by_the_names_typed_before_any_work(capsys, options, message):
    assert main(["check", "junta_to_tree", *options]) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert "check_reduction" not in err


def test_max_d_is_bounded_by_every_edge_checked(capsys):
    """A statistical edge allows 12; the message names --max-d, not max_d."""
    assert main(["check", "learn_junta[junta]", "--max-d", "13"]) == 2
    assert ("The '--max-d' parameter of pacdistill check must be an integer in [1, 12]. "
            "Got 13 instead.") in capsys.readouterr().err


def test_a_save_dir_that_cannot_be_a_directory_is_refused_first(capsys, tmp_path):
    """`--save-dir FILE` was accepted; a failing check then saved its
    counterexample with mkdir and ended in a bare FileExistsError traceback."""
    file = tmp_path / "a_file"
    file.write_text("")
    for save_dir in (file, file / "below"):
        assert main(["check", "junta_to_tree", "--save-dir", str(save_dir)]) == 2
        err = capsys.readouterr().err
        assert f"The '--save-dir' directory {str(save_dir)!r} cannot be made" in err
        assert f"{str(file)!r} is a file" in err


def test_an_untestable_check_exits_1_as_the_help_says(capsys):
    """A check that could not run (no trial before the deadline) exits 1, which
    the help described only as 'a check failed'."""
    assert main(["check", "learn_junta[junta]", "--deadline", "0"]) == 1
    assert "UNTESTABLE: no trial ran" in capsys.readouterr().out
    assert main(["check", "--help"]) == 0
    assert "1 a check failed, or could not run (untestable" in " ".join(
        capsys.readouterr().out.split())
