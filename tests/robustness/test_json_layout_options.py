"""``to_json(**kwargs)`` of every record (models, distributions) takes the
layout options of json.dumps only, each checked: before, ``indent=10**9``
wrote a gigabyte of spaces per line and an array, a float or an unknown option
raised numpy's or json's own error (P1's method audit, session 8)."""

import json

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.errors import InvalidParameterError

RECORDS = [pd.Junta(3, [0], [1, -1]), pd.distributions.Uniform(3)]

BAD = [
    ({"indent": 1.5}, "'indent' parameter of .*to_json must be None, an integer in \\[0, 64\\]"),
    ({"indent": 10**9}, "'indent' .*Got 1000000000 instead"),
    ({"indent": " " * 65}, "'indent' .*a string of at most 64 characters"),
    ({"indent": np.array([1, 2])}, "'indent' .*Got array"),
    ({"indent": True}, "'indent' .*Got True instead"),
    ({"sort_keys": np.array([1, 2])}, "'sort_keys' .*must be True or False"),
    ({"ensure_ascii": 3}, "'ensure_ascii' .*must be True or False. Got 3"),
    ({"separators": 3}, "'separators' .*None or a pair of strings"),
    ({"separators": ("a", 3)}, "'separators' .*Got \\('a', 3\\)"),
    ({"cls": 3}, "'kwargs' .*layout options of json.dumps only.*Got 'cls'"),
    ({"default": str}, "'kwargs' .*Got 'default'"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
@pytest.mark.parametrize("options, message", BAD, ids=lambda v: str(v)[:30])
def test_bad_layout_options_are_refused(record, options, message):
    with pytest.raises(InvalidParameterError, match=message):
        record.to_json(**options)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_layout_options_still_work_and_round_trip(record):
    for options in ({}, {"indent": 2}, {"indent": np.int64(0)}, {"indent": "\t"},
                    {"separators": (",", ":"), "sort_keys": np.True_, "ensure_ascii": False}):
        text = record.to_json(**options)
        assert json.loads(text) == record.to_dict()
        assert type(record).from_dict(json.loads(text)) == record
    assert "\n  " in record.to_json(indent=2) and " " not in record.to_json(separators=(",", ":"))
