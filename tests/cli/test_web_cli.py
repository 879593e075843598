"""`pacdistill edges | route | status | compare | separations | export` (issue 4 item 6,
issue 6 item 4): plain text when piped, JSON for scripts, strict numbers, exit 2
with a clear message on bad names and values."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from _readme import readme_command, run_readme_doctest

import pacdistill as pd
from pacdistill.cli import main
from pacdistill.web import ReductionWeb

AT = "d=100,k=4,eps=0.01,delta=0.05"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_route_prints_ranked_routes_with_formulas_numbers_and_derivation(capsys):
    code, out, _ = run(capsys, "route", "junta", "relu_network", "--at", AT, "--rank", "time")
    assert code == 0
    assert out.startswith("Routes junta -> relu_network, ranked by time at d=100, k=4")
    assert "#1 junta -> decision_tree -> " in out
    block = next(b for b in out.split("\n#")[1:]
                 if b.split("\n")[0].endswith(" junta -> decision_tree -> dnf -> relu_network"))
    # formula and number: 2^4 100 + 2^4 (100 + 4) + 2^4 (4 + 1), tree_to_dnf's time s (d + r)
    assert "2**k*d + 2**k*(d + k) + 2**k*(k + 1)" in block and "3344" in block
    assert "m=16" in block and "rule 1 (THEORY §9, §3)" in block
    assert block.count("[derived here: THEORY §8") == 3  # one citation a step


def test_route_json_and_promise_filter(capsys):
    at = AT + ",m=50,L=1"  # a network's size enters the time (n evaluations of f)
    code, out, _ = run(capsys, "route", "relu_network", "junta", "--at", at, "--rank", "time",
                       "--promise", "distributional", "--limit", "20", "--json")
    data = json.loads(out)
    assert code == 0 and data["at"] == {"d": 100, "k": 4, "eps": 0.01, "delta": 0.05, "m": 50,
                                        "L": 1}
    assert data["routes"], "the learning routes remain under the distributional promise"
    for route in data["routes"]:
        assert route["promise"] is None or "everywhere" not in route["promise"]
    code, out, _ = run(capsys, "route", "relu_network", "junta", "--at", at, "--rank", "time",
                       "--json")
    best = json.loads(out)["routes"][0]
    assert best["steps"] == ["query_junta[relu_network]"]
    assert best["values"]["queries"] == pd.bounds.catalog["query_junta"].evaluate(
        d=100, k=4, delta=0.05)


def test_route_takes_a_steps_own_size_apart_from_the_sources(capsys):
    """conjunction -> decision_list -> query_junta: the distiller's k is k_2
    (THEORY §3 note). --at without k_2 reads it as k and says so; --at k_2=2
    evaluates the run with a 2-junta promise; --json names the option."""
    base = ["route", "conjunction", "junta", "--rank", "queries", "--limit", "200"]
    code, out, _ = run(capsys, *base, "--at", "d=20,k=5,delta=0.1")
    block = next(b for b in out.split("\n#")[1:]
                 if "steps: conjunction_to_decision_list, query_junta[decision_list]\n" in b)
    assert code == 0 and "k -> k_2" in block
    assert "k_2 (the k of step 2, query_junta[decision_list]) taken = k = 5" in block
    code, out, _ = run(capsys, *base, "--at", "d=20,k=5,k_2=2,delta=0.1", "--json")
    route = next(r for r in json.loads(out)["routes"]
                 if r["steps"] == ["conjunction_to_decision_list", "query_junta[decision_list]"])
    assert route["options"] == {"k_2": {"step": 2, "reduction": "query_junta[decision_list]",
                                        "option": "k"}}
    assert route["values"]["queries"] == pd.bounds.catalog["query_junta"].evaluate(
        d=20, k=2, delta=0.1)
    assert not any("taken = k" in note for note in route["notes"])


def test_route_without_routes_exits_1(capsys):
    web = pd.default_web()
    pair = next((f, g) for f in web.classes for g in web.classes
                if not web.routes(f, g, max_steps=1))
    code, out, _ = run(capsys, "route", *pair, "--max-steps", "1")
    assert code == 1 and "No composable route" in out


@pytest.mark.parametrize("argv, message", [
    (["route", "junta", "relu_network", "--at", "d=2**10"], "expected a number"),
    (["route", "junta", "relu_network", "--at", "d=__import__('os')"], "expected a number"),
    (["route", "junta", "relu_network", "--at", "d"], "expected name=value"),
    (["route", "junta", "relu_network", "--at", "d=1,d=2"], "given twice"),
    (["route", "junta", "relu_network", "--at", "dd=100"], "Did you mean 'd'"),
    (["route", "junta", "relu_network", "--at", "eps=2"], "'eps'"),
    (["route", "junta", "relu_network", "--at", "d=2.5"], "integer"),
    (["route", "relu_network", "junta", "--at", "eps=0.1", "--rank", "time"], "m ("),
    (["route", "desicion_tree", "junta"], "Did you mean 'decision_tree'"),
    (["status", "junta", "perceptron"], "Unknown class"),
    (["compare", "junta", "junta"], "--at"),
    (["edges", "--from", "jnta"], "Did you mean 'junta'"),
    (["route", "junta", "junta", "--limit", "0"], "'--limit'"),
    (["route", "junta", "dnf", "--at", "d=10,k=3,OPT_foo=0.5"], "Known: OPT_cnf"),
    (["route", "junta", "lookup_table", "--at", "d=3,k=5"], "must be <= d (d = 3) for junta"),
    (["compare", "junta", "dnf", "--at", "k=200,d=100"], "must be <= d (d = 100) for junta"),
], ids=["pow", "code", "no-value", "twice", "symbol", "eps-range", "int", "missing", "class",
        "status-class", "compare-needs-at", "edges-class", "limit", "opt-class", "k>d",
        "compare-k>d"])
def test_bad_input_exits_2_with_a_message(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_status_prints_the_derivation(capsys):
    code, out, _ = run(capsys, "status", "relu_network", "junta", "--setting", "learning")
    assert code == 0
    assert out.startswith("learning relu_network -> junta: hard")
    assert "barrier sq_learn_junta" in out and "rule 3 (THEORY §9)" in out
    code, out, _ = run(capsys, "status", "DecisionTree", "relu_network", "--json")
    data = json.loads(out)
    assert data["answer"] == "efficient" and data["route"][0].startswith("tree_to_")


def test_edges_filters(capsys):
    code, out, _ = run(capsys, "edges", "--from", "junta", "--kind", "exact", "--json")
    data = json.loads(out)
    assert code == 0 and "junta_to_tree" in [e["name"] for e in data]
    assert all(e["source"] == "junta" and e["kind"] == "exact" for e in data)
    code, out, _ = run(capsys, "edges", "--kind", "barrier")
    assert code == 0 and "sq_learn_junta" in out and "hard_learn_dnf" in out
    assert "Omega(d**(C*k))" in out and "not polynomial" in out


def test_edges_show_promise_and_assumptions(capsys):
    """An edge with both a promise and an assumption (LRH tree distillation,
    THEORY §5) shows both in the table, not only the promise."""
    code, out, _ = run(capsys, "edges", "--from", "relu_network", "--to", "decision_tree")
    assert code == 0 and "decision_tree (distributional); LRH(tau, B)" in out


def test_compare_side_by_side(capsys):
    at = AT + ",m=50,L=1"
    code, out, _ = run(capsys, "compare", "relu_network", "junta", "--at", at)
    assert code == 0
    assert "Learning vs distillation, relu_network -> junta" in out
    assert "query_junta[relu_network]" in out and "learning status: hard" in out
    assert "Valiant" in out  # the learning-time anchors of THEORY §4
    code, out, _ = run(capsys, "compare", "relu_network", "junta", "--at", at, "--json")
    data = json.loads(out)
    assert data["distillation"]["steps"] == ["query_junta[relu_network]"]
    assert data["learning"]["values"]["time"] > data["distillation"]["values"]["time"]
    # F -> F: the identity (as status says), not a route under an assumption
    code, out, _ = run(capsys, "compare", "decision_tree", "decision_tree", "--at",
                       "d=10,r=3,s=8,eps=0.1,delta=0.1", "--json")
    data = json.loads(out)
    assert data["distillation"]["steps"] == ["identity[decision_tree]"]
    assert data["distillation"]["assumptions"] == []


def test_separations_lists_pairs_with_both_costs(capsys):
    """Issue 6 item 4: both costs with sources, in the table and the JSON; no F -> F."""
    code, out, _ = run(capsys, "separations", "--derivations")
    pairs = [line.split("  ")[0] for line in out.split("sources:")[0].splitlines()[3:]]
    assert code == 0 and "relu_network -> junta" in pairs
    assert not any(f == g for f, _, g in (pair.split() for pair in pairs))
    header = out.splitlines()[1]
    assert "distillation cost" in header and "learning cost" in header
    row = next(line for line in out.splitlines() if line.startswith("relu_network -> junta"))
    assert "queries <= 2**k*(k + 1)" in row and "poly(L + d + m, 2**k + d" in row
    assert "d^k (exhaustive search)" in row and "about d^(0.6 k)" in row
    assert "statistical queries >= d**(C*k)" in row
    sources = out[out.index("sources:"):]
    assert "G. Valiant 2012" in sources and "doi:10.1145/2728167" in sources
    assert "THEORY §6" in sources
    assert "rule 3" in out
    code, out, _ = run(capsys, "separations", "--json")
    data = {(s["source"], s["target"]): s for s in json.loads(out)}
    assert ("junta", "junta") not in data
    costs = data[("relu_network", "decision_tree")]["distillation_costs"]
    assert costs and all("Boix-Adsera" in c["sources"][0] for c in costs)


@pytest.mark.parametrize("fmt", ["json", "graphml", "dot"])
def test_export(capsys, tmp_path, fmt):
    path = tmp_path / f"web.{fmt}"
    code, out, _ = run(capsys, "export", "--format", fmt, "-o", str(path))
    assert code == 0 and path.exists() and f"wrote {path}" in out
    web = pd.default_web()
    if fmt == "json":
        assert ReductionWeb.from_json(path) == web
    elif fmt == "graphml":
        loaded = nx.read_graphml(path, force_multigraph=True)
        assert set(loaded.edges(keys=True)) == set(web.attribute_graph().edges(keys=True))
    else:
        assert path.read_text().count(" -> ") >= len(web.reductions)


def test_terminal_tables_keep_bracketed_names(capsys, monkeypatch):
    """Rich tables (terminal) show edge names such as query_junta[junta] verbatim
    (brackets are not read as rich markup)."""
    from pacdistill._cli import _output

    monkeypatch.setattr(_output, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "250")  # wide enough that rich does not wrap the cells
    code, out, _ = run(capsys, "separations")
    assert code == 0 and "query_junta[relu_network]" in out


def test_readme_route_example_is_the_real_output(capsys):
    """The README pastes `pacdistill route ...`'s output: it must be what the command prints."""
    argv, expected = readme_command("<!-- web-route-example -->")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out.rstrip("\n") == expected


