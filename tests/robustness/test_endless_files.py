"""Files that never end or are enormous (issue 9: "huge sizes"): a JSON reader
given /dev/zero, /dev/urandom or a multi-gigabyte file read it whole into
memory (a bare MemoryError under a memory limit, the OOM killer without one),
and ReLUNetwork.from_npz('/dev/zero') the same. Now read_json reads at most
``pacdistill._io.MAX_JSON_BYTES`` (TooLargeError past it), and from_npz refuses
what is not a regular file before opening it (a FIFO would block the open).

The limit is lowered here so that a refusal costs a megabyte, not the real
limit's 256 MiB.
"""

import os
import threading

import pytest
from _timing import quick

import pacdistill as pd
from pacdistill import _io
from pacdistill.errors import SerializationError, TooLargeError

_SMALL = 1 << 20


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(_io, "MAX_JSON_BYTES", _SMALL)


@pytest.mark.parametrize("load", [
    lambda path: pd.ReductionWeb.from_json(path),
    lambda path: pd.checkers.Counterexample.load(path),
], ids=["ReductionWeb.from_json", "Counterexample.load"])
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_file_is_refused(small_limit, load, device):
    with quick(5.0), pytest.raises(TooLargeError, match="MAX_JSON_BYTES"):
        load(device)


def test_a_file_past_the_limit_is_refused(small_limit, tmp_path):
    path = tmp_path / "big.json"
    path.write_text("[" + "0, " * (_SMALL // 3) + "0]")
    with pytest.raises(TooLargeError, match=f"more than {_SMALL} bytes"):
        _io.read_json(path)
    path.write_text("[" + "0, " * (_SMALL // 4) + "0]")  # within the limit: read
    assert len(_io.read_json(path)) == _SMALL // 4 + 1


def test_a_json_file_from_a_pipe_is_still_read(tmp_path):
    """Non-regular files stay readable (``--replay /dev/stdin``): only the size is
    bounded."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "w") as handle:
            handle.write('{"a": [1, 2]}')

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    assert _io.read_json(fifo) == {"a": [1, 2]}
    thread.join(timeout=10)


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom"])
def test_from_npz_refuses_a_device(path):
    with quick(2.0), pytest.raises(SerializationError, match="not a regular file"):
        pd.ReLUNetwork.from_npz(path)


def test_from_npz_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "net.npz"
    os.mkfifo(fifo)
    with quick(2.0), pytest.raises(SerializationError, match="not a regular file"):
        pd.ReLUNetwork.from_npz(fifo)


def test_the_readme_quotes_the_limit():
    from pathlib import Path

    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    assert _io.MAX_JSON_BYTES == 2**28 and "256 MiB (`MAX_JSON_BYTES`;" in readme
