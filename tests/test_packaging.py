"""The source distribution carries everything the test suite reads.

``pip download``/``pip install`` from an sdist and then ``python -m pytest`` must
work: the tests open ``docs/``, ``notebooks/``, ``benchmarks/results/`` and
``.ci/run``, and the root ``conftest.py`` holds the hypothesis profiles. The
sdist's ``include`` list in pyproject.toml is therefore checked against every
top-level path git tracks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


PYPROJECT = (ROOT / "pyproject.toml").read_text()


def _string_list(section: str, key: str) -> set[str]:
    """The strings of ``key = [...]`` in ``[section]`` of pyproject.toml (read with
    a regex: tomllib is Python 3.11+ and the project supports 3.10)."""
    body = re.search(rf"^\[{re.escape(section)}\]\n(.*?)(?=^\[|\Z)", PYPROJECT, re.M | re.S)
    assert body, f"pyproject.toml has no [{section}] table"
    value = re.search(rf"^{key}\s*=\s*\[(.*?)\]", body.group(1), re.M | re.S)
    assert value, f"[{section}] has no list {key!r}"
    return set(re.findall(r'"([^"]+)"', value.group(1)))


def _sdist_include() -> set[str]:
    return _string_list("tool.hatch.build.targets.sdist", "include")


def _tracked_top_level() -> set[str]:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout (an unpacked sdist holds only what it includes)")
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    return {path.split("/", 1)[0] for path in listed}


def test_sdist_includes_every_tracked_top_level_path():
    missing = _tracked_top_level() - _sdist_include() - {".gitignore"}
    assert not missing, f"pyproject's sdist include list lacks {sorted(missing)}"


def test_sdist_include_names_only_existing_paths():
    absent = sorted(name for name in _sdist_include() if not (ROOT / name).exists())
    assert not absent, f"pyproject's sdist include list names missing paths {absent}"


def test_license_file_is_declared_and_present():
    assert re.search(r'^license = "MIT"$', PYPROJECT, re.M)
    names = _string_list("project", "license-files")
    assert names == {"LICENSE"}
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
