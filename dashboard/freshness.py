"""Whether the dataset shown is older than the article store: articles imported (or an import whose rebuild is
still running or failed) that no built table holds yet. Pure; the page shows one line when there are some."""
from __future__ import annotations

import functools
from pathlib import Path

from loaders.articles import store


@functools.lru_cache(maxsize=4)
def _stored_ids(index_path: str, mtime_ns: int) -> frozenset[str]:
    # index.json is parsed again only when it changes (a 20,000-article store is a few MB)
    return frozenset(store.read_index(Path(index_path).parent.parent, warn=lambda line: None))


def unbuilt(data_dir: Path, built_ids) -> int:
    """How many articles of the store `built_ids` (documents.doc_id of the dataset shown) lacks."""
    index = store.store_dir(data_dir) / "index.json"
    try:
        mtime = index.stat().st_mtime_ns
    except OSError:
        return 0
    return len(_stored_ids(str(index), mtime) - set(built_ids))
