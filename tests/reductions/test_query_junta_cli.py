"""Tests of ``pacdistill distill junta`` (THEORY §6; issue 6)."""

from __future__ import annotations

import json

import pytest

import pacdistill as pd
from pacdistill.cli import main
from pacdistill.reductions.query_junta import default_t


@pytest.fixture
def files(tmp_path):
    junta = pd.Junta(30, [4, 17, 9], [1, -1, -1, 1, 1, 1, -1, -1])
    (tmp_path / "junta.json").write_text(junta.to_json())
    (tmp_path / "parity.json").write_text(pd.Parity(30, [1, 2, 3, 4]).to_json())
    tree = pd.reductions.REGISTRY["junta_to_tree"].run(junta).model
    pd.reductions.tree_to_relu.tree_to_network(tree).to_npz(tmp_path / "net.npz")
    return junta, tmp_path


def test_distills_a_saved_junta_and_a_saved_network(files, capsys):
    junta, path = files
    for name in ("junta.json", "net.npz"):  # loop over the two file formats
        assert main(["distill", "junta", "--model", str(path / name), "--k", "3",
                     "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        out = pd.model_from_dict(data["junta"])
        assert data["relevant"] == [4, 9, 17]
        assert pd.checkers.equivalent(junta, out, rng=0).equal
        report = data["report"]
        assert report["queries_algorithm"] <= report["queries_bound"]
        assert data["queries"] == report["queries_algorithm"] + report["queries_check"]
        assert report["queries_check"] == 2000 and "exact only under the promise" in \
            report["claim"]
        # the defaults --help states: --delta 0.01 (a default of 0.1 passed every test)
        assert report["delta"] == 0.01 and report["t"] == default_t(3, 0.01)


def test_text_output_names_the_claim_queries_and_certificates(files, capsys):
    _, path = files
    assert main(["distill", "junta", "--model", str(path / "junta.json"), "--k", "4",
                 "--check", "500", "--seed", "3"]) == 0
    text = capsys.readouterr().out
    assert "Junta on (x4, x9, x17)" in text
    assert "exact only under the promise" in text and "500 fresh points" in text
    for word in ("algorithm (THEORY §6)", "final check", "Rounds", "x17"):
        assert word in text


def test_the_truth_table_rows_are_the_values_of_f(files, capsys):
    """Each printed row sets the listed variables to its signs; f there (the other
    variables at +1) is the row's value: the table's order is explained by the
    rows themselves."""
    import numpy as np

    junta, path = files
    assert main(["distill", "junta", "--model", str(path / "net.npz"), "--k", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = lines.index(next(line for line in lines if line.startswith("Truth table")))
    names = lines[head + 1].split()
    assert names[-1] == "f" and len(names) == 4
    variables = [int(name[1:]) for name in names[:-1]]
    rows = [line.split() for line in lines[head + 3:head + 3 + 8]]
    X = np.ones((8, 30), dtype=np.int8)
    for col, var in enumerate(variables):
        X[:, var] = [1 if row[col] == "+" else -1 for row in rows]
    assert [int(row[-1]) for row in rows] == junta.predict(X).tolist()
    assert len({tuple(row[:-1]) for row in rows}) == 8       # every pattern once


def test_a_refuted_promise_exits_1_with_the_certificate(files, capsys):
    _, path = files
    code = main(["distill", "junta", "--model", str(path / "parity.json"), "--k", "3",
                 "--json"])
    captured = capsys.readouterr()
    assert code == 1 and "promise violated" in captured.err
    data = json.loads(captured.out)
    w = data["witness"]
    assert data["promise_violated"] and sorted(w["variables"]) == [1, 2, 3, 4]
    f = pd.Parity(30, [1, 2, 3, 4])
    assert (f.predict(w["points"]) != f.predict(w["flipped"])).all()
    code = main(["distill", "junta", "--model", str(path / "parity.json"), "--k", "3"])
    assert code == 1 and "Certificate" in capsys.readouterr().out


@pytest.mark.parametrize("argv, match", [
    (["--k", "-1"], "'--k' parameter of distill junta"),
    (["--k", "2", "--delta", "2"], "'--delta' parameter of distill junta"),
    (["--k", "2", "--delta", "nan"], "'--delta' parameter of distill junta"),
    (["--k", "2", "--check", "-5"], "'--check' parameter of distill junta"),
    (["--k", "2", "--seed", "-1"], "'--seed'"),
])
def test_bad_input_exits_2_with_a_message(files, capsys, argv, match):
    _, path = files
    assert main(["distill", "junta", "--model", str(path / "junta.json"), *argv]) == 2
    assert match in capsys.readouterr().err


def test_help_gives_examples_and_exit_codes(files, capsys):
    """--help says what the exit codes mean (like distill tree's), and its
    examples run (with the fixture's files)."""
    import shlex

    assert main(["distill", "junta", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert ("exit codes: 0 a junta (the output says what is claimed and what was checked); "
            "1 the promise is refuted") in text and "2 bad input" in text
    _, path = files
    examples = [line.strip() for line in capsys_help_lines(text) if line]
    assert len(examples) == 3
    for line in examples:  # loop over the help's examples
        argv = shlex.split(line)[1:]
        argv[argv.index("--model") + 1] = str(path / ("net.npz" if "npz" in line
                                                      else "junta.json"))
        assert main(argv) == 0
        capsys.readouterr()


def capsys_help_lines(text):
    """The example commands in the (whitespace-joined) help text."""
    body = text.split("examples:")[1].split("exit codes:")[0]
    return ["pacdistill" + part for part in body.split("pacdistill")[1:]]


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["distill", "junta", "--model", str(tmp_path / "none.json"), "--k", "2"]) == 2
    assert "--model" in capsys.readouterr().err


def test_readme_distill_junta_example():
    """The README's junta example runs as shown: a parity of 4 variables refuted
    with its certificate, and a junta with one flipped entry (not a 3-junta, but
    1/4096-close to one) returned with exactness claimed only under the promise;
    the README said PromiseViolation is raised "when f is not a k-junta", which
    such a function shows is not always so."""
    from _readme import run_readme_doctest

    run_readme_doctest("<!-- distill-junta-example -->", "README distill_junta example")


def test_a_terminal_shows_a_query_progress_bar(files, capsys, monkeypatch):
    """On a terminal the run shows a (transient) bar of the queries against THEORY
    §6's bound, fed by distill_junta's progress callback; piped or with --json,
    none. The output is the same either way."""
    from pacdistill._cli import distill_junta as cli

    seen = []
    real = cli._query_progress

    def spy(quiet):
        update, stop = real(quiet)
        if update is None:
            return update, stop
        return (lambda done, total: (seen.append((done, total)), update(done, total))), stop

    monkeypatch.setattr(cli, "_query_progress", spy)
    _, path = files
    argv = ["distill", "junta", "--model", str(path / "junta.json"), "--k", "4"]
    assert main(argv) == 0
    assert not seen                                    # piped: no bar
    monkeypatch.setattr(cli, "is_terminal", lambda: True)
    assert main(argv) == 0
    assert seen and seen[-1][0] <= seen[-1][1]
    seen.clear()
    assert main([*argv, "--json"]) == 0
    assert not seen                                    # --json: no bar
