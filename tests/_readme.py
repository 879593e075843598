"""The README's code blocks, for the tests that check them (private helper).

A block is found by the HTML comment marker just above it
(``<!-- distill-tree-example -->``), so the tests and the README cannot drift.
"""

import doctest
import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_block(marker: str, lang: str) -> str:
    """The fenced ``lang`` block right after ``marker`` in README.md."""
    text = README.read_text(encoding="utf-8")
    match = re.search(re.escape(marker) + rf"\s*```{lang}\n(.*?)\n```", text, re.S)
    assert match, f"README has no {lang} block after {marker}"
    return match.group(1)


def readme_command(marker: str) -> tuple[list[str], str]:
    """The ``$ pacdistill ...`` command of the text block after ``marker`` (its
    arguments after ``pacdistill``) and the output pasted under it."""
    command, _, expected = readme_block(marker, "text").partition("\n")
    argv = shlex.split(command.removeprefix("$ "))
    assert argv[:1] == ["pacdistill"], f"{marker}: not a pacdistill command: {command!r}"
    return argv[1:], expected.rstrip("\n")


def run_readme_doctest(marker: str, name: str) -> None:
    """Run the python block after ``marker`` as a doctest; fail on any mismatch."""
    block = readme_block(marker, "python")
    test = doctest.DocTestParser().get_doctest(block, {}, name, str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0 and result.failed == 0, f"{name}: {result}"
