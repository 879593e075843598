"""Private parts of :mod:`pacdistill.web`: size measures, route search,
inference (THEORY §9), export and drawing."""

__all__: list[str] = []
