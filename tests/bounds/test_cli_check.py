"""``pacdistill bound check``: output and exit codes (0 proved, 1 refuted,
3 undecided, 2 usage error), issue 3 item 7."""

import json

import pytest

from pacdistill.cli import main

UNIT = "0 < eps < 1, 0 < delta < 1, d >= 1"


@pytest.mark.parametrize("argv, code, status", [
    (["log(2/delta)/eps <= 2*log(2/delta)/eps", "--assume", UNIT], 0, "proved"),
    (["d**2 = O(d**3) as d -> oo"], 0, "proved"),
    (["log(2/delta)/eps <= d/eps", "--assume", UNIT], 1, "refuted"),
    (["d**3 = O(d**2) as d -> oo"], 1, "refuted"),
    (["log(d) <= sqrt(d)", "--points", "300"], 3, "undecided"),
    # second audit: a limit sympy takes for generic delta (false at delta = 1) is not
    # a proof; with delta < 1 it is, from limits in eps alone
    (["1/eps = O(log(1/delta)/eps**2) as eps -> 0"], 3, "undecided"),
    (["1/eps = O(log(1/delta)/eps**2) as eps -> 0", "--assume", "delta < 1"], 0, "proved"),
    (["k*d = O(d) as d -> oo"], 0, "proved"),
    (["floor(eps + 1/2) == 0", "--assume", "eps <= 1/2"], 1, "refuted"),
    (["floor(eps + 1/2) == 0", "--assume", "eps < 1/2"], 0, "proved"),
    (["ceiling(eps) <= eps + 1", "--points", "300"], 3, "undecided"),
])
def test_exit_codes_and_text(argv, code, status, capsys):
    """The exit code follows the verdict and the text names status and method."""
    assert main(["bound", "check", *argv]) == code
    out = capsys.readouterr().out
    assert f"status: {status}" in out
    assert "method: " in out
    if code == 1 and argv[0].startswith("log(2/delta)"):
        assert "counterexample: d=1, delta=1e-12, eps=1e-12" in out
    if code == 3 and "--points" in argv:
        assert "points tried: 300" in out


def test_json_output(capsys):
    """--json prints the Verdict fields plus the inputs."""
    assert main(["bound", "check", "log(d) <= 1", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "refuted" and data["method"] == "numeric search"
    assert set(data) == {"claim", "assume", "status", "method", "counterexample",
                         "points_tried", "detail", "timed_out", "domain"}
    assert data["domain"] == "d in [1, oo) integers"
    assert isinstance(data["counterexample"]["d"], int) and data["counterexample"]["d"] >= 3


def test_the_domain_is_printed_with_the_symbols_own_assumptions(capsys):
    """THEORY §4 writes Hoeffding's accuracy as t, but the shared symbol t counts
    points (a positive integer): this claim is false for t in (0, 1) and proved
    here. The output did not say t was read as an integer; it now prints the
    domain the verdict holds on."""
    claim = "log(2/delta)/(2*t**2) <= log(2/delta)/2"
    assert main(["bound", "check", claim, "--assume", "0 < delta < 1"]) == 0
    out = capsys.readouterr().out
    assert "domain: delta in (0, 1), t in [1, oo) integers\n" in out
    assert main(["bound", "check", "k <= d", "--assume", "k <= d, d <= 5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["domain"] == \
        "d in [1, 5] integers, k in [1, oo) integers; and k <= d"


@pytest.mark.parametrize("argv, match", [
    (["__import__('os').system('id')"], "Strings are not allowed"),
    (["d <= x"], "Unknown name 'x'"),
    (["d <= (d"], "never closed"),
    (["d = O(d)"], "needs a limit"),
    (["d/0 >= 1"], "sub-expression d/0"),
    (["log(d, 1) <= d"], "base 1"),
    (["eps = O(1) as eps -> oo", "--assume", "eps < 1"], "outside the domain of eps"),
    (["d >= 1", "--assume", "d < 1"], "no value"),
    (["d >= 1", "--points", "0"], "points"),
    (["d >= 5", "--assume", "k >= 5, d <= 3, k <= d"], "empty domain"),
    (["d <= \uff13"], "FULLWIDTH DIGIT THREE"),
    (["d**999*d**999 >= 1"], "exponents add up"),
    # named as the command line spells it (it was "The 'rng' parameter of check")
    (["d >= 1", "--seed", "-5"], "The 'seed' parameter of bound check must be >= 0 (--seed)"),
])
def test_usage_errors_exit_2(argv, match, capsys):
    """Bad text or arguments: exit 2 with the library's message on stderr."""
    assert main(["bound", "check", *argv]) == 2
    err = capsys.readouterr().err
    assert match in err


def test_missing_claim_is_a_usage_error(capsys):
    assert main(["bound", "check"]) == 2
    assert "claim" in capsys.readouterr().err


def test_timeout_flag(capsys):
    """--timeout bounds the time spent; a claim sympy cannot finish in it is
    undecided (exit 3) and the output says the budget ran out."""
    claim = "binomial(d, k)*log(binomial(d,k))**k = O(d**(2*k)) as d -> oo"
    assert main(["bound", "check", claim, "--assume", "k >= 1", "--timeout", "0.5"]) == 3
    out = capsys.readouterr().out
    assert "status: undecided" in out and "timed out: the 0.5 s budget ran out" in out
    assert main(["bound", "check", "d <= d", "--timeout", "-1"]) == 2
    assert "'timeout'" in capsys.readouterr().err


@pytest.mark.parametrize("marker", ["<!-- bound-samples-example -->",
                                    "<!-- bound-check-example -->"])
def test_readme_examples_are_the_real_output(capsys, marker):
    """README's 'Checking bounds' pastes these commands' output: it must be what they
    print."""
    from _readme import readme_command

    argv, expected = readme_command(marker)
    assert main(argv) in (0, 1)
    assert capsys.readouterr().out.rstrip("\n") == expected
