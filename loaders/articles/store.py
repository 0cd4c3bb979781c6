"""The article store, `data/articles/`: articles users imported, named by the hash of their text.

    data/articles/index.json            {id: {name, format, chars, added, sha256}}
    data/articles/{id}.txt              the extracted text (UTF-8), what the build reads
    data/articles/originals/{id}{.ext}  the file as it was given

A user's file name is only metadata: paths are made from the hash and a whitelisted suffix, never
from the name. Every write is a temporary file renamed into place, under `lock()`, which the build
takes too (the build swaps data/ for a new folder, carrying the store across).

An index.json that cannot be read (a bad byte, broken JSON, an entry that is not an article) never stops
anyone: the index is made again from the texts beside it (their file names are lost), one line says so,
and the next write under the lock sets the file aside as it was (index.unreadable.json) before replacing it.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from loaders.files import aside_path, utf8_reason, write_atomic
from .formats import SUFFIXES, extract, suffix_of
from .read import InputError

ID_PREFIX = "imp_"
ID_RE = re.compile(r"^imp_[0-9a-f]{16}$")
ENTRY_FIELDS = ("name", "format", "chars", "added", "sha256")


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


LOCK_WAIT = 600             # seconds an import or build waits for another to finish before it gives up


def lock(data_dir: Path, timeout: float = LOCK_WAIT) -> FileLock:
    """One lock for the store and the build, beside data/ (data/ itself is replaced by a build)."""
    data_dir = Path(data_dir).resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(data_dir.parent / f".{data_dir.name}.lock"), timeout=timeout)


def article_id(text: str) -> str:
    return ID_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _parse_index(data: bytes) -> tuple[dict, str]:
    """(index, "") for index.json's bytes, or ({}, the reason it cannot be used)."""
    try:
        index = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        return {}, utf8_reason(e)
    except json.JSONDecodeError as e:
        return {}, f"not JSON ({e.msg} at line {e.lineno} column {e.colno})"
    if not isinstance(index, dict):
        return {}, "not an object of articles"
    for aid, entry in index.items():
        # an id becomes a path: only ids the store makes are read
        if not ID_RE.match(aid) or not isinstance(entry, dict) or any(f not in entry for f in ENTRY_FIELDS):
            return {}, f"entry {aid[:40]!r} is not an article of the store"
    return index, ""


def _from_texts(folder: Path) -> dict[str, dict]:
    """The index the article texts give when index.json is lost: the original's name stands for the user's."""
    index = {}
    for path in sorted(folder.glob(f"{ID_PREFIX}*.txt")):
        if not ID_RE.match(path.stem):
            continue
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        original = next(iter(sorted((folder / "originals").glob(f"{path.stem}.*"))), path)
        index[path.stem] = {"name": original.name, "format": original.suffix.lstrip("."), "chars": len(text),
                            "added": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(path.stat().st_mtime)),
                            "sha256": hashlib.sha256(data).hexdigest()}
    return index


def _read(data_dir: Path) -> tuple[dict[str, dict], str]:
    """(index, "") or, when index.json cannot be read, (the index its texts give, the reason)."""
    path = store_dir(data_dir) / "index.json"
    if not path.exists():
        return {}, ""
    index, problem = _parse_index(path.read_bytes())
    return (_from_texts(store_dir(data_dir)), problem) if problem else (index, "")


def read_index(data_dir: Path, warn=print) -> dict[str, dict]:
    """{id: entry} of the store; an index.json that cannot be read gives the index of the texts beside it
    and one line through `warn` (read only: the file stays as it is)."""
    index, problem = _read(data_dir)
    if problem:
        warn(f"{store_dir(data_dir) / 'index.json'}: {problem} — read from the {len(index)} article text(s) "
             f"beside it instead (their file names are lost)")
    return index


