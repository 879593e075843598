"""Fuzzing the counterexample loader (issue 9: "JSON loaders"): ``pd.checkers.replay``
and ``Counterexample.from_dict`` / ``Counterexample.load`` read the JSON files
``pacdistill check`` saves, which users pass around and edit. Until this file
the only hostile inputs they met were five fixed files of the CLI fuzz.

Same allowed outcome as everywhere (_fuzzing): a ReplayResult, or a
PacDistillError. The defects found (RecursionError on deep
documents, TypeError on fields of the wrong type, a malformed field replayed
as the edge's failure) were fixed in pacdistill/checkers/conformance.py.
"""

import json
import os
import tempfile

import pytest
from _fuzzing import deep_list, fuzz, hostile_values, mutated_documents, mutated_json_texts
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers import Counterexample, replay
from pacdistill.errors import PacDistillError, SerializationError

#: an exact counterexample and a statistical one (both replay: "not reproduced")
EXACT = Counterexample(reduction="junta_to_tree", kind="exact", violation="equality",
                       message="m", source=pd.Junta(4, [1, 3], [1, -1, -1, 1]).to_dict())
STATISTICAL = Counterexample(
    reduction="learn_parity[parity]", kind="perfect", violation="error", message="m",
    source=pd.Parity(4, [0, 2]).to_dict(), distribution=pd.distributions.Uniform(4).to_dict(),
    seed=3, eps=0.2, delta=0.2, options={"n": 6})
DOCS = [EXACT.to_dict(), STATISTICAL.to_dict()]
_DIR = tempfile.mkdtemp(prefix="pacdistill-cx-fuzz-")

#: replayed once at import, so the first fuzz case does not pay for building the web
WARM = [replay(doc) for doc in DOCS]


def test_the_seed_documents_replay():
    assert not any(result.reproduced for result in WARM)


@fuzz("checkers.replay", st.one_of(
    mutated_documents(DOCS), hostile_values(),
    mutated_json_texts(DOCS).map(lambda text: ("file", text))))
def test_replay(doc):
    if isinstance(doc, tuple) and doc[:1] == ("file",):
        path = os.path.join(_DIR, "cx.json")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(doc[1])
        doc = path
    replay(doc)


@pytest.mark.parametrize("load", [
    lambda: Counterexample.from_dict(deep_list(10_000)),
    lambda: Counterexample.from_dict({"type": "Counterexample", "version": deep_list(10_000)}),
    lambda: replay({**STATISTICAL.to_dict(), "options": [1]}),
    lambda: replay({**EXACT.to_dict(), "reduction": ["junta_to_tree"]}),
], ids=["deep-document", "deep-version", "options-list", "reduction-list"])
def test_malformed_counterexamples_are_serialization_errors(load):
    with pytest.raises(PacDistillError):
        load()


@pytest.mark.parametrize("field", [{"seed": "x"}, {"seed": -1}, {"eps": 1.5}, {"delta": 0},
                                   {"seed": True}, {"options": [1]}],
                         ids=["seed-str", "seed-negative", "eps", "delta", "seed-bool",
                              "options-list"])
def test_a_malformed_field_is_not_a_reproduced_failure(tmp_path, field):
    """Such a file replayed as 'REPRODUCED: ... raised InvalidParameterError', the
    file's fault reported as the edge's failure."""
    path = tmp_path / "cx.json"
    path.write_text(json.dumps({**STATISTICAL.to_dict(), **field}))
    with pytest.raises(SerializationError):
        replay(path)
