"""Fuzzing ReLUNetwork.from_npz (issue 9): corrupted, truncated and odd .npz
archives (wrong keys, object arrays, wrong dtypes and shapes, NaN, headers
that lie about the shape) must be refused with SerializationError -- and an
object array must never be unpickled (its payload would trip the canary).
"""

import io
import os
import tempfile
import zipfile

import numpy as np
import pytest
from _fuzzing import CANARY, fuzz
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.errors import SerializationError


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


def _npz_bytes(arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # pickles object arrays (allow_pickle=True on save)
    return buffer.getvalue()


def _lying_header() -> bytes:
    """An archive whose W0.npy header claims a 10^11 x 10^11 array."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        header = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 100000000000), }"
        header = header.ljust(118) + "\n"
        archive.writestr("W0.npy", b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little")
                         + header.encode())
        for key, value in {"b0": np.zeros(1), "W1": np.ones((1, 1)), "b1": np.zeros(1)}.items():
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
        return _lying_header()
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
    data = bytearray(_npz_bytes(arrays))
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
