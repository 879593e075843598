"""JSON documents a hostile or careless user writes (issue 9): duplicate keys and
enormous strings reach every loader through ``pacdistill._io.parse_json``.

A document that names a key twice is ambiguous (RFC 8259 §4: names SHOULD be
unique; parsers differ in which value they keep), so a model or web file that
another tool reads one way must not load here another way: it is refused with a
SerializationError naming the key. Each loader is tested, not only the parser.
"""

import json

import pytest
from _timing import quick

import pacdistill as pd
from pacdistill.errors import SerializationError, UnknownNameError

PARITY = '{"class": "parity", "version": 1, "d": 3, "variables": [0], "d": 4}'


@pytest.mark.parametrize("load", [
    lambda: pd.model_from_json(PARITY),
    lambda: pd.model_from_json(PARITY.encode()),
    # the duplicate deep inside the document, in a decision tree's node
    lambda: pd.model_from_json(
        '{"class": "decision_tree", "version": 1, "d": 2, "tree": '
        '{"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": -1}, "var": 1}}'),
    # the first 'class' names one type, the second another
    lambda: pd.model_from_json(
        '{"class": "junta", "class": "parity", "version": 1, "d": 3, "variables": [0]}'),
], ids=["model", "model-bytes", "nested", "class-twice"])
def test_duplicate_keys_are_refused(load):
    with pytest.raises(SerializationError, match="duplicate key") as info:
        load()
    assert "'d'" in str(info.value) or "'var'" in str(info.value) or "'class'" in str(
        info.value)


def test_duplicate_keys_in_a_web_file(tmp_path):
    text = json.dumps(pd.default_web().to_dict())
    path = tmp_path / "web.json"
    path.write_text(text.replace("{", '{"version": 1, ', 1))  # 'version' twice at the top
    with pytest.raises(SerializationError, match="duplicate key 'version'"):
        pd.ReductionWeb.from_json(path)


def test_the_same_key_in_different_objects_is_fine():
    tree = pd.CLASSES["decision_tree"].random(0, d=4, depth=3)
    assert pd.model_from_json(tree.to_json()) == tree  # 'var', 'plus' in every node


@pytest.mark.parametrize("load", [
    lambda name: pd.model_from_json(json.dumps({"class": name, "version": 1})),
    lambda name: pd.default_web().routes(name, "junta"),
], ids=["model_from_json", "web.routes"])
def test_an_enormous_unknown_name_is_refused_quickly(load):
    """A 10 MB class name: the close-match search (difflib) took 7 s on it."""
    with quick(2.0), pytest.raises((SerializationError, UnknownNameError)) as info:
        load("x" * 10_000_000)
    assert len(str(info.value)) < 1000 and "Known:" in str(info.value)


@pytest.mark.parametrize("key", ["desicion_tree", "décision_tree", 3, None, ["junta"],
                                 "x" * 10_000_000])
def test_an_unknown_key_of_classes_names_the_choices(key):
    """pd.CLASSES['desicion_tree'] was a bare KeyError (a list key a TypeError),
    where every other lookup by class name suggests the close matches."""
    with quick(2.0), pytest.raises(UnknownNameError, match="Known: cnf, conjunction") as info:
        pd.CLASSES[key]
    assert isinstance(info.value, LookupError) and len(str(info.value)) < 1000
    if key == "desicion_tree":
        assert "Did you mean 'decision_tree'" in str(info.value)


def test_classes_is_still_a_dict():
    assert isinstance(pd.CLASSES, dict) and pd.CLASSES["junta"].name == "junta"
    assert pd.CLASSES.get("nothing") is None and "nothing" not in pd.CLASSES
    assert list(pd.CLASSES)[:2] == ["conjunction", "parity"]
