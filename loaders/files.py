"""Files the loaders write and read back: atomic writes the machine's other users can read, and what cannot
be read back kept aside, byte for byte, beside the file it came from.

`tempfile` makes private files and folders (0600, 0700) and a rename keeps that mode, so a dataset written
through them is closed to everyone else; ours are made as open() and mkdir() make them (0666 and 0777 less
the umask), without reading the umask (setting it to read it is not thread-safe, and the dashboard has threads).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _fresh(folder: Path, prefix: str, make) -> Path:
    """A new entry of `folder` made by make(path); the name is random and taken only if free (O_EXCL)."""
    while True:
        path = folder / f"{prefix}{secrets.token_hex(6)}"
        try:
            make(path)
            return path
        except FileExistsError:
            continue


def new_folder(parent: Path, prefix: str) -> Path:
    """An empty folder of a fresh name in `parent`, with the mode the umask gives (mkdtemp's is 0700)."""
    return _fresh(Path(parent), prefix, lambda p: p.mkdir(mode=0o777))


def write_atomic(path: Path, data: bytes) -> None:
    """`data` into `path` by a temporary file in the same folder and one rename, with the mode the umask gives."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fds: list[int] = []
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    tmp = _fresh(path.parent, f".{path.name}.", lambda p: fds.append(os.open(p, flags, 0o666)))
    try:
        with os.fdopen(fds[0], "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def aside_path(path: Path, label: str = "unreadable") -> Path:
    """Where what cannot be read of `path` is kept: corrections.jsonl -> corrections.unreadable.jsonl."""
    path = Path(path)
    return path.with_name(f"{path.stem}.{label}{path.suffix}")


def keep_aside(side: Path, lines: list[bytes]) -> None:
    """Append `lines`, verbatim, to the side file (atomically: it is rewritten whole)."""
    old = side.read_bytes() if side.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    write_atomic(side, old + b"".join(line + b"\n" for line in lines))


def utf8_reason(error: UnicodeDecodeError, where: str = "byte") -> str:
    """'not valid UTF-8 (byte 0xff at byte 13)': what a decoder refused and where (1-based)."""
    bad = error.object[error.start:error.start + 1]
    return f"not valid UTF-8 (byte 0x{bad.hex()} at {where} {error.start + 1})"
