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


def test_query_entry_with_its_auxiliary_formula(capsys):
    code, out, _ = run(capsys, "query_junta", "--delta", "0.05", "--param", "k=3",
                       "--param", "d=100", "--json")
    data = json.loads(out)
    assert code == 0 and data["resource"] == "queries"
    assert data["value"] == 1885 and data["extras"]["t"]["value"] == 58


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
