"""Where the CLI writes a file it was asked for (private): ``-o FILE``, ``--plot FILE``.

The library writes files atomically (:mod:`pacdistill._io`: a temporary file
beside the target, then a rename over it). That is right for a regular file,
but a rename over a special file replaces it: ``-o /dev/stdout`` would swap the
symbolic link for a regular file, and ``-o /dev/null`` run as root would put a
regular file where the device was. A symbolic link to a regular file would lose
its link. :func:`write_output` therefore

- writes a new or regular file atomically, through the library;
- follows a symbolic link and writes the file it points to (the link stays);
- streams into an existing special file (a terminal, ``/dev/stdout``, a pipe or
  FIFO, a device): it has no old contents to keep, so no rename;
- with ``-`` (where allowed), writes to standard output.
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
        sys.stdout.flush()  # what was printed before comes first
        _stream(write, sys.stdout.buffer)
        return True
    try:
        mode = os.stat(path).st_mode  # of what a symbolic link points to
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise InvalidParameterError(
            f"The {option!r} file {path!r} cannot be written: {err.strerror or err}."
        ) from err
    if mode is not None and stat.S_ISDIR(mode):
        raise InvalidParameterError(
            f"The {option!r} file {path!r} is a directory; name a file in it."
        )
    if mode is None or stat.S_ISREG(mode):
        # through a symbolic link: keep the link, (re)place the file it points to
        write(os.path.realpath(path) if os.path.islink(path) else path)
        return False
    try:  # a terminal, a pipe, a device: stream into it
        with open(path, "wb") as handle:
            _stream(write, handle)
    except OSError as err:
        raise InvalidParameterError(
            f"The {option!r} file {path!r} cannot be written: {err.strerror or err}."
        ) from err
    return True


def _stream(write: Callable[[str], Any], handle: Any) -> None:
    """Let ``write`` make a file in a private temporary directory, then copy it
    into ``handle`` (a stream)."""
    with tempfile.TemporaryDirectory(prefix="pacdistill-") as tmp:
        name = os.path.join(tmp, "output")
        write(name)
        with open(name, "rb") as source:
            shutil.copyfileobj(source, handle)
        handle.flush()
