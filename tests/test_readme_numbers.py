"""The README's measured numbers are the committed benchmark results
(benchmarks/results/*.json), rounded to the digits shown: a re-run benchmark
whose README was not updated (or a figure mistyped: the depth-4 training median
once read 5.5 s for 5.45) fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _results(name):
    return json.loads((ROOT / "benchmarks" / "results" / f"{name}.json").read_text())


def _shown(value, text):
    """Whether ``text`` (units and thousands separators stripped) is ``value``
    rounded to the number of decimals ``text`` shows."""
    digits = re.sub(r"[\s,*]|s$|x$", "", text.strip())
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return digits == f"{value:.{decimals}f}"


def _table(header_start):
    """The rows (lists of cells) of the README table whose header starts so."""
    lines = README[README.index(header_start):].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_foundation_ratios():
    cases = {c["name"]: c for c in _results("foundation")["cases"]}
    rows = _table("| task (d = 20, all 2^20 points)")
    assert len(rows) == 2
    for row, name in zip(rows, ["tree_predict", "exhaustive_disagreement"], strict=True):
        case = cases[name]
        assert _shown(case["vectorized_seconds"], row[1]), (name, row)
        assert _shown(case["loop_seconds_for_all_rows"], row[2]), (name, row)
        assert _shown(case["speedup"], row[3]), (name, row)


def test_lrh_table():
    summary = _results("lrh")["summary"]
    rows = _table("| depth r | exact recovery")
    assert [row[0] for row in rows] == sorted(summary)
    keys = ["mean_fidelity_to_network", "cart_mean_fidelity_to_tree",
            "median_distill_seconds", "median_train_seconds", "median_adam_over_closed_form",
            "median_closed_form_over_floor", "median_probing_only_over_floor"]
    for row in rows:
        s = summary[row[0]]
        recovered = round(s["exact_recovery_rate"] * s["networks"])
        assert row[1] == f"{recovered} / {s['networks']}", row
        for key, cell in zip(keys, row[2:], strict=True):
            assert _shown(s[key], cell), (row[0], key, cell, s[key])


@pytest.mark.parametrize("phrase, key", [
    (r"distillation takes ([\d.]+) s", "distill_seconds"),
    (r"s\s+\(median\) and ([\d,]+) queries", "distill_queries_total"),
    (r"the\s+learner needs ([\d,]+) examples", "learner_samples"),
    (r"measured time\s+ratio of \*\*([\d,]+)x\*\*", "measured_time_ratio_learner_over_distill"),
    (r"uses more evaluations of f \(([\d.]+)x\)", "evaluations_ratio_distill_over_learner"),
])
def test_junta_headline(phrase, key):
    match = re.search(phrase, README)
    assert match, phrase
    assert _shown(_results("junta")["headline"][key], match.group(1)), (key, match.group(1))


def test_junta_per_network_figures():
    headline = _results("junta")["headline"]
    ratios = headline["measured_ratio_per_seed"]
    match = re.search(r"([\d,]+)x to\s+([\d,]+)x per network", README)
    assert match and _shown(min(ratios), match.group(1)) and _shown(max(ratios), match.group(2))
    match = re.search(r"ran to completion in (\d+), (\d+) and (\d+)\s+s", README)
    assert match
    for shown, value in zip(match.groups(), sorted(headline["learner_measured_seconds"]),
                            strict=True):
        assert _shown(value, shown)


def test_junta_growth_exponents():
    exponents = _results("junta")["exponents"]
    match = re.search(r"grows like d\^([\d.]+) for k = 3.*?and d\^([\d.]+) for k = 4",
                      README, re.S)
    assert match
    measured = exponents["learner_seconds_measured"]
    assert _shown(measured["3"], match.group(1)) and _shown(measured["4"], match.group(2))
    match = re.search(r"Distillation time grows like d\^([\d.]+),\s+d\^([\d.]+), d\^([\d.]+)",
                      README)
    assert match
    for shown, k in zip(match.groups(), "345", strict=True):
        assert _shown(exponents["distill_seconds"][k], shown), (k, shown)


def test_the_reader_really_fails_on_a_wrong_figure():
    """The check itself: 5.5 is not 5.45 rounded to one decimal, 68 is 67.7."""
    assert not _shown(5.449847814999885, "5.5 s") and _shown(5.449847814999885, "5.4 s")
    assert _shown(67.70244155596082, "68x") and not _shown(67.7, "67x")
    assert _shown(8018.478927086844, "8,018") and not _shown(8018.48, "8,019")


#: the start-up commands the README quotes (its text -> the key in startup.json)
STARTUP = {"import pacdistill": "import_pacdistill", "pacdistill --help": "help",
           "pacdistill classes": "classes", "pd.default_web()": "default_web"}


@pytest.mark.parametrize("command", list(STARTUP))
def test_startup_before_and_after(command):
    results = _results("startup")["results"]
    pattern = (re.escape(f"`{command}`") + r"\s+([\d.]+)\s+s\s+->\s+([\d.]+)\s+s"
               r"\s+\(([\d.]+)x\)")
    match = re.search(pattern, README)
    assert match, command
    before, after = results["before"][STARTUP[command]], results["after"][STARTUP[command]]
    assert before["same_output_as_after"], command
    assert _shown(before["seconds"], match.group(1)), (command, match.group(1))
    assert _shown(after["seconds"], match.group(2)), (command, match.group(2))
    assert _shown(after["ratio_to_baseline"], match.group(3)), (command, match.group(3))


def test_startup_baseline():
    startup = _results("startup")
    match = re.search(r'`python -c "import numpy"`,\s+([\d.]+)\s+s,', README)
    assert match and _shown(startup["baseline"]["seconds"], match.group(1))
    load = startup["environment"]["load_average_1_5_15min"]["start"][0]
    match = re.search(r"start-up run started at a 1-minute load\s+average of ([\d.]+)", README)
    assert match and _shown(load, match.group(1))
    match = re.search(r"From commit ([0-9a-f]{7,40}) \(before lazy imports\)", README)
    assert match and startup["trees"]["before"]["commit"].startswith(match.group(1))
    match = re.search(r"fresh processes, best of (\d+),", README)
    assert match and f"best of {match.group(1)} rounds" in startup["timing"]


def _prose(text):
    """README text with line breaks and repeated spaces folded, for phrase matching."""
    return re.sub(r"\s+", " ", text)


def test_quick_start_describes_the_demo_as_it_runs():
    """The quick start's description of `pacdistill demo` is its embedded settings."""
    from pacdistill._cli.demo import DEFAULTS

    words = {1: "one", 2: "two", 3: "three"}
    widths = set(DEFAULTS["hidden"])
    assert len(widths) == 1, "the README says the hidden layers have one width"
    quick = _prose(README[README.index("## Quick start"):README.index("## Dependencies")])
    for phrase in (f"random depth-{DEFAULTS['depth']} decision tree on {DEFAULTS['d']} "
                   "variables",
                   f"{words[len(DEFAULTS['hidden'])]} hidden layers of {widths.pop()}",
                   "95% band"):
        assert phrase in quick, phrase


def test_security_limits_are_the_code_constants():
    """The limits the Security and Checking-bounds sections quote are the constants."""
    import pacdistill as pd
    from pacdistill.classes import MAX_MODEL_CELLS  # public, as the README names it

    text = _prose(README)
    assert MAX_MODEL_CELLS == 2**26 and "`pd.classes.MAX_MODEL_CELLS` = 2^26 (67,108,864)" in text
    assert f"({MAX_MODEL_CELLS * 8 // 2**20} MiB of float64)" in text
    assert pd.distributions.MAX_SAMPLE_CELLS == 2**30 and "`MAX_SAMPLE_CELLS` = 2^30" in text
    timeout = pd.bounds.checker.DEFAULT_TIMEOUT
    assert f"`--timeout SECONDS` (default {timeout:g};" in text
