"""Every file pacdistill writes is written atomically (issue 9, deliverable 3).

An interrupted write -- an exception or a KeyboardInterrupt while the data is
written, or a failure of the final rename -- leaves the old file byte for byte
as it was and no temporary file behind.
"""

import os

import pytest

import pacdistill as pd
from pacdistill import _io
from pacdistill.errors import SerializationError

#: the file every writer replaces (a suffix matplotlib knows, so the plot is attempted)
TARGET = "out.png"
OLD = b"the old content, which must survive\n"


def _listing(directory):
    return sorted(p.name for p in directory.iterdir())


def _net():
    return pd.CLASSES["relu_network"].random(0, d=4, m=3)


class Boom(Exception):
    pass


def _writers():
    """(name, write(path)) for every writer of finished modules."""
    from pacdistill._cli.distill import save_frontier_plot

    net = _net()
    web = pd.default_web()
    frontier = pd.distill_tree(net, pd.distributions.Uniform(4).sample(200, 0), depth=1,
                               rng=0).frontier
    counterexample = pd.checkers.Counterexample(
        reduction="junta_to_tree", kind="exact", violation="equality", message="test",
        source=pd.Parity(2, [0]).to_dict())
    return [
        ("atomic_write", lambda path: _io.atomic_write(path, b"new" * 1000)),
        ("ReLUNetwork.to_npz", net.to_npz),
        *[(f"ReductionWeb.export-{fmt}", lambda path, fmt=fmt: web.export(path, format=fmt))
          for fmt in ("json", "graphml", "dot")],
        ("save_frontier_plot (--plot)", lambda path: save_frontier_plot(frontier, path)),
        ("Counterexample.save", counterexample.save),
    ]


WRITERS = _writers()


@pytest.mark.parametrize("name,write", WRITERS, ids=[w[0] for w in WRITERS])
@pytest.mark.parametrize("interruption", [Boom, KeyboardInterrupt])
def test_interrupted_write_keeps_old_file(tmp_path, monkeypatch, name, write, interruption):
    """The write itself raises midway: the old file is intact, no temp file remains."""
    target = tmp_path / TARGET
    target.write_bytes(OLD)
    real_fdopen = os.fdopen

    class Failing:
        """A file that takes 100 bytes, then raises in the middle of a write
        (so a partial file exists when the interruption hits)."""

        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def write(self, data):
            room = 100 - self.written
            if len(data) > room:
                self.handle.write(bytes(data)[:max(room, 0)])
                raise interruption("interrupted while writing")
            self.written += len(data)
            return self.handle.write(data)

        def __getattr__(self, attr):
            return getattr(self.handle, attr)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(_io.os, "fdopen", lambda *a, **k: Failing(real_fdopen(*a, **k)))
    with pytest.raises((interruption, SerializationError)):
        write(target)
    assert target.read_bytes() == OLD
    assert _listing(tmp_path) == [TARGET]


@pytest.mark.parametrize("name,write", WRITERS, ids=[w[0] for w in WRITERS])
def test_failed_rename_keeps_old_file(tmp_path, monkeypatch, name, write):
    """os.replace fails (a full disk, a crash between write and rename)."""
    target = tmp_path / TARGET
    target.write_bytes(OLD)

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_io.os, "replace", failing_replace)
    with pytest.raises(SerializationError, match="No space left"):
        write(target)
    assert target.read_bytes() == OLD
    assert _listing(tmp_path) == [TARGET]


