"""Fuzzing ReLUNetwork.from_npz (issue 9): corrupted, truncated and odd .npz
archives, stored or deflated (wrong keys, object arrays, wrong dtypes and
shapes, NaN, headers that lie about the shape or their own length) must be
refused with SerializationError -- or TooLargeError for a network past
MAX_MODEL_CELLS, decided from the .npy headers before any data is read -- and
an object array must never be unpickled (its payload would trip the canary).
"""

import io
import os
import tempfile
import zipfile

import numpy as np
import pytest
from _fuzzing import CANARY, fuzz
from _timing import quick
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.classes import _base
from pacdistill.errors import SerializationError, TooLargeError


class _Payload:
    """Pickles to a call that creates the canary file when unpickled."""

    def __reduce__(self):
        return (os.system, (f"touch {CANARY}",))


def _valid_arrays(seed: int):
    net = pd.CLASSES["relu_network"].random(seed, d=3, L=seed % 2 + 1, m=3)
    out = {}
    for layer, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        out[f"W{layer}"], out[f"b{layer}"] = W, b
    return out


_ODD_ARRAYS = [
    np.array([_Payload()], dtype=object), np.array([[1.0, None]], dtype=object),
    np.full((3, 3), np.nan), np.full((1, 3), np.inf), np.ones((3, 3), dtype=complex),
    np.ones((3, 3), dtype=bool), np.array([["a", "b"]]), np.float64(2.0), np.ones((2, 2, 2)),
    np.zeros((0, 3)), np.ones((3, 3), dtype=np.float16), np.ones((1, 3), dtype=np.int64) * 2**62,
    np.array([1e308, -1e308]), np.ones(3, dtype=[("a", "f8")]), np.ones((1, 3), dtype=">f8"),
]
_ODD_KEYS = ["W0", "b0", "W1", "b1", "W2", "b2", "W01", "w0", "x", "W-1", "Wb", "b",
             "../W0", "W0.npy", "é", "W99999999999999999999"]


def _npz_bytes(arrays, compressed=False) -> bytes:
    buffer = io.BytesIO()
    # both pickle object arrays (allow_pickle=True on save)
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


#: shapes a lying W0.npy header claims: past the index range (numpy refuses the
#: shape), 2^40 entries (numpy accepts the shape; 8 TiB do not fit: it was a bare
#: MemoryError), a wide single row, and just past MAX_MODEL_CELLS with no data
LYING_SHAPES = [(10**11, 10**11), (2**20, 2**20), (1, 2**40), (8192, 8193)]


def _header(shape, version=(1, 0), length=None) -> bytes:
    """The bytes of a .npy header (no data) claiming a float64 array of ``shape``;
    ``length`` overrides the header length field (capped at what the version's
    2- or 4-byte field holds)."""
    text = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {tuple(shape)}, }}"
    text = text.ljust(118) + "\n"
    size = 2 if version == (1, 0) else 4
    n = len(text) if length is None else min(length, 256**size - 1)
    return b"\x93NUMPY" + bytes(version) + n.to_bytes(size, "little") + text.encode()


