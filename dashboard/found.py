"""Search results shaped for the page: the matching documents of the selection, each with the sentences that
hold a hit (hits marked) and the parks those sentences are about. Pure (no Streamlit): tested directly.

The matching itself is loaders/search.py (SQLite FTS5 over a folded copy of each text, so traditional and
simplified script and full- and half-width forms find each other); this module only groups and labels.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from loaders.search import DocumentHits, hit_sentences

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


def documents(ds: Dataset, found: list[DocumentHits], text_of: Callable[[str], str],
              max_sentences: int = 5) -> list[Document]:
    """One Document per search result, in the engine's order; a hit's sentence links to the parks of the
    facts and measures extracted from that sentence (else the document's parks stand for it)."""
    docs = ds.documents.set_index("doc_id")
    rows = pd.concat([ds.facts[["doc_id", "park_id", "park_name", "park_type", "start", "end"]],
                      ds.measures[["doc_id", "park_id", "park_name", "park_type", "start", "end"]]])
    rows = rows[rows["doc_id"].isin([f.doc_id for f in found])]
    rows = rows.assign(start=rows["start"].astype(int), end=rows["end"].astype(int))
    out = []
    for result in found:
        meta = docs.loc[result.doc_id] if result.doc_id in docs.index else None
        text = text_of(result.doc_id)
        mine = rows[rows["doc_id"] == result.doc_id]
        doc = Document(result.doc_id, meta["title"] if meta is not None else result.doc_id,
                       meta["source"] if meta is not None else "", meta["published"] if meta is not None else "",
                       len(result.hits), parks=_parks(mine))
        for s, e, hits in hit_sentences(text, result.hits)[:max_sentences]:
            inside = mine[(mine["start"] < e) & (mine["end"] > s)]
            doc.sentences.append(Sentence(mark_spans(text, hits, s, e), len(hits), _parks(inside)))
        out.append(doc)
    return out


def _parks(rows: pd.DataFrame) -> list[tuple[str, str, str]]:
    unique = rows.drop_duplicates("park_id").sort_values("park_name")
    return list(unique[["park_id", "park_name", "park_type"]].itertuples(index=False, name=None))
