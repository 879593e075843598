"""``pacdistill classes`` (issue 4 item 6): every class of pd.CLASSES, with its
ln|G| and VC dimension in their own columns (THEORY §4, §8)."""

from __future__ import annotations

import json

import pacdistill as pd
from pacdistill.cli import main


def test_classes_lists_every_class_with_its_size_and_vc_dimension(capsys):
    """Mutation audit: the command printing ln|G| under 'VC dim' and the VC dimension
    under 'ln|G|' passed every test (they read only its exit code and title)."""
    assert main(["classes", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert list(rows) == list(pd.CLASSES)
    for name, cls in pd.CLASSES.items():
        assert rows[name]["class"] == str(cls)
        assert rows[name]["description"] == cls.description
        assert rows[name]["log_size"] == ("-" if cls.log_size is None else str(cls.log_size))
        assert rows[name]["vc_dim"] == ("-" if cls.vc_dim is None else str(cls.vc_dim))
    # THEORY §4's values, written out: |Conjunction| = 3^d + 1, VC d
    assert (rows["conjunction"]["log_size"], rows["conjunction"]["vc_dim"]) == (
        "log(3**d + 1)", "d")
    assert main(["classes"]) == 0  # piped: a plain table, the same columns in that order
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("name"))
    assert header.index("ln|G|") < header.index("VC dim") < header.index("description")
    conj = next(line for line in lines if line.startswith("conjunction "))
    assert conj[header.index("ln|G|"):].startswith("log(3**d + 1) ")
    assert conj[header.index("VC dim"):].split()[0] == "d"
