"""File input and output (private): atomic writes, and the one JSON reader.

Every file pacdistill writes goes through :func:`atomic_write` or
:func:`atomic_open`; every JSON it reads goes through :func:`parse_json` or
:func:`read_json`, which refuse the non-standard constants ``NaN`` and
``Infinity`` and keys named twice in one object, and turn every failure (bad
syntax, nesting deep enough to exhaust the interpreter's stack, unreadable
file) into a SerializationError.

A write goes to a temporary file in the target's directory (same file system),
is flushed and ``fsync``-ed, then renamed over the target with
:func:`os.replace`, which is atomic on POSIX and Windows. Whatever happens
before the rename (an exception, a KeyboardInterrupt, a full disk), the old
file is left as it was and the temporary file is removed: readers see either
the whole old file or the whole new one, never a truncated mix. The new file
keeps the permission bits of the one it replaces (a private 0600 file stays
private). A process killed outright (SIGKILL) leaves its temporary file,
named ``.pacdistill-*.tmp``, beside the intact old file.

Only a regular file (or a new one) is replaced that way. A symbolic link is
followed (the file it points to is replaced; the link stays), and an existing
file that is not a regular file -- a device such as ``/dev/null``, a FIFO, a
terminal -- is written into directly: a rename would put a regular file where
the device or the pipe was, and such a file has no old contents to keep.

Examples
--------
>>> import os, tempfile
>>> from pacdistill._io import atomic_open, atomic_write
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "out.json")
...     atomic_write(path, '{"ok": true}\\n')
...     with atomic_open(path, "w") as handle:
...         _ = handle.write("new\\n")
...     print(open(path).read(), end="")
...     print(sorted(os.listdir(tmp)))
new
['out.json']
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from .errors import SerializationError

__all__ = ["atomic_open", "atomic_write", "parse_json", "read_json", "TEMP_PREFIX"]

#: prefix of the temporary files (``.pacdistill-<random>.tmp`` beside the target)
TEMP_PREFIX = ".pacdistill-"

# the process umask, read once (os.umask can only be read by setting it)
_UMASK = os.umask(0o022)
os.umask(_UMASK)


#: the most bytes :func:`read_json` reads (256 MiB; the web's JSON is about 130 KB)
MAX_JSON_BYTES = 1 << 28


def _target(path: Any, func: str) -> str:
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        from ._validation import show  # bounded: a deeply nested value has no repr

        raise SerializationError(
            f"{func} needs a file path (a str or os.PathLike). Got {type(path).__name__} "
            f"{show(path)[:60]} instead."
        )
    target = os.fspath(path)
    if not isinstance(target, str) or not target or "\0" in target:
        raise SerializationError(f"{func}: {target!r:.80} is not a valid file path.")
    return target


def _write_error(func: str, target: str, err: OSError) -> SerializationError:
    # strerror, not str(err): the latter names the temporary file, not the target
    return SerializationError(f"{func}: Could not write {target!r}: {err.strerror or err}.")


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb", *,
                encoding: str | None = "utf-8", func: str = "atomic_open") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; on a clean exit of the
    ``with`` block it is fsync-ed and renamed to ``path``, otherwise removed.

    Parameters
    ----------
    path : str or os.PathLike
        The file to (re)place. Its directory must exist.
    mode : {"wb", "w"}
        Binary or text (text is written with ``encoding``, newlines untranslated).
    func : str
        The public function doing the write, for error messages.

    Raises
    ------
    SerializationError
        When ``path`` is not a path or the file cannot be written (the OSError
        is chained); the old file, if any, is then untouched.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open supports modes 'wb' and 'w'. Got {mode!r}.")
    target = _target(path, func)
    try:
        found = os.stat(target).st_mode  # of what a symbolic link points to
    except FileNotFoundError:
        found = None
    except OSError as err:
        raise _write_error(func, target, err) from err
    if found is not None and stat.S_ISDIR(found):
        raise SerializationError(f"{func}: {target!r} is a directory; name a file in it.")
    if found is not None and not stat.S_ISREG(found):
        yield from _write_into(target, mode, encoding, func)  # a device, a FIFO
        return
    if os.path.islink(target):
        target = os.path.realpath(target)  # replace the file; the link stays
    directory = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=directory)
    except OSError as err:
        raise _write_error(func, target, err) from err
    try:
        if mode == "wb":
            handle: IO[Any] = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding=encoding, newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600: give it the mode of the file it replaces
        # (a private 0600 file stays private), or the one a plain open() would
        os.chmod(tmp, stat.S_IMODE(found) if found is not None else 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _write_error(func, target, err) from err
        raise


def _write_into(target: str, mode: str, encoding: str | None,
                func: str) -> Iterator[IO[Any]]:
    """Write straight into an existing special file (see the module docstring)."""
    try:
        handle: IO[Any] = (open(target, "wb") if mode == "wb"
                           else open(target, "w", encoding=encoding, newline=""))
    except OSError as err:
        raise _write_error(func, target, err) from err
    try:
        with handle:
            yield handle
    except OSError as err:  # ENOSPC from /dev/full, EPIPE from a closed FIFO
        raise _write_error(func, target, err) from err


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *,
                 func: str = "atomic_write") -> None:
    """Write ``data`` (bytes, or str as UTF-8) to ``path`` atomically (see
    :func:`atomic_open`)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    elif not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"atomic_write writes bytes or str. Got {type(data).__name__}.")
    with atomic_open(path, "wb", func=func) as handle:
        handle.write(data)


