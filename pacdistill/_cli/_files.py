"""Where the CLI writes a file it was asked for (private): ``-o FILE``, ``--plot FILE``.

Every write goes through the library's :mod:`pacdistill._io`, which replaces a
new or regular file atomically, follows a symbolic link (the link stays) and
writes into an existing special file (a terminal, ``/dev/stdout``, a pipe or
FIFO, a device) instead of replacing it. :func:`write_output` adds what is the
command line's: ``-`` (where allowed) for standard output, a directory refused
naming the option, and whether the output was a stream (then a note about the
write belongs on stderr).
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from typing import Any

__all__ = ["write_output"]


def write_output(path: str, write: Callable[[str], Any], *, option: str,
                 dash_is_stdout: bool = False) -> bool:
    """Run ``write(file)``, which writes a file at a path it is given, so that
    the result lands at ``path`` (see the module docstring). Returns True when
    it was streamed (standard output, a terminal, a pipe, a device): a note
    about the write then belongs on stderr, not in the stream.

    >>> import os, tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     link, real = os.path.join(tmp, "link.json"), os.path.join(tmp, "real.json")
    ...     os.symlink(real, link)
    ...     _ = write_output(link, lambda p: Path(p).write_text("{}"), option="-o")
    ...     os.path.islink(link), Path(real).read_text()
    (True, '{}')
    """
    from ..errors import InvalidParameterError

    if path == "-" and dash_is_stdout:
        from ._output import writing_stdout

        with writing_stdout():
            sys.stdout.flush()  # what was printed before comes first
        _stream(write, sys.stdout.buffer)
        return True
    if not path:
        raise InvalidParameterError(f"The {option!r} file must be a path. Got ''.")
    try:
        mode = os.stat(path).st_mode  # of what a symbolic link points to
    except FileNotFoundError:
        mode = None
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory) and not os.path.islink(path):
            raise InvalidParameterError(
                f"The {option!r} file {path!r} cannot be written: its directory "
                f"{directory!r} does not exist.") from None
    except OSError as err:
        raise InvalidParameterError(
            f"The {option!r} file {path!r} cannot be written: {err.strerror or err}."
        ) from err
    if mode is not None and stat.S_ISDIR(mode):
        raise InvalidParameterError(
            f"The {option!r} file {path!r} is a directory; name a file in it."
        )
    write(path)  # pacdistill._io follows a link and writes into a special file
    return mode is not None and not stat.S_ISREG(mode)


def _stream(write: Callable[[str], Any], handle: Any) -> None:
    """Let ``write`` make a file in a private temporary directory, then copy it
    into ``handle`` (standard output)."""
    from ._output import writing_stdout

    with tempfile.TemporaryDirectory(prefix="pacdistill-") as tmp:
        name = os.path.join(tmp, "output")
        write(name)
        with open(name, "rb") as source, writing_stdout():
            shutil.copyfileobj(source, handle)
            handle.flush()
