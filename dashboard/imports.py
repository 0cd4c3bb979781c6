"""What the import page shows before a user keeps an article: the text read from the file and what the
loaders extract from it. Pure (no Streamlit); the page caches it per file."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from filelock import Timeout

from loaders import progress as stages
from loaders.articles import store
from loaders.correct import correction_store
from loaders.cli import LOCKED
from loaders.assemble.dataset import PARK_COLUMNS, assemble
from loaders.articles.formats import extract
from loaders.extract.pipeline import process
from loaders.articles.read import InputError


@dataclass
class Preview:
    name: str
    reason: str = ""                 # why the file is refused; "" when it can be kept
    note: str = ""                   # what to know before keeping it ("no park found": kept with status no_park)
    doc_id: str = ""                 # the id the store will give it (offsets and anchors point into `text`)
    text: str = ""                   # the normalized text, as the build will hold it
    described: str = ""              # what it was read as ("text, gb18030", "PDF, 2 page(s)")
    chars: int = 0
    parks: pd.DataFrame = field(default_factory=pd.DataFrame)
    measures: pd.DataFrame = field(default_factory=pd.DataFrame)
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return not self.reason


def preview(name: str, data: bytes) -> Preview:
    """Read and extract one file as the build would; parks carry their province and city."""
    try:
        text, described = extract(data, name)
    except InputError as e:
        return Preview(name, reason=str(e))
    doc_id = store.article_id(text)
    try:
        result = process(doc_id, text)
    except Exception as e:  # noqa: BLE001 - shown as the reason, like the build's one line
        return Preview(name, reason=f"extraction failed ({type(e).__name__})", described=described)
    tables = assemble([result])
    parks = pd.DataFrame(tables["parks"], columns=PARK_COLUMNS)
    names = dict(zip(parks["park_id"], parks["name"]))
    facts = pd.DataFrame(tables["facts"], columns=["park_id", "metric", "value", "unit", "basis", "scope", "date",
                                                   "evidence", "raw", "doc_id", "start", "end"])
    measures = pd.DataFrame(tables["measures"], columns=["park_id", "measure_type", "evidence", "cue", "doc_id",
                                                         "start", "end"])
    for frame in (facts, measures):
        frame.insert(0, "park_name", frame["park_id"].map(names))
    # an article with no park is kept all the same (documents.csv status no_park): an editor names its park later
    note = "" if result.mentions else "no park found in the text"
    return Preview(name, doc_id=doc_id, text=result.text, described=described, chars=len(text), parks=parks,
                   measures=measures, facts=facts, note=note)


def rejections(p: Preview, facts_dropped: list[int], measures_dropped: list[int], author: str = "") -> list[dict]:
    """Reject records for the preview rows a user unticked (positions in p.facts and p.measures)."""
    from .review import record
    out = []
    for table, frame, dropped, code in (("facts", p.facts, facts_dropped, "metric"),
                                        ("measures", p.measures, measures_dropped, "measure_type")):
        for i in dropped:
            row = frame.iloc[i].to_dict()
            row.update(table=table, code=row[code])
            out.append(record("reject", row, p.text, author=author, note="unticked in the import preview"))
    return out


def pasted_file(title: str, body: str) -> tuple[str, bytes]:
    """A pasted article as a file: its title is its first line (the loaders read titles from there)."""
    title = " ".join(title.split())
    text = (title + "\n\n" if title else "") + body.strip() + "\n"
    safe = "".join(ch for ch in title if ch.isalnum())[:40] or "pasted"
    return f"{safe}.txt", text.encode("utf-8")


@dataclass
class Change:
    """What a keep or remove did: one Outcome per file or id, whether data/ was rebuilt, and what the stores
    had to set aside on the way (an unreadable index or line of corrections: one line each)."""
    outcomes: list
    built: bool
    lines: list[str]
    warnings: list[str] = field(default_factory=list)


ROOT = Path(__file__).resolve().parent.parent


def rebuild(data_dir, seeds, warn=None, progress=None, wait: float = store.LOCK_WAIT) -> tuple[bool, list[str]]:
    """Rebuild data/ from `seeds` and the store in a process of its own (`python -m loaders build`), so the app's
    other sessions go on drawing while it runs and a failing build cannot take the server with it. Returns
    (built, the build's lines); `warn(line)` gets what a store set aside, `progress(stage, done, total)` the
    build's stages. Raises filelock.Timeout when another import or build kept the lock `wait` seconds."""
    command = [sys.executable, "-m", "loaders", "build", "--seeds", str(Path(seeds).resolve()), "--with-store",
               "--out", str(Path(data_dir).resolve()), "--progress", "lines", "--wait", str(wait)]
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    lines: list[str] = []
    # the result lines go to a file (one per article with no park can be thousands: a pipe would fill and
    # stall the build while stderr is read); the stage lines are read as they come
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
        with subprocess.Popen(command, cwd=ROOT, env=environ, stdout=out, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8", errors="replace") as child:
            for line in child.stderr:
                line = line.rstrip("\n")
                step = stages.parse(line)
                if step:
                    if progress:
                        progress(*step)
                elif line.startswith(stages.WARNING_PREFIX + " "):
                    (warn or lines.append)(line[len(stages.WARNING_PREFIX) + 1:])
                elif line.strip():
                    lines.append(line)
        out.seek(0)
        lines = out.read().splitlines() + lines
    if child.returncode == LOCKED:
        raise Timeout(str(store.lock(data_dir).lock_file))
    return child.returncode == 0, lines


def keep(data_dir, seeds, files: list[tuple[str, bytes]], rejected: dict[str, list[dict]] | None = None) -> Change:
    """Add the files to the store, store the rows the user unticked as rejections ({file name: records}),
    then rebuild data/ (only the new articles are processed)."""
    warnings: list[str] = []
    outcomes = store.add(data_dir, files, warn=warnings.append)
    kept = [o for o in outcomes if o.status in ("added", "duplicate")]
    records = [r for o in kept for r in (rejected or {}).get(o.name, [])]
    if records:
        correction_store.record(data_dir, records, echo=lambda line: None, publish_now=False, warn=warnings.append)
    if not any(o.status == "added" for o in outcomes):
        if records:
            built, lines = rebuild(data_dir, seeds, warnings.append)
            return Change(outcomes, built, lines, warnings)
        return Change(outcomes, False, [], warnings)
    built, lines = rebuild(data_dir, seeds, warnings.append)
    return Change(outcomes, built, lines, warnings)


def keep_rows(data_dir, seeds, rows: list, progress=None, build_progress=None) -> Change:
    """Store the articles of collections (loaders.articles.bulk.Row), then rebuild data/ if any was new.
    `progress(done, total)` follows the storing, `build_progress(stage, done, total)` the rebuild."""
    warnings: list[str] = []
    outcomes = store.add_rows(data_dir, rows, warn=warnings.append, progress=progress)
    if not any(o.status == "added" for o in outcomes):
        return Change(outcomes, False, [], warnings)
    built, lines = rebuild(data_dir, seeds, warnings.append, build_progress)
    return Change(outcomes, built, lines, warnings)


def collection_table(found, limit: int = 10) -> pd.DataFrame:
    """The first rows of a collection as they will be stored: where, title, date, source, url, text start."""
    rows = [{"where": r.where, "title": r.title, "published": r.published, "source": r.source, "url": r.url,
             "text": r.text[:80].replace("\n", " ") + ("…" if len(r.text) > 80 else "")} for r in found.rows[:limit]]
    return pd.DataFrame(rows, columns=["where", "title", "published", "source", "url", "text"])


def remove(data_dir, seeds, ids: list[str]) -> Change:
    warnings: list[str] = []
    outcomes = store.remove(data_dir, ids, warn=warnings.append)
    built, lines = rebuild(data_dir, seeds, warnings.append)
    return Change(outcomes, built, lines, warnings)