def _no_constant(name: str) -> Any:
    raise SerializationError(f"JSON constant {name} is not allowed (only finite numbers).")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = ""
        for key, _ in pairs:
            if key in seen:
                twice = key
                break
            seen.add(key)
        raise SerializationError(
            f"JSON object with the duplicate key {twice!r:.80}: a document naming a key "
            "twice is ambiguous (other readers may keep the other value); keep one.")
    return obj


def parse_json(text: str | bytes | bytearray, what: str = "JSON") -> Any:
    """Parse JSON text, refusing ``NaN``/``Infinity``, an object naming a key
    twice (ambiguous: RFC 8259 §4) and any nesting so deep that the parser
    would exhaust the stack, with a SerializationError naming ``what``.

    >>> parse_json('{"a": [1, 2]}')
    {'a': [1, 2]}
    >>> parse_json("[" * 100_000, "model file")
    Traceback (most recent call last):
    ...
    pacdistill.errors.SerializationError: The model file is not valid JSON: nested too deeply ...
    """
    if not isinstance(text, (str, bytes, bytearray)):
        raise SerializationError(f"Expected {what} as text. Got {type(text).__name__}.")
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except SerializationError as err:
        if "duplicate key" in str(err):
            raise SerializationError(f"The {what} is not valid: {err}") from None
        raise
    except RecursionError as err:
        raise SerializationError(
            f"The {what} is not valid JSON: nested too deeply for the parser ({err})."
        ) from err
    except ValueError as err:          # JSONDecodeError and UnicodeDecodeError
        raise SerializationError(f"The {what} is not valid JSON: {err}") from err


def read_json(path: str | os.PathLike[str], what: str = "JSON file") -> Any:
    """Read and parse the JSON file at ``path`` (see :func:`parse_json`).

    At most :data:`MAX_JSON_BYTES` are read: a longer file, or one that never
    ends (``/dev/zero``), is a TooLargeError instead of exhausting memory.
    """
    from .errors import TooLargeError

    target = _target(path, f"reading the {what}")
    try:
        with open(target, "rb") as handle:
            text = handle.read(MAX_JSON_BYTES + 1)
    except MemoryError as err:
        raise TooLargeError(f"Not enough memory to read the {what} {target!r:.120}.") from err
    except (OSError, ValueError) as err:  # ValueError: a path no file system encodes
        hint = (" (this looks like JSON text, not a path: parse it with json.loads and "
                "pass the dict)" if target.lstrip()[:1] in ("{", "[") else "")
        raise SerializationError(
            f"Cannot read the {what} {target!r:.120}: "
            f"{getattr(err, 'strerror', None) or err}.{hint}"
        ) from err
    if len(text) > MAX_JSON_BYTES:
        raise TooLargeError(
            f"The {what} {target!r:.120} holds more than {MAX_JSON_BYTES} bytes "
            "(MAX_JSON_BYTES), or never ends; no file pacdistill writes is that large.")
    return parse_json(text, what)
