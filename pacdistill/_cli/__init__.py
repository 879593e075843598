"""Command modules of the ``pacdistill`` command line (private); see pacdistill.cli."""
