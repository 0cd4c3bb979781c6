"""Per-document results kept between builds, so a rebuild only processes articles whose text changed.

Keyed by the document id, the hash of its text and the park an editor named for it (if any), inside a folder
named after the hash of the rules (every loaders/**/*.py and loaders/data/*.yaml): changing a rule or a lexicon
starts a fresh cache.
Entries are pickles we wrote ourselves, in a folder outside data/ (default `.cache/loaders/`).
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

from .extract.pipeline import DocResult

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent / ".cache" / "loaders"


@functools.cache
def rules_version() -> str:
    digest = hashlib.sha256()
    for path in sorted([*HERE.rglob("*.py"), *(HERE / "data").glob("*.yaml")]):
        digest.update(str(path.relative_to(HERE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class ResultCache:
    def __init__(self, folder: Path | None):
        self.folder = Path(folder) / rules_version() if folder else None
        if self.folder:
            # results made by other rules are of no further use
            for old in self.folder.parent.glob("*"):
                if old.is_dir() and old.name != self.folder.name:
                    shutil.rmtree(old, ignore_errors=True)
            self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, doc_id: str, text: str, park: str = "") -> Path:
        named = f"\0park\0{park}" if park else ""
        key = hashlib.sha256(f"{doc_id}\0{text}{named}".encode("utf-8")).hexdigest()
        return self.folder / f"{key}.pickle"

    def get(self, doc_id: str, text: str, park: str = "") -> DocResult | None:
        if not self.folder:
            return None
        try:
            with open(self._path(doc_id, text, park), "rb") as f:
                result = pickle.load(f)
        except Exception:  # noqa: BLE001 - a damaged entry raises anything unpickling can; it is a miss, made again
            return None
        return result if isinstance(result, DocResult) else None

    def put(self, result: DocResult, text: str, park: str = "") -> None:
        if not self.folder:
            return
        path = self._path(result.doc_id, text, park)
        try:
            fd, tmp = tempfile.mkstemp(prefix=".entry-", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def default_dir() -> Path | None:
    value = os.environ.get("LOADERS_CACHE_DIR")
    if value == "":
        return None
    return Path(value) if value else DEFAULT_DIR
