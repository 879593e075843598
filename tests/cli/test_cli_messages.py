"""What the command line says (found in a command-line audit): help texts,
messages for mistakes, numbers shown readably, JSON holding what the table
shows."""

from __future__ import annotations

import json

import pytest

from pacdistill.cli import main

SUBCOMMANDS = [["demo"], ["classes"], ["bound"], ["bound", "samples"], ["bound", "check"],
               ["edges"], ["status"], ["separations"], ["export"], ["route"], ["compare"],
               ["check"], ["distill"], ["distill", "tree"], ["distill", "junta"]]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("words", SUBCOMMANDS, ids=" ".join)
def test_every_help_has_a_description_in_plain_words(words, capsys):
    """`demo --help` printed its module docstring's reST ("``pacdistill demo``:
    ..."); `classes` and `distill` had no description at all."""
    code, out, _ = run(capsys, *words, "--help")
    assert code == 0
    usage_end = out.index("\n\n") + 2
    description = out[usage_end:].split("\n\n")[0]
    assert not description.startswith(("positional arguments", "options")), description
    assert "``" not in out


def test_top_level_help_names_both_distill_kinds(capsys):
    _, out, _ = run(capsys, "--help")
    distill = out[out.index("    distill"):]
    assert "tree" in distill and "junta" in distill


def test_positionals_and_choices_say_what_they_are(capsys):
    for words, needle in ((["status"], "source class F"), (["compare"], "target class G"),
                          (["export"], "from the file's suffix"),
                          (["route"], "(default samples)"), (["compare"], "(default time)")):
        _, out, _ = run(capsys, *words, "--help")
        assert needle in " ".join(out.split()), (words, needle)


def test_bound_check_help_shows_a_claim_starting_with_minus_that_works(capsys):
    """The help said "a claim starting with '-' needs '--' before it", but
    `bound check -- '-d<=d' --assume 'd >= 1'` then failed: after '--' the
    options are claims too. The help now shows the order that works."""
    _, out, _ = run(capsys, "bound", "check", "--help")
    text = " ".join(out.split())
    example = "bound check --assume 'd >= 1' -- '-d<=d'"
    assert example in text
    code, out, _ = run(capsys, "bound", "check", "--assume", "d >= 1", "--", "-d<=d")
    assert code == 0 and "status: proved" in out


def test_an_overflowing_number_is_called_too_large_not_not_a_number(capsys):
    code, _, err = run(capsys, "route", "junta", "dnf", "--at", "d=1e400")
    assert code == 2
    assert "'1e400' is past the largest float" in err
    assert "expected a number such as" not in err


def test_edges_without_a_match_say_so(capsys):
    """An empty table (a header and no rows) was printed for a pair with no edge."""
    code, out, _ = run(capsys, "edges", "--from", "Junta", "--to", "relu_network")
    assert code == 0
    assert out == ("No edge of the reduction web matches (from junta, to relu_network); "
                   "composed routes: pacdistill route junta relu_network.\n")


def test_route_json_holds_the_size_map_values_of_the_table(capsys):
    at = "d=100,k=4,eps=0.01,delta=0.05"
    _, out, _ = run(capsys, "route", "junta", "relu_network", "--at", at, "--limit", "3")
    _, js, _ = run(capsys, "route", "junta", "relu_network", "--at", at, "--limit", "3",
                   "--json")
    routes = json.loads(js)["routes"]
    assert routes[0]["size_values"] == {"L": 1, "d": 100, "m": 31}
    for route in routes:  # the same numbers as the table's 'size map' row
        shown = ", ".join(f"{k}={v}" for k, v in route["size_values"].items())
        assert f"  {shown}\n" in out
    _, js, _ = run(capsys, "route", "junta", "relu_network", "--limit", "1", "--json")
    assert json.loads(js)["routes"][0]["size_values"] is None  # no --at, no numbers


