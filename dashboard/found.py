"""Search results shaped for the page: the matching documents of the selection, each with the sentences that
hold a hit (hits marked) and the parks those sentences are about. Pure (no Streamlit): tested directly.

The matching itself is loaders/publish/search.py (SQLite FTS5 over a folded copy of each text, so traditional and
simplified script and full- and half-width forms find each other); this module only groups and labels.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from loaders.publish.search import DocumentHits, hit_sentences

from .dataset import Dataset
from .text import mark_spans


@dataclass
class Sentence:
    html: str                                   # the sentence escaped, its hits inside <mark>
    hits: int
    parks: list[tuple[str, str, str]]           # (park_id, name, park_type) of the rows extracted from it


@dataclass
class Document:
    doc_id: str
    title: str
    source: str
    published: str
    hits: int
    sentences: list[Sentence] = field(default_factory=list)     # at most `max_sentences`
    parks: list[tuple[str, str, str]] = field(default_factory=list)   # every park the document's rows name
    copies: list[tuple[str, str]] = field(default_factory=list)       # (doc_id, title) of its re-posted copies found


def documents(ds: Dataset, found: list[DocumentHits], text_of: Callable[[str], str],
              max_sentences: int = 5) -> list[Document]:
    """One Document per search result, in the engine's order; a hit's sentence links to the parks of the
    facts and measures extracted from that sentence (else the document's parks stand for it)."""
    docs = ds.documents.set_index("doc_id")
    wanted = {f.doc_id for f in found}
    # (park_id, name, type, start, end) of every fact and measure of the found documents, grouped once
    by_doc: dict[str, list[tuple]] = {}
    for frame in (ds.facts, ds.measures):
        part = frame[frame["doc_id"].isin(wanted)]
        for row in zip(part["doc_id"], part["park_id"], part["park_name"], part["park_type"],
                       part["start"].astype(int), part["end"].astype(int)):
            by_doc.setdefault(row[0], []).append(row[1:])
    out = []
    for result in found:
        meta = docs.loc[result.doc_id] if result.doc_id in docs.index else None
        text = text_of(result.doc_id)
        mine = by_doc.get(result.doc_id, [])
        doc = Document(result.doc_id, meta["title"] if meta is not None else result.doc_id,
                       meta["source"] if meta is not None else "", meta["published"] if meta is not None else "",
                       len(result.hits), parks=_parks(mine))
        for s, e, hits in hit_sentences(text, result.hits)[:max_sentences]:
            inside = [r for r in mine if r[3] < e and r[4] > s]
            doc.sentences.append(Sentence(mark_spans(text, hits, s, e), len(hits), _parks(inside)))
        out.append(doc)
    return out


def group_mirrors(ds: Dataset, docs: list[Document]) -> list[Document]:
    """Re-posted copies (documents.duplicate_of) folded under one card: the original when it is among the
    results, else the copy found first; the others are listed in its `copies`, in the results' order."""
    original = dict(zip(ds.documents["doc_id"], ds.documents["duplicate_of"])) \
        if "duplicate_of" in ds.documents.columns else {}
    head: dict[str, Document] = {}
    ordered = sorted(docs, key=lambda d: bool(original.get(d.doc_id)))     # originals first, else results' order
    for doc in ordered:
        group = original.get(doc.doc_id) or doc.doc_id
        if group in head:
            head[group].copies.append((doc.doc_id, doc.title))
        else:
            head[group] = doc
    shown = {id(d) for d in head.values()}
    return [d for d in docs if id(d) in shown]


def _parks(rows: list[tuple]) -> list[tuple[str, str, str]]:
    """(park_id, name, type) of each park of `rows` once, by name."""
    first = {}
    for park_id, name, park_type, _, _ in rows:
        first.setdefault(park_id, (park_id, name, park_type))
    return sorted(first.values(), key=lambda p: p[1])
