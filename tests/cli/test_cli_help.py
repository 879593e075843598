"""What ``--help`` tells a user (found in the session-7 command-line audit): every
command shows examples that parse (those of the web's commands also run) and
says what its exit codes mean; every option states its default."""

from __future__ import annotations

import argparse
import re
import shlex

import pytest

from pacdistill.cli import build_parser, main

#: every command (bound check and bound samples had neither examples nor defaults)
COMMANDS = [[], ["demo"], ["classes"], ["edges"], ["status"], ["separations"], ["export"],
            ["route"], ["compare"], ["check"], ["distill", "tree"], ["distill", "junta"],
            ["bound", "check"], ["bound", "samples"]]


def help_text(capsys, words):
    assert main([*words, "--help"]) == 0
    return capsys.readouterr().out


def examples(text):
    """The commands of the help's 'examples:' block (a description after two
    spaces, and a pipe into another program, dropped)."""
    block = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    lines = [re.split(r"\s{2,}", line.strip())[0] for line in block.splitlines()]
    return [shlex.split(line.split(" | ")[0]) for line in lines]


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "pacdistill")
def test_every_help_shows_examples_that_parse_and_its_exit_codes(words, capsys):
    """No command's --help had an example, and none but `bound check` said what
    its exit codes mean (route exits 1 without a route, distill tree when no
    tree meets the target, check when a check fails: a script must know)."""
    text = help_text(capsys, words)
    found = examples(text)
    assert found, text
    parser = build_parser()
    for example in found:
        assert example[0] == "pacdistill"
        assert example[1:len(words) + 1] == words, example  # an example of this command
        parser.parse_args(example[1:])  # a usage error would raise SystemExit
    codes = " ".join(text.split("\nexit codes:", 1)[1].split())
    assert re.match(r"0\b", codes), codes
    assert "2 bad input" in codes or "2 a usage error" in codes, codes


@pytest.mark.parametrize("words", [["classes"], ["edges"], ["status"], ["route"], ["compare"],
                                   ["bound", "samples"]], ids=" ".join)
def test_the_web_commands_examples_run(words, capsys):
    """The examples a user copies first succeed (a compare example lacking a
    value its routes need would exit 2)."""
    for example in examples(help_text(capsys, words)):
        assert main(example[1:]) == 0, example
        capsys.readouterr()


def test_the_top_level_help_lists_every_exit_code(capsys):
    codes = " ".join(help_text(capsys, []).split("exit codes:", 1)[1].split())
    for code in ("0 success", "1 a negative answer", "2 bad input", "3 undecided",
                 "130 interrupted", "141 the reader of a pipe left early"):
        assert code in codes, code


def test_bound_checks_examples_exit_as_they_say(capsys):
    """Refuted (1), proved (0), proved (0), as the examples' claims are."""
    runs = [main(example[1:]) for example in examples(help_text(capsys, ["bound", "check"]))]
    capsys.readouterr()
    assert runs == [1, 0, 0]


def _options(words):
    """The optional arguments of a command's parser, but --help, --version."""
    parser = build_parser()
    for word in words:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return [a for a in parser._actions if a.option_strings
            and not isinstance(a, (argparse._HelpAction, argparse._VersionAction))]


@pytest.mark.parametrize("words", COMMANDS[1:], ids=" ".join)
def test_every_option_states_its_default(words):
    """`status --promise` said 'what you can promise about f' without the
    values' meaning or the default; `check --deadline` and `--save-dir`, `edges
    --from`, `demo --plot` stated no default. Flags (--json) are off unless given."""
    for action in _options(words):
        if isinstance(action, argparse._StoreTrueAction) or action.required:
            continue
        text = " ".join(action.help.split())
        assert "default" in text, (words, action.option_strings, text)


def test_promise_help_explains_every_value(capsys):
    for words in (["status"], ["route"]):
        text = " ".join(help_text(capsys, words).split())
        assert "(default: everywhere," in text
        assert "'distributional'" in text and "'none'" in text


def test_max_steps_is_checked_by_the_name_typed_with_the_webs_bound(capsys):
    """`route --max-steps 0` said "The 'max_steps' parameter of routes must be
    an integer in [1, 8]": neither the option typed nor its range was in the
    help. The CLI's bound is the web's."""
    import pacdistill as pd
    from pacdistill._cli.route import MAX_STEPS
    from pacdistill.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=re.escape(f"[1, {MAX_STEPS}]")):
        pd.default_web().routes("junta", "dnf", max_steps=MAX_STEPS + 1)
    for value in ("0", str(MAX_STEPS + 1)):
        assert main(["route", "junta", "dnf", "--max-steps", value]) == 2
        err = capsys.readouterr().err
        assert (f"The '--max-steps' parameter of pacdistill route must be an integer in "
                f"[1, {MAX_STEPS}]. Got {value} instead.") in err
    assert f"1 to {MAX_STEPS} (default 4)" in " ".join(help_text(capsys, ["route"]).split())