def test_bound_samples_shows_a_huge_count_rounded(capsys):
    """At eps = 1e-300 the count was printed with its 301 digits, all but the
    first 17 float noise; the text rounds it, --json keeps the integer."""
    argv = ["bound", "samples", "realizable_finite", "--eps", "1e-300", "--delta", "0.05",
            "--param", "log_size=2"]
    code, out, _ = run(capsys, *argv)
    last = out.splitlines()[-1]
    assert code == 0 and "n = 4.996e+300" in last and "--json" in last
    _, js, _ = run(capsys, *argv, "--json")
    value = json.loads(js)["value"]
    assert isinstance(value, int) and len(str(value)) == 301
    _, out, _ = run(capsys, "bound", "samples", "realizable_finite", "--eps", "0.01",
                    "--delta", "0.05", "--class", "junta", "--param", "d=20", "--param", "k=3")
    assert out.splitlines()[-1].endswith("n = 1558")  # small counts stay exact, no note


@pytest.mark.parametrize("argv", [
    ["realizable_vc", "--eps", "0.1", "--delta", "0.05"],
    ["query_junta", "--delta", "0.1"],
    ["realizable_finite", "--eps", "0.1", "--delta", "0.05", "--class", "relu_network",
     "--param", "d=10"],
])
def test_bound_samples_missing_values_are_asked_for_in_command_line_terms(argv, capsys):
    """The library asks for 'vc=...' or 'cls=<class name>' (Python keywords)."""
    code, _, err = run(capsys, "bound", "samples", *argv)
    assert code == 2
    assert "--param NAME=VALUE" in err and "--class NAME" in err


def test_check_runs_a_registered_family_by_its_name(capsys):
    """`check learn_parity` was 'Unknown reduction' with 96 names listed."""
    code, out, _ = run(capsys, "check", "learn_parity", "--trials", "2", "--smoke-trials",
                       "1", "--max-d", "4", "--json")
    reports = json.loads(out)
    assert code == 0 and len(reports) == 10
    assert {r["reduction"] for r in reports} == {f"learn_parity[{c}]" for c in (
        "conjunction", "parity", "junta", "decision_tree", "decision_list", "dnf", "cnf",
        "halfspace", "relu_network", "lookup_table")}


def test_check_unknown_names_list_families_once(capsys):
    code, _, err = run(capsys, "check", "learn_juntaa")
    assert code == 2 and "Did you mean 'learn_junta'" in err
    assert "learn_junta[<class>]" in err and "learn_junta[dnf]" not in err
    assert len(err) < 1500  # was about 3,900 characters: every edge of every family
    code, _, err = run(capsys, "check", "learn_junta[juntaa]")
    assert code == 2 and "Did you mean 'learn_junta[junta]'" in err


def test_check_a_file_without_a_name_or_a_directory(tmp_path, capsys):
    code, _, err = run(capsys, "check", "my_tests.py")
    assert code == 2 and "my_tests.py:NAME" in err and "Unknown reduction" not in err
    code, _, err = run(capsys, "check", f"{tmp_path}:attr")
    assert code == 2 and "is a directory" in err


def test_model_file_errors_name_the_file(tmp_path, capsys):
    bad = tmp_path / "weights.json"
    bad.write_text("not json")
    code, _, err = run(capsys, "distill", "tree", "--model", str(bad), "--depth", "2")
    assert code == 2 and repr(str(bad)) in err and "not valid JSON" in err
    code, _, err = run(capsys, "distill", "junta", "--model", str(tmp_path), "--k", "2")
    assert code == 2 and "which is a directory" in err


def test_distill_tree_says_where_the_plot_went(tmp_path, capsys):
    import pacdistill as pd

    net = pd.distill.planted_network(pd.CLASSES["decision_tree"].random(0, d=6, depth=2))
    model = tmp_path / "net.json"
    model.write_text(net.to_json())
    plot = tmp_path / "frontier.svg"
    code, out, _ = run(capsys, "distill", "tree", "--model", str(model), "--depth", "2",
                       "--samples", "400", "--plot", str(plot))
    assert code == 0 and out.endswith(f"Frontier plot saved to {plot}\n")
    assert plot.read_text().lstrip().startswith("<?xml")



