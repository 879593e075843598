"""The README's tree-distillation example runs as shown (issue 5; THEORY §5)."""

from _readme import run_readme_doctest


def test_readme_distill_tree_example():
    """Planted network -> distill_tree -> the original tree, exactly, with the
    frontier the README prints."""
    run_readme_doctest("<!-- distill-tree-example -->", "README distill_tree example")
