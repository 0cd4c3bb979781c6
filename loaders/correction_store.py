"""Reading and writing the correction store, `data/corrections.jsonl`, and publishing its effect.

Every change takes the one lock that builds and imports take (`store.lock`), rewrites the store through a
temporary file renamed into place, then re-applies every correction to the extracted tables
(`data/extracted/`, which every build writes and git ignores) and replaces the published ones: a
correction shows at once, without extracting any article again. Where no build has run yet (a fresh
checkout holds the published tables only), the store is written and the next build applies it.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from . import corrections as c
from . import resolve, store
from .write import TABLES, csv_bytes


def _read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _lines(data_dir: Path) -> list[str]:
    path = c.store_path(data_dir)
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.exists() else []


def built(data_dir: Path) -> bool:
    """Whether data/ holds the extracted tables a correction is re-applied to (a build has run here)."""
    return (Path(data_dir) / "extracted").is_dir()


def publish(data_dir: Path, echo=print) -> list[dict]:
    """Apply the store to data/extracted/ and replace the published tables (the caller holds the lock).
    Returns the orphans; each is also one line through `echo`."""
    data_dir = Path(data_dir)
    base = data_dir / "extracted"
    if not base.is_dir():
        raise c.CorrectionError(f"{data_dir} was built before corrections existed: run python -m loaders build")
    records, problems = c.read(data_dir)
    for problem in problems:
        echo(f"skipped correction {problem}")
    documents = _read_csv(data_dir / "documents.csv")
    origins = {d["doc_id"]: d["origin"] for d in documents}
    facts = _read_csv(base / "facts.csv")
    # the resolution stage reads the text around every fact; corrections read their targets' texts
    wanted = {r["target"]["doc_id"] for r in records if "doc_id" in r["target"]} | {f["doc_id"] for f in facts}
    texts = {d: (data_dir / "texts" / f"{d}.txt").read_text(encoding="utf-8")
             for d in wanted if d in origins and (data_dir / "texts" / f"{d}.txt").exists()}
    applied = c.apply(_read_csv(base / "parks.csv"), _read_csv(base / "measures.csv"), facts,
                      texts, origins, records, {d["doc_id"]: d.get("published", "") for d in documents})
    resolved = resolve.resolve(applied.facts, texts, documents, records, applied.parks)
    orphans = applied.orphans + resolved.orphans
    for orphan in orphans:
        echo(c.orphan_line(orphan))
    tables = {"parks": applied.parks, "measures": applied.measures, "facts": resolved.facts,
              "figures": resolved.figures, "park_totals": resolved.totals, "rejected": applied.rejected,
              "orphaned": orphans, "park_redirects": applied.redirects}
    for name, rows in tables.items():
        store._write_atomic(data_dir / f"{name}.csv", csv_bytes(TABLES[name], rows))
    return orphans


def record(data_dir: Path, records: list[dict], echo=print, publish_now: bool = True) -> list[dict]:
    """Check each record, append it to the store and publish (unless a build follows); the records as
    stored (with id and time). Raises CorrectionError before anything is written when one is unusable."""
    vocab = c.Vocabulary.load()
    checked = [c.check(r, vocab) for r in records]
    with store.lock(data_dir):
        lines = _lines(data_dir)
        known = {json.loads(line).get("id") for line in lines if line.startswith("{")}
        for r in checked:
            if r["id"] in known:
                raise c.CorrectionError(f"id {r['id']} is already in the store")
        c.write_store(data_dir, lines + [c.dumps(r) for r in checked])
        if publish_now and built(data_dir):
            publish(data_dir, echo)
    return checked


def withdraw(data_dir: Path, ids: list[str], echo=print) -> list[str]:
    """Take records out of the store (an undo) and publish; the ids that were found."""
    with store.lock(data_dir):
        kept, found, named = [], [], False
        for line in _lines(data_dir):
            try:
                rec = json.loads(line)
                rid = rec.get("id")
            except (json.JSONDecodeError, AttributeError):
                rec, rid = None, None
            (found if rid in ids else kept).append(rid if rid in ids else line)
            if rid in ids and rec.get("action") == "set_park" and "doc_id" in (rec.get("target") or {}):
                named = True
        if found:
            c.write_store(data_dir, kept)
            if built(data_dir):
                publish(data_dir, echo)
        if named:       # the article was extracted for the park it named: only a build extracts it again
            echo("a withdrawn correction named the park of an article: run python -m loaders build to extract the "
                 "article again without it")
    return found


def import_lines(data_dir: Path, lines: list[str], echo=print) -> tuple[int, int, int]:
    """Apply the valid records of a JSON Lines file, refuse each malformed one with one line naming its line.
    (imported, already there, refused)."""
    vocab = c.Vocabulary.load()
    refused, fresh, same = 0, [], 0
    with store.lock(data_dir):
        present = {}
        for line in _lines(data_dir):
            try:
                rec = json.loads(line)
                present[rec["id"]] = rec
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
        seen = set()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = c.check(json.loads(line), vocab)
            except json.JSONDecodeError as e:
                echo(f"line {number}: refused: not JSON ({e.msg} at column {e.colno})")
                refused += 1
                continue
            except c.CorrectionError as e:
                echo(f"line {number}: refused: {e}")
                refused += 1
                continue
            if rec["id"] in present:
                if present[rec["id"]] == rec:
                    same += 1
                    continue
                echo(f"line {number}: refused: id {rec['id']} is already used by another correction")
                refused += 1
                continue
            if rec["id"] in seen:
                echo(f"line {number}: refused: id {rec['id']} appears twice in the file")
                refused += 1
                continue
            seen.add(rec["id"])
            fresh.append(rec)
        if fresh:
            c.write_store(data_dir, _lines(data_dir) + [c.dumps(r) for r in fresh])
            if built(data_dir):
                publish(data_dir, echo)
        named = [r for r in fresh if c.is_document_park(r)]
        if named:
            echo(f"{len(named)} correction(s) name the park of an article: run python -m loaders build to extract "
                 "the article for it")
    return len(fresh), same, refused


def orphans(data_dir: Path) -> list[dict]:
    path = Path(data_dir) / "orphaned.csv"
    return _read_csv(path) if path.exists() else []