def test_missing_values_are_asked_for_as_command_line_options(capsys):
    """routes/compare asked for missing values only as Python's 'at=' (a command
    line user types --at)."""
    code, _, err = run(capsys, "compare", "junta", "dnf", "--at", "d=10")
    assert code == 2 and "needs values for k" in err and "--at (command line), k=..." in err


def test_route_json_counts_the_routes_found_as_the_text_does(capsys):
    """The text says 'best 1 of 31; --limit 31 shows all'; the JSON held the one
    route shown and no count, so a script could not tell that more exist."""
    _, out, _ = run(capsys, "route", "junta", "relu_network", "--limit", "1")
    found = int(out.split("best 1 of ")[1].split(";")[0])
    _, js, _ = run(capsys, "route", "junta", "relu_network", "--limit", "1", "--json")
    data = json.loads(js)
    assert len(data["routes"]) == 1 and data["found"] == found > 1


@pytest.mark.parametrize("argv", [
    ["junta", "relu_network", "--limit", "2", "--at", "d=20,k=3,eps=0.1,delta=0.1"],
    ["conjunction", "junta", "--limit", "3", "--at", "d=30,k=3,eps=0.1,delta=0.1",
     "--promise", "distributional", "--efficient"],
    ["junta", "dnf", "--limit", "50"],
])
def test_route_counts_what_the_library_finds_with_the_same_values(capsys, argv):
    """The command counts the routes without evaluating them (the set does not
    depend on --at, only the costs): the count and the routes shown are the
    library's at the same values."""
    import pacdistill as pd

    _, js, _ = run(capsys, "route", *argv, "--json")
    data = json.loads(js)
    at = {k: float(v) if "." in v else int(v) for k, v in
          (kv.split("=") for kv in argv[argv.index("--at") + 1].split(","))} \
        if "--at" in argv else None
    promise = argv[argv.index("--promise") + 1] if "--promise" in argv else None
    every = pd.default_web().routes(argv[0], argv[1], at=at, limit=None, promise=promise,
                                    efficient_only="--efficient" in argv)
    limit = int(argv[argv.index("--limit") + 1])
    assert data["found"] == len(every)
    assert [r["steps"] for r in data["routes"]] == [list(r.names) for r in every[:limit]]


@pytest.mark.parametrize("argv, hint", [
    (["rout", "junta", "dnf"], "invalid choice: 'rout'; did you mean 'route'?"),
    (["route", "junta", "dnf", "--rank", "Time"], "did you mean 'time'?"),
    (["distill", "tre"], "did you mean 'tree'?"),
    (["status", "junta", "dnf", "--setting", "learn"], "did you mean 'learning'?"),
], ids=["command", "rank", "distill-kind", "setting"])
def test_a_mistyped_choice_names_the_closest_one(capsys, argv, hint):
    """A mistyped class name got 'Did you mean ...?', a mistyped command or
    choice only argparse's list of every choice."""
    code, _, err = run(capsys, *argv)
    assert code == 2 and hint in err and "(choose from" in err


def test_a_choice_far_from_every_one_gets_the_list_only(capsys):
    code, _, err = run(capsys, "route", "junta", "dnf", "--rank", "xyz")
    assert code == 2 and "did you mean" not in err
    assert "invalid choice: 'xyz' (choose from 'samples', 'time', 'queries')" in err


def test_a_mistyped_option_names_the_closest_one(capsys):
    """`route ... --limt 3` said only 'unrecognized arguments: --limt 3'."""
    code, _, err = run(capsys, "route", "junta", "dnf", "--efficent", "--limt=3")
    assert code == 2
    assert err.endswith("unrecognized arguments: --efficent --limt=3; --efficent: did you "
                        "mean --efficient?; --limt: did you mean --limit?\n")
    code, _, err = run(capsys, "classes", "extra")
    assert code == 2 and err.endswith("unrecognized arguments: extra\n")
