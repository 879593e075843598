"""Project-level checks: the README's commands, CI, lint and the public facade."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pacdistill as pd

ROOT = Path(__file__).resolve().parents[1]
README_TEXT = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(re.escape(marker) + r"\s*```bash\n(.*?)\n```", text, re.S)
    assert match, f"README has no bash block after {marker}"
    return match.group(1).strip()


def test_readme_quick_start_is_two_commands():
    """The quick start is exactly two one-line commands: main job, then tests."""
    main = _block_after("<!-- quickstart-main -->")
    test = _block_after("<!-- quickstart-test -->")
    assert "\n" not in main and "\n" not in test
    assert main.endswith("pacdistill demo")
    assert "pip install" in main and "pip install -e \".[test]\"" in test
    assert "pytest" in test


def test_ci_runs_the_readme_test_command():
    """.ci/run extracts and runs exactly the README's test command."""
    script = (ROOT / ".ci" / "run").read_text()
    assert "<!-- quickstart-test -->" in script
    awk = re.search(r"cmd=\$\((awk .*?README\.md)\)", script)
    assert awk, ".ci/run no longer extracts the command with awk"
    out = subprocess.run(["bash", "-c", awk.group(1)], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == _block_after("<!-- quickstart-test -->")


def test_ruff_is_clean():
    """ruff check passes on the package, tests and benchmarks."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff not installed (it is in the test extras)")
    result = subprocess.run([ruff, "check", "pacdistill", "tests", "benchmarks", "conftest.py"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_names_exist():
    """Every name in pacdistill.__all__ (and each subpackage's) exists."""
    for name in pd.__all__:
        assert hasattr(pd, name), name
    for sub in (pd.bounds, pd.classes, pd.cube, pd.errors):
        for name in getattr(sub, "__all__", []):
            assert hasattr(sub, name), f"{sub.__name__}.{name}"


def test_no_eval_of_user_text():
    """No eval/exec/sympify call in the package except ones marked '# safe:'."""
    offenders = []
    for path in (ROOT / "pacdistill").rglob("*.py"):
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            # sympify/parse_expr/lambdify however reached (sympy.sympify too); eval and
            # exec as bare or builtins calls (not a method such as torch's module.eval())
            hit = re.search(r"\b(sympify|parse_expr|lambdify)\(", line) or re.search(
                r"(?<![\w.])(builtins\.)?(eval|exec)\(", line)
            if hit and "# safe:" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_module_cli_entry_point():
    """python -m pacdistill --version works."""
    out = subprocess.run([sys.executable, "-m", "pacdistill", "--version"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and pd.__version__ in out.stdout



#: import name -> distribution name, where they differ
_DISTRIBUTION = {"sklearn": "scikit-learn"}


def _declared(section):
    """The distribution names of a requirement list of pyproject.toml (``dependencies``
    or ``test``), read with a regex (tomllib is Python 3.11+)."""
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(rf"^{section} = \[\n(.*?)^\]", text, re.S | re.M)
    assert block, f"pyproject.toml has no {section} list"
    return {re.match(r"[A-Za-z0-9_.-]+", item).group(0).lower()
            for item in re.findall(r'"([^"]+)"', block.group(1))}


def _third_party_imports(folder):
    """Top-level names of the non-standard-library modules imported under ``folder``."""
    import ast

    names = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {name for name in names
            if name not in sys.stdlib_module_names and name != "pacdistill"}


def test_every_import_is_a_declared_dependency():
    """What the package imports is in pyproject's dependencies (pytest only in the
    plugin pytest itself loads), and README's Dependencies section names each one:
    mpmath, imported by the bound checker, was installed only through sympy."""
    runtime = _declared("dependencies")
    imported = {_DISTRIBUTION.get(name, name) for name in _third_party_imports("pacdistill")}
    assert imported - runtime <= {"pytest"}, imported - runtime
    section = README_TEXT[README_TEXT.index("## Dependencies"):]
    section = section[:section.index("\n## ", 1)]
    for name in runtime | _declared("test"):
        assert name in section, f"README's Dependencies section does not mention {name}"


def test_every_declared_dependency_is_used():
    """No dependency is declared and never imported (by the package, its tests,
    benchmarks or notebooks), except the tools the suite runs without importing."""
    used = {_DISTRIBUTION.get(name, name)
            for folder in ("pacdistill", "tests", "benchmarks")
            for name in _third_party_imports(folder)}
    notebooks = " ".join(path.read_text() for path in (ROOT / "notebooks").glob("*.ipynb"))
    used |= {_DISTRIBUTION.get(name, name)
             for name in re.findall(r"(?:from|import) (\w+)", notebooks)}
    # the -n plugin pytest loads, the kernel nbclient starts, the linter test_ruff_is_clean runs
    tools = {"pytest-xdist", "ipykernel", "ruff"}
    unused = (_declared("dependencies") | _declared("test")) - used - tools
    assert not unused, unused
