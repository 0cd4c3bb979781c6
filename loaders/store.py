"""The article store, `data/articles/`: articles users imported, named by the hash of their text.

    data/articles/index.json            {id: {name, format, chars, added, sha256}}
    data/articles/{id}.txt              the extracted text (UTF-8), what the build reads
    data/articles/originals/{id}{.ext}  the file as it was given

A user's file name is only metadata: paths are made from the hash and a whitelisted suffix, never
from the name. Every write is a temporary file renamed into place, under `lock()`, which the build
takes too (the build swaps data/ for a new folder, carrying the store across).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from .formats import SUFFIXES, extract, suffix_of
from .read import InputError

ID_PREFIX = "imp_"


@dataclass(frozen=True)
class Outcome:
    status: str          # "added" | "duplicate" | "refused" | "removed" | "not found"
    name: str            # the user's file name, or the id for remove
    article_id: str = ""
    detail: str = ""     # refusal reason, or what the file was read as

    def line(self) -> str:
        """One line for the command line or the page: what happened to which file."""
        ident = f" {self.article_id}" if self.article_id else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.status}{ident} {self.name}{detail}"


def store_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "articles"


def lock(data_dir: Path, timeout: float = 600) -> FileLock:
    """One lock for the store and the build, beside data/ (data/ itself is replaced by a build)."""
    data_dir = Path(data_dir).resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(data_dir.parent / f".{data_dir.name}.lock"), timeout=timeout)


def article_id(text: str) -> str:
    return ID_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_index(data_dir: Path) -> dict[str, dict]:
    path = store_dir(data_dir) / "index.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_index(data_dir: Path, index: dict) -> None:
    body = json.dumps(dict(sorted(index.items())), ensure_ascii=False, indent=1) + "\n"
    _write_atomic(store_dir(data_dir) / "index.json", body.encode("utf-8"))


def _display_name(name: str) -> str:
    """The base name a user gave, for messages and metadata only (never a path)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "(no name)"


def add(data_dir: Path, files: list[tuple[str, bytes]]) -> list[Outcome]:
    """Store each (name, bytes) whose text can be read; one Outcome per file, in order."""
    outcomes = []
    with lock(data_dir):
        index = read_index(data_dir)
        for name, data in files:
            shown = _display_name(name)
            try:
                text, described = extract(data, shown)
            except InputError as e:
                outcomes.append(Outcome("refused", shown, detail=str(e)))
                continue
            except Exception as e:  # noqa: BLE001 - a parser's own failure is still one line, never a traceback
                outcomes.append(Outcome("refused", shown, detail=f"cannot read the file ({type(e).__name__})"))
                continue
            aid = article_id(text)
            if aid in index:
                outcomes.append(Outcome("duplicate", shown, aid, f"same text as {index[aid]['name']}"))
                continue
            folder = store_dir(data_dir)
            suffix = suffix_of(shown) if suffix_of(shown) in SUFFIXES else ".bin"
            _write_atomic(folder / "originals" / f"{aid}{suffix}", data)
            _write_atomic(folder / f"{aid}.txt", text.encode("utf-8"))
            index[aid] = {"name": shown, "format": described, "chars": len(text),
                          "added": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                          "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
            _write_index(data_dir, index)
            outcomes.append(Outcome("added", shown, aid, described))
    return outcomes


def remove(data_dir: Path, ids: list[str]) -> list[Outcome]:
    outcomes = []
    with lock(data_dir):
        index = read_index(data_dir)
        for aid in ids:
            if aid not in index:
                outcomes.append(Outcome("not found", aid))
                continue
            entry = index.pop(aid)
            _write_index(data_dir, index)
            folder = store_dir(data_dir)
            (folder / f"{aid}.txt").unlink(missing_ok=True)
            for original in (folder / "originals").glob(f"{aid}.*"):
                original.unlink(missing_ok=True)
            outcomes.append(Outcome("removed", entry["name"], aid))
        if not index and store_dir(data_dir).exists():  # the last one gone: no empty store left behind
            shutil.rmtree(store_dir(data_dir), ignore_errors=True)
    return outcomes


def texts(data_dir: Path) -> dict[str, Path]:
    """{id: path of its text} for every article in the index."""
    folder = store_dir(data_dir)
    return {aid: folder / f"{aid}.txt" for aid in read_index(data_dir) if (folder / f"{aid}.txt").exists()}
