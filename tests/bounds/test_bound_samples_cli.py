"""`pacdistill bound samples`: formula and number, JSON, strict numbers, close matches."""

import argparse
import json

import pytest
from _timing import quick

from pacdistill._cli.bound import parse_number
from pacdistill.cli import main


def run(capsys, *argv):
    code = main(["bound", "samples", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_formula_and_number(capsys):
    code, out, _ = run(capsys, "realizable_finite", "--eps", "0.01", "--delta", "0.05",
                       "--param", "log_size=13.862943611198906")
    assert code == 0
    assert "n = (log_size + log(1/delta))/eps" in out
    assert out.rstrip().endswith("n = 1686")
    assert "Blumer" in out


def test_json_output(capsys):
    code, out, _ = run(capsys, "agnostic_finite", "--eps", "0.1", "--delta", "0.05",
                       "--class", "parity", "--param", "d=20", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] == 3511 and data["class"] == "parity"
    assert data["formula"] == "(2*log_size + 2*log(2/delta))/eps**2"
    assert data["values"] == {"eps": 0.1, "delta": 0.05, "d": 20}
    assert data["latex"] == r"\frac{2 \ln|G| + 2 \log{\left(\frac{2}{\delta} \right)}}" \
        r"{\varepsilon^{2}}"  # not log_{size} and e p s


def test_query_entry_with_its_auxiliary_formula(capsys):
    code, out, _ = run(capsys, "query_junta", "--delta", "0.05", "--param", "k=3",
                       "--param", "d=100", "--json")
    data = json.loads(out)
    assert code == 0 and data["resource"] == "queries"
    assert data["value"] == 1885 and data["extras"]["t"]["value"] == 58


def test_an_option_the_bound_does_not_use_is_refused(capsys):
    """--eps on query_junta (whose count has no eps) was accepted and echoed in
    'at eps=0.1, delta=0.05, ...: q = 1885' as if it had counted."""
    code, out, err = run(capsys, "query_junta", "--eps", "0.1", "--delta", "0.05",
                         "--param", "k=3", "--param", "d=100")
    assert code == 2 and out == ""
    assert "'eps' parameter of bound samples query_junta must be left out" in err
    assert "does not depend on eps. Got 0.1" in err


def test_unknown_entry_lists_close_matches(capsys):
    code, _, err = run(capsys, "realizable_fnite", "--eps", "0.1", "--delta", "0.1")
    assert code == 2 and "Did you mean 'realizable_finite'" in err


@pytest.mark.parametrize("argv, message", [
    (["hoeffding", "--eps", "0.1", "--delta", "2**10"], "expected a number"),
    (["hoeffding", "--eps", "__import__('os').system('id')", "--delta", "0.1"],
     "expected a number"),
    (["realizable_finite", "--eps", "0.1", "--delta", "0.1", "--param", "log_size"],
     "expected name=value"),
    (["realizable_finite", "--eps", "0.1", "--delta", "0.1", "--param", "a.b=1"],
     "expected name=value"),
    (["realizable_finite", "--eps", "0.1", "--delta", "0.1", "--param", "log_size=1e999"],
     "expected a number"),
    (["realizable_finite", "--delta", "0.1", "--param", "log_size=3"], "'eps'"),
    (["realizable_optimal", "--eps", "0.1", "--delta", "0.1", "--param", "vc=3"],
     "unknown constant"),
    (["realizable_finite", "--eps", "0.1", "--delta", "0.1", "--param", "eps=3"],
     "use --eps"),
], ids=["power", "code", "no value", "attribute", "inf", "missing eps", "needs C", "eps param"])
def test_usage_errors_exit_2(capsys, argv, message):
    with quick(1):
        code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and out == ""


def test_bound_without_subcommand_shows_help(capsys):
    assert main(["bound"]) == 2
    assert "samples" in capsys.readouterr().err


def test_strict_number_reader():
    assert parse_number("7") == 7 and isinstance(parse_number("7"), int)
    assert parse_number("-2.5e-3") == -0.0025
    for bad in ["1_000", "nan", "inf", "0x10", "1/2", "", "1e", "e5", "१२"]:
        with pytest.raises(argparse.ArgumentTypeError, match="expected a number"):
            parse_number(bad)


@pytest.mark.parametrize("argv, names", [
    (["realizable_finite", "--eps", "0.1", "--delta", "0.1"], ("log_size",)),
    (["realizable_optimal", "--eps", "0.1", "--delta", "0.1", "--param", "vc=3"], ("C",)),
    (["realizable_finite", "--eps", "0.1", "--delta", "0.1", "--class", "parity"], ("d",)),
], ids=["log_size", "C", "class parameter"])
def test_missing_values_get_the_command_line_spelling(capsys, argv, names):
    """A missing value is a MissingValueError naming it (an attribute, not words
    matched in a message), and the command line adds how to give it there."""
    from pacdistill.bounds import samples_needed
    from pacdistill.errors import MissingValueError

    entry, params = argv[0], dict(p.split("=") for p in argv[argv.index("--param") + 1:]) \
        if "--param" in argv else {}
    cls = argv[argv.index("--class") + 1] if "--class" in argv else None
    with pytest.raises(MissingValueError) as info:
        samples_needed(entry, eps=0.1, delta=0.1, cls=cls,
                       **{k: float(v) for k, v in params.items()})
    assert info.value.names == names
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "--param NAME=VALUE" in err


def test_other_parameter_errors_get_no_missing_value_hint(capsys):
    code, _, err = run(capsys, "realizable_finite", "--eps", "0.1", "--delta", "0.1",
                       "--param", "log_size=3", "--param", "zz=1")
    assert code == 2 and "does not take 'zz'" in err and "--param NAME=VALUE" not in err