def test_readme_web_tour_runs():
    run_readme_doctest("<!-- web-tour -->", "README web tour")


def test_route_with_huge_costs_prints_scientific_notation(capsys):
    """Past d ~ 1000 costs pass the float range (was: a bare OverflowError); at
    d = 100000 a 2^d route has no exact count (was: TooLargeError aborting the
    query): it is ranked after the others with a note."""
    code, out, err = run(capsys, "route", "junta", "lookup_table", "--at", "d=1100,k=3",
                         "--rank", "queries")
    assert code == 0 and "Traceback" not in err
    assert "1.358e+331" in out  # 2^1100 queries, in scientific notation
    code, out, err = run(capsys, "route", "relu_network", "junta", "--at",
                         "d=2000,k=3,eps=0.1,delta=0.1,m=5,L=1")
    assert code == 0 and out.count("\n#") == 5
    code, out, err = run(capsys, "route", "relu_network", "junta", "--at",
                         "d=100000,k=3,eps=0.1,delta=0.1,m=5,L=1", "--rank", "time",
                         "--limit", "40", "--json")
    routes = json.loads(out)["routes"]
    assert code == 0 and routes[0]["steps"] == ["query_junta[relu_network]"]
    huge = [r for r in routes if any("too large to evaluate exactly" in n for n in r["notes"])]
    assert huge and all(r["cost"].startswith("~") for r in huge)