def _load_index(data_dir: Path, warn) -> dict[str, dict]:
    """The index, for a writer holding the lock: one that cannot be read is set aside, byte for byte, and
    replaced by the index of the texts, with one line through `warn`."""
    index, problem = _read(data_dir)
    if problem:
        path = store_dir(data_dir) / "index.json"
        side = _free(aside_path(path))
        write_atomic(side, path.read_bytes())
        _write_index(data_dir, index)
        warn(f"{path}: {problem} — set aside in {side}; the index was made again from the {len(index)} "
             f"article text(s) (their file names are lost)")
    return index


def _free(path: Path) -> Path:
    """`path`, or the first of path-2, path-3 … not taken (an index set aside twice keeps both)."""
    n = 1
    while (candidate := path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return candidate


_write_atomic = write_atomic      # the name the other modules use


def _write_index(data_dir: Path, index: dict) -> None:
    body = json.dumps(dict(sorted(index.items())), ensure_ascii=False, indent=1) + "\n"
    _write_atomic(store_dir(data_dir) / "index.json", body.encode("utf-8"))


def _display_name(name: str) -> str:
    """The base name a user gave, for messages and metadata only (never a path)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "(no name)"


def add(data_dir: Path, files: list[tuple[str, bytes]], warn=print) -> list[Outcome]:
    """Store each (name, bytes) whose text can be read; one Outcome per file, in order."""
    outcomes = []
    with lock(data_dir):
        index = _load_index(data_dir, warn)
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


# a long import writes its index every this many articles, so an interrupted one keeps what it stored
INDEX_EVERY = 1000
ROW_FIELDS = ("title", "source", "url", "published")


def add_rows(data_dir: Path, rows: list, warn=print, progress=None) -> list[Outcome]:
    """Store the articles of a collection (loaders.articles.bulk.Row: text plus title, source, url, published from its
    columns); one Outcome per row, in order. A text already stored, or met earlier in the same collection, is a
    duplicate. Each row is kept as given beside its text (originals/{id}.json). `progress(done, total)` is
    called as rows are stored. One index write per INDEX_EVERY rows, not one per row."""
    outcomes = []
    with lock(data_dir):
        index = _load_index(data_dir, warn)
        folder = store_dir(data_dir)
        pending = 0
        for done, row in enumerate(rows, start=1):
            aid = article_id(row.text)
            if aid in index:
                outcomes.append(Outcome("duplicate", row.where, aid, f"same text as {index[aid]['name']}"))
            else:
                original = json.dumps(row.raw or {"text": row.text}, ensure_ascii=False, indent=1) + "\n"
                _write_atomic(folder / "originals" / f"{aid}.json", original.encode("utf-8"))
                _write_atomic(folder / f"{aid}.txt", row.text.encode("utf-8"))
                index[aid] = {"name": _display_name(row.name), "format": "row", "chars": len(row.text),
                              "added": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                              "sha256": hashlib.sha256(row.text.encode("utf-8")).hexdigest(),
                              "where": row.where[:300], **{f: getattr(row, f) for f in ROW_FIELDS if getattr(row, f)}}
                outcomes.append(Outcome("added", row.where, aid, "row"))
                pending += 1
                if pending >= INDEX_EVERY:
                    _write_index(data_dir, index)
                    pending = 0
            if progress is not None:
                progress(done, len(rows))
        if pending:
            _write_index(data_dir, index)
    return outcomes


def remove(data_dir: Path, ids: list[str], warn=print) -> list[Outcome]:
    outcomes = []
    with lock(data_dir):
        index = _load_index(data_dir, warn)
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
        folder = store_dir(data_dir)
        # the last one gone: no empty store left behind (unless it keeps an index set aside)
        if not index and folder.exists() and not any(folder.glob("index.unreadable*")):
            shutil.rmtree(folder, ignore_errors=True)
    return outcomes


def texts(data_dir: Path, warn=print) -> dict[str, Path]:
    """{id: path of its text} for every article in the index (the caller holds the lock: the build)."""
    folder = store_dir(data_dir)
    return {aid: folder / f"{aid}.txt" for aid in _load_index(data_dir, warn) if (folder / f"{aid}.txt").exists()}