def _lying_header(shape=(10**11, 10**11), version=(1, 0), length=None,
                  compression=zipfile.ZIP_STORED) -> bytes:
    """An archive whose W0.npy is only a header claiming ``shape`` (no data), with
    valid b0, W1, b1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("W0.npy", _header(shape, version, length))
        for key, value in {"b0": np.zeros(shape[0] if shape[0] < 10 else 1),
                           "W1": np.ones((1, 1)), "b1": np.zeros(1)}.items():
            item = io.BytesIO()
            np.save(item, value)
            archive.writestr(f"{key}.npy", item.getvalue())
    return buffer.getvalue()


@st.composite
def npz_files(draw) -> bytes:
    kind = draw(st.sampled_from(["valid-mutated", "odd-arrays", "truncate", "flip", "raw",
                                 "lying"]))
    if kind == "raw":
        return draw(st.one_of(st.binary(max_size=200),
                              st.sampled_from([b"", b"PK\x03\x04", b"\x93NUMPY", b"PK" * 50])))
    if kind == "lying":
        return _lying_header(
            draw(st.sampled_from(LYING_SHAPES)), draw(st.sampled_from([(1, 0), (2, 0)])),
            draw(st.sampled_from([None, None, 0, 5, 2**16 - 1, 2**32 - 1])),
            draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))
    arrays = dict(_valid_arrays(draw(st.integers(0, 3))))
    if kind in ("valid-mutated", "odd-arrays"):
        for _ in range(draw(st.integers(1, 3))):
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            key = draw(st.sampled_from(sorted(arrays) or ["W0"]))
            if action == "replace" or kind == "odd-arrays":
                arrays[key] = draw(st.sampled_from(_ODD_ARRAYS))
            elif action == "delete":
                arrays.pop(key, None)
            else:
                arrays[draw(st.sampled_from(_ODD_KEYS))] = draw(st.sampled_from(_ODD_ARRAYS))
    data = bytearray(_npz_bytes(arrays, compressed=draw(st.booleans())))
    if kind == "truncate":
        return bytes(data[:draw(st.integers(0, len(data) - 1))])
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            pos = draw(st.integers(0, len(data) - 1))
            data[pos] = draw(st.integers(0, 255))
    return bytes(data)


_DIR = tempfile.mkdtemp(prefix="pacdistill-npz-fuzz-")


@fuzz("ReLUNetwork.from_npz", npz_files())
def test_from_npz(data):
    path = os.path.join(_DIR, "case.npz")
    with open(path, "wb") as handle:
        handle.write(data)
    net = pd.ReLUNetwork.from_npz(path)
    # what loads is a valid network that survives its own round trip
    net.to_npz(path)
    assert pd.ReLUNetwork.from_npz(path) == net


@pytest.mark.parametrize("arrays", [
    {"W0": np.array([_Payload()], dtype=object), "b0": np.zeros(1),
     "W1": np.ones((1, 1)), "b1": np.zeros(1)},
    {"W0": np.ones((2, 3)), "b0": np.array([_Payload(), _Payload()], dtype=object),
     "W1": np.ones((1, 2)), "b1": np.zeros(1)},
], ids=["weights", "biases"])
def test_object_arrays_are_never_unpickled(tmp_path, arrays):
    """np.savez pickles object arrays; from_npz loads with allow_pickle=False, so
    the pickled payload is refused and never executed."""
    path = tmp_path / "evil.npz"
    np.savez(path, **arrays)
    with pytest.raises(SerializationError, match="[Oo]bject arrays|allow_pickle"):
        pd.ReLUNetwork.from_npz(path)
    assert not os.path.exists(CANARY)


def test_single_pickled_npy_is_refused(tmp_path):
    """A lone .npy holding a pickled object array is not an archive: refused unread."""
    path = tmp_path / "evil.npy"
    np.save(path, np.array([_Payload()], dtype=object), allow_pickle=True)
    with pytest.raises(SerializationError):
        pd.ReLUNetwork.from_npz(path)
    assert not os.path.exists(CANARY)


def test_nan_weights_are_named(tmp_path):
    arrays = _valid_arrays(0)
    arrays["W1"] = np.full_like(arrays["W1"], np.nan)
    np.savez(tmp_path / "nan.npz", **arrays)
    with pytest.raises(SerializationError, match=r"weights\[1\].*finite"):
        pd.ReLUNetwork.from_npz(tmp_path / "nan.npz")


def _write_npz(tmp_path, data, name="case.npz"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("shape", LYING_SHAPES[1:], ids=lambda s: "x".join(map(str, s)))
def test_headers_past_the_limit_are_refused_unread(tmp_path, shape):
    """A header claiming more than MAX_MODEL_CELLS entries is refused from the
    header alone (the member holds no data at all), quickly. (2^20, 2^20) was a
    bare MemoryError (numpy accepts the shape and tries to allocate 8 TiB)."""
    path = _write_npz(tmp_path, _lying_header(shape))
    with quick(2.0), pytest.raises(TooLargeError, match="MAX_MODEL_CELLS") as info:
        pd.ReLUNetwork.from_npz(path)
    assert str(shape[0] * shape[1] + 3) in str(info.value)  # W0 + b0 + W1 + b1 entries


def _compressed_network(tmp_path, d, m):
    """A valid deflated archive of a d -> m -> 1 network, and the network."""
    net = pd.CLASSES["relu_network"].random(0, d=d, m=m)
    arrays = {}
    for layer, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        arrays[f"W{layer}"], arrays[f"b{layer}"] = W, b
    return _write_npz(tmp_path, _npz_bytes(arrays, compressed=True), "net.npz"), net


def test_compressed_archive_past_the_limit(tmp_path, monkeypatch):
    """The limit counts what the headers declare, so a small compressed archive
    that expands past it (the audit's 0.5 MB file expanding to an 8192 x 8192
    network, 1.6 GB in memory) is refused before decompressing. Shown at a
    lowered limit: a network of exactly the limit loads, one entry more does not
    (before the fix nothing was refused)."""
    path, net = _compressed_network(tmp_path, d=50, m=40)
    cells = 50 * 40 + 40 + 40 + 1
    monkeypatch.setattr(_base, "MAX_MODEL_CELLS", cells)
    assert pd.ReLUNetwork.from_npz(path) == net
    monkeypatch.setattr(_base, "MAX_MODEL_CELLS", cells - 1)
    with pytest.raises(TooLargeError, match=f"holding {cells} numbers"):
        pd.ReLUNetwork.from_npz(path)


def test_deflated_header_past_the_real_limit(tmp_path):
    """At the real limit: a deflated W0.npy whose header declares 8192 x 8193
    (just past 2^26 entries) is refused without reading its data."""
    path = _write_npz(tmp_path, _lying_header((8192, 8193), compression=zipfile.ZIP_DEFLATED))
    with pytest.raises(TooLargeError, match="67108864"):
        pd.ReLUNetwork.from_npz(path)


def test_header_length_of_4_gib_is_refused_unread(tmp_path):
    """A 2.0 header whose length field says 4 GiB, over a deflated stream: numpy's
    reader would decompress that much before its own header-size check."""
    path = _write_npz(tmp_path, _lying_header((2, 3), version=(2, 0), length=2**32 - 1,
                                              compression=zipfile.ZIP_DEFLATED))
    with quick(2.0), pytest.raises(SerializationError, match="header of 4294967295 bytes"):
        pd.ReLUNetwork.from_npz(path)


def test_memory_error_becomes_too_large(tmp_path, monkeypatch):
    """Should reading an array within the limit still exhaust memory, the
    MemoryError is a TooLargeError (a PacDistillError), not a bare traceback."""
    arrays = _valid_arrays(0)
    np.savez(tmp_path / "net.npz", **arrays)

    def exhausted(*args, **kwargs):
        raise MemoryError("Unable to allocate 8.00 TiB")

    monkeypatch.setattr(np.lib.format, "read_array", exhausted)
    with pytest.raises(TooLargeError, match="memory"):
        pd.ReLUNetwork.from_npz(tmp_path / "net.npz")


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_corrupted_compressed_members(tmp_path, method):
    """A damaged deflate/bzip2/lzma stream raises zlib.error, OSError or
    LZMAError inside zipfile: each is a SerializationError."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for key, value in _valid_arrays(0).items():
            item = io.BytesIO()
            np.save(item, value)
            archive.writestr(f"{key}.npy", item.getvalue())
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("W0.npy")
    start = info.header_offset + 30 + len(info.filename)  # the local header's 30 bytes
    data[start:start + info.compress_size] = bytes(range(256)) * (info.compress_size // 256) \
        + bytes(info.compress_size % 256)
    with pytest.raises(SerializationError):
        pd.ReLUNetwork.from_npz(_write_npz(tmp_path, bytes(data)))


def test_the_canary_payload_works_when_unpickled(tmp_path, monkeypatch):
    """Control: the same payload does create its file when something unpickles it
    (allow_pickle=True), so the refusals above are not vacuous."""
    import _fuzzing

    canary = tmp_path / "control"
    monkeypatch.setattr(_fuzzing, "CANARY", str(canary))
    monkeypatch.setitem(globals(), "CANARY", str(canary))
    path = tmp_path / "evil.npz"
    np.savez(path, W0=np.array([_Payload()], dtype=object))
    np.load(path, allow_pickle=True)["W0"]
    assert canary.exists()
