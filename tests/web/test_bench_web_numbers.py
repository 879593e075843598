"""README's web speed line is benchmarks/results/web.json, rounded to the
digits shown (as tests/test_readme_numbers.py does for the other benchmarks):
a re-run benchmark whose README was not updated fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: the results shown, in the order the README line shows them
SHOWN = ("compare_conjunction_junta", "compare_conjunction_junta_again",
         "route_junta_relu_time")


def _shown(value: float, text: str) -> bool:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return text == f"{value:.{decimals}f}"


def test_readme_web_speed_line_is_the_committed_benchmark():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    results = json.loads((ROOT / "benchmarks" / "results" / "web.json").read_text())["results"]
    line = next(par for par in readme.split("\n\n") if "benchmarks/bench_web.py" in par)
    found = re.findall(r"([\d.]+) s -> ([\d.]+) s \(([\d.]+)x\)", line)
    assert len(found) == len(SHOWN), line
    for (before, after, ratio), name in zip(found, SHOWN, strict=True):
        res = results[name]
        assert res["same_answer"] is True
        assert _shown(res["plain_fold_cpu_seconds"], before), (name, before)
        assert _shown(res["prefix_reuse_cpu_seconds"], after), (name, after)
        assert _shown(res["ratio_plain_over_prefix"], ratio), (name, ratio)
