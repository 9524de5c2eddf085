"""Reading an ``.npz`` archive without trusting it (used by ``checkpoint.load``).

``np.load`` allocates what a file declares before reading it, and expands what it is given:
a 1 KB file whose header claims 10¹⁰ floats ends in MemoryError, a small compressed file
may expand to gigabytes. Here every size is known before anything is allocated: the zip
directory gives each member's expanded size, each ``.npy`` header gives its shape and dtype,
and the two must agree. Nothing is unpickled (object arrays are refused).
"""

from __future__ import annotations

import math
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

_NPY_MAGIC = b"\x93NUMPY"


class _Refused(ValueError):
    """The file is not a checkpoint; the message names it and says why."""


def _refuse(path: Path, why: str) -> _Refused:
    return _Refused(f"{path} is not a course_lib checkpoint: {why}")


def _size(nbytes: float) -> str:
    return f"{nbytes / 2**20:.1f} MiB" if nbytes >= 2**20 else f"{int(nbytes)} bytes"


def read(path: Path, *, max_bytes: int) -> dict[str, np.ndarray]:
    """The arrays of the archive at ``path`` by name, or a ValueError that names the file
    and says what is wrong (FileNotFoundError / IsADirectoryError for a missing file or a
    directory). Archives that would expand to more than ``max_bytes`` are refused unread."""
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory, not a checkpoint file (.npz)")
    with open(path, "rb") as fh:
        head = fh.read(len(_NPY_MAGIC))
    if not head:
        raise _refuse(path, "the file is empty (0 bytes)")
    if head == _NPY_MAGIC:
        raise _refuse(path, "it is one array saved with np.save (.npy), not the archive of "
                      "arrays (.npz) that checkpoint.save writes")  # fmt: skip
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "it is not an .npz (zip) archive")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > max_bytes:
                raise _refuse(path, f"its arrays would take {_size(total)} once expanded, more "
                              f"than the {_size(max_bytes)} a checkpoint may hold")  # fmt: skip
            return dict(_member(path, archive, m) for m in members)
    except _Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, struct.error, EOFError, OSError, ValueError,
            RuntimeError, NotImplementedError) as exc:  # fmt: skip
        # what zipfile raises for a damaged or encrypted archive
        raise _refuse(path, f"the archive is damaged ({type(exc).__name__}: {exc})") from None


def _header(path: Path, fh, name: str) -> tuple[tuple, bool, np.dtype]:
    """Shape, Fortran order and dtype from a ``.npy`` header (versions 1 and 2)."""
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            return np.lib.format.read_array_header_1_0(fh)
        if version == (2, 0):
            return np.lib.format.read_array_header_2_0(fh)
    except (ValueError, SyntaxError, TypeError) as exc:
        raise _refuse(path, f"{name} has a damaged .npy header ({exc})") from None
    raise _refuse(path, f"{name} is in .npy format version {version}, which is not read here")


def _member(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo):
    """(key, array) of one ``key.npy`` member, its declared size checked before it is read."""
    name = member.filename
    if not name.endswith(".npy"):
        raise _refuse(path, f"it holds {name!r}, which is not a NumPy array (.npy)")
    with archive.open(member) as fh:
        shape, fortran, dtype = _header(path, fh, name)
        if dtype.hasobject or dtype.fields is not None:
            raise _refuse(path, f"{name} holds {dtype} values (Python objects or records), "
                          "which a checkpoint never does")  # fmt: skip
        nbytes = math.prod(shape) * dtype.itemsize
        held = member.file_size - fh.tell()
        if nbytes != held:
            raise _refuse(path, f"{name} declares shape {shape} of {dtype} ({_size(nbytes)}) "
                          f"but holds {_size(held)}")  # fmt: skip
        data = fh.read(nbytes)
    if len(data) != nbytes:
        raise _refuse(path, f"{name} ends early ({len(data)} of {nbytes} bytes)")
    order = "F" if fortran else "C"
    if not nbytes:
        return name[: -len(".npy")], np.empty(shape, dtype, order=order)
    return name[: -len(".npy")], np.frombuffer(data, dtype=dtype).reshape(shape, order=order).copy()