@pytest.mark.parametrize("name,write", WRITERS, ids=[w[0] for w in WRITERS])
def test_write_is_fsynced_before_rename(tmp_path, monkeypatch, name, write):
    """The data reaches the disk (fsync) before the rename makes it visible."""
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(_io.os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(_io.os, "replace",
                        lambda a, b: (events.append("replace"), real_replace(a, b)))
    write(tmp_path / TARGET)
    assert events == ["fsync", "replace"]
    assert _listing(tmp_path) == [TARGET]


def test_npz_round_trip_after_overwrite(tmp_path):
    """A successful atomic overwrite replaces the file completely."""
    path = tmp_path / "net.npz"
    first, second = _net(), pd.CLASSES["relu_network"].random(1, d=4, m=5)
    first.to_npz(path)
    second.to_npz(path)
    assert pd.ReLUNetwork.from_npz(path) == second
    assert _listing(tmp_path) == ["net.npz"]


def test_new_file_gets_default_permissions(tmp_path):
    """mkstemp's 0600 is not leaked: the file gets what open() would give."""
    _io.atomic_write(tmp_path / "a", "x")
    (tmp_path / "b").write_text("x")
    assert (tmp_path / "a").stat().st_mode == (tmp_path / "b").stat().st_mode


@pytest.mark.parametrize("path", [None, 3, 2.5, b"/tmp/x", "", "a\0b"])
def test_bad_paths_are_serialization_errors(path):
    with pytest.raises(SerializationError):
        _net().to_npz(path)


def test_missing_directory(tmp_path):
    with pytest.raises(SerializationError, match="Could not write"):
        _io.atomic_write(tmp_path / "no" / "file", b"x")
    assert _listing(tmp_path) == []


def test_text_mode_keeps_newlines(tmp_path):
    with _io.atomic_open(tmp_path / "t", "w") as handle:
        handle.write("a\r\nb\n")
    assert (tmp_path / "t").read_bytes() == b"a\r\nb\n"


# --- what is not a regular file is not replaced (a rename would swap it for one) --------


def test_a_symbolic_link_is_followed_and_kept(tmp_path):
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("old")
    os.symlink(real, link)
    pd.default_web().export(link)
    assert os.path.islink(link) and os.readlink(link) == str(real)
    assert real.read_text().startswith("{")  # the export landed in the file linked to


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    """A FIFO stands for any special file (a device such as /dev/null, a terminal):
    the data goes into it and it stays what it was. (Before, the rename put a
    regular file in its place: as root, 'export -o /dev/full' replaced the device.)"""
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        _io.atomic_write(fifo, "through the pipe")
    finally:
        reader.join(timeout=5)  # a write into the FIFO ends the read
        if reader.is_alive():  # unblock the reader if the write went elsewhere
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                os.close(fd)
            except OSError:  # ENXIO: the reader closed its end meanwhile
                pass
        reader.join(timeout=10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["pipe"]  # no temporary file left


def test_a_directory_is_refused_by_name(tmp_path):
    with pytest.raises(SerializationError, match="is a directory; name a file in it"):
        _io.atomic_write(tmp_path, "x")


# --- a real interruption: the writing process is killed (SIGKILL) mid-write --------------

_CHILD = r"""
import sys
from pacdistill import _io
with _io.atomic_open(sys.argv[1], "wb") as handle:
    handle.write(b"half of the new content")
    handle.flush()
    print("writing", flush=True)
    sys.stdin.read()  # wait here until killed
"""


def test_a_killed_writer_leaves_the_old_file(tmp_path):
    """No exception handler runs on SIGKILL: the old file must still be whole (the
    rename never happened). The temporary file stays behind, under the prefix
    _io.TEMP_PREFIX that names it as pacdistill's."""
    import signal
    import subprocess
    import sys

    target = tmp_path / TARGET
    target.write_bytes(OLD)
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(target)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"writing\n"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == OLD
    left = [name for name in _listing(tmp_path) if name != TARGET]
    assert len(left) == 1 and left[0].startswith(_io.TEMP_PREFIX), left


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_replacing_a_file_keeps_its_permissions(tmp_path, mode):
    """A file the user made private (0600) stayed private after an overwrite? The
    rename put a new file with the default mode (0644 under umask 022) in its
    place, readable by everyone."""
    target = tmp_path / "private.json"
    target.write_text("old")
    os.chmod(target, mode)
    _io.atomic_write(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == mode


def test_no_writer_bypasses_the_atomic_one():
    """'any file the tool writes' (issue 9): no module of the package opens a file
    for writing, or hands a path to a library writer (savefig, np.save/savez,
    write_text, json.dump to a path), except pacdistill/_io.py; what writes goes
    through atomic_open/atomic_write (the writers above) or gets its handle."""
    import re
    from pathlib import Path

    writes = re.compile(
        r"\bopen\([^)]*['\"][wax]b?\+?['\"]|\.write_(text|bytes)\(|\bos\.open\(|"
        r"\bsavefig\((?!handle\b)|\bnp\.save[z]?(_compressed)?\((?!fh\b|handle\b)|"
        r"\bnx\.write_\w+\((?!graph, handle\b)")
    allowed = {("cli.py", "os.devnull")}  # silencing a closed stderr or a broken pipe
    root = Path(pd.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if not writes.search(code) or code.lstrip().startswith((">>>", "...")):
                continue
            if path.name == "_io.py" or any(path.name == name and snippet in code
                                            for name, snippet in allowed):
                continue
            offenders.append(f"{path.relative_to(root)}:{lineno}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
