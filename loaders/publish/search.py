"""Full-text search over the articles' texts, insensitive to script, width and ASCII case.

    index = SearchIndex.build({doc_id: text, ...})      # the normalized texts of data/texts/
    results = index.search('包车 返岗', limit_docs=50)     # every term must occur
    results.total                                         # documents matching, before the cut
    for doc in results:                                   # most hits first, then doc_id
        text = index.texts[doc.doc_id]
        for start, end in doc.hits:                       # offsets into the ORIGINAL text
            a, b = sentence_span(text, start, end)        # the sentence around a hit
        for a, b, inside in hit_sentences(text, doc.hits):   # or each sentence once, with its hits
            ...

Folding
-------
`fold(text)` has exactly the length of `text`: character i of the fold is character i of the text, folded
on its own, so every offset found in the fold points into the original. Per character, in this order:
NFKC where it gives one character (full-width ＡＢ１２％（， -> AB12%(, , the ideographic space -> space, CJK
compatibility ideographs -> unified ones; 。 and “” have no half-width twin and stay), then OpenCC t2s where
it gives one character (雲 -> 云, 簽 -> 签), then the few traditional characters that OpenCC's character
table keeps and only its phrase table converts (`EXTRA`: 著 -> 着 as in 隨著, 瞭 -> 了 as in 瞭解, 覆 -> 复
as in 答覆, 藉 -> 借, 衞 -> 卫, 衹 -> 只, and 陜 -> 陕 as in loaders/extract/normalize.py), then `str.casefold`
where it gives one character (A -> a; ß, which folds to "ss", stays). Control characters become spaces and lone
surrogates U+FFFD, so nothing SQLite cannot hold reaches it. A character folded to one that folds further is
followed to the end: fold(fold(x)) == fold(x).

The conversion is per character, not per phrase as `normalize.to_simplified` does. That function does keep
the length (it falls back to one character at a time when the whole text's length changes, which happened
for none of the 59 real articles of corpus/realworld nor 300 synthetic traditional ones), but a phrase
conversion depends on the neighbours, so a query and an article could fold the same word differently, and two
phrases changing length in opposite directions would shift offsets unnoticed. On the real articles the two
differ only at 瞭 and 陜 (in EXTRA). Both sides fold the same way, so the price of going per character is only
that a few simplified characters share a fold (乾/干, 著/着, 覆/复). The table is learnt lazily (one OpenCC call
for a text's new characters) into a code-point lookup table, and a text is folded in one numpy take over its
UTF-32 code points: the benchmark's 2.9 million characters in about 25 ms (str.translate: 110–200 ms).

Engine, chosen by measurement
-----------------------------
Documents are selected by SQLite FTS5 (standard library; SQLite 3.40 here) with the `trigram` tokenizer
(case_sensitive 1: the text is folded already, so a MATCH of a quoted term is exactly a substring test on the
fold) over the folded texts; hit offsets inside the selected documents come from pyahocorasick (an
Aho–Corasick automaton of the query's terms reports every occurrence of every term, overlapping ones included,
in one pass). Measured on bench/search_speed.py's corpus (1,000 synthetic articles, 2.9 million characters,
2-core machine shared with other jobs, so ± a third):

  finding the documents that hold one term           3+ characters       1–2 characters
  FTS5 trigram MATCH '"term"' (the index)             0.03–0.5 ms         no rows: a trigram needs 3
  FTS5 instr(body, ?) over the indexed content        ~5–12 ms (scan)     ~5–12 ms (scan)
  FTS5 body LIKE '%t%' (case_sensitive 1: no index)   ~6–19 ms (scan)     ~3–10 ms (scan)
  FTS5 body GLOB '*t*' (or LIKE, case_sensitive 0)   —                   0 rows for Chinese on 3.40: wrong
  FTS5 prefix index ('"包车"*', prefix='1 2')         —                   0 rows: no prefix queries
  pyahocorasick over every text                       ~8–14 ms            ~10–45 ms
  CPython `t in text` over every text                 ~2–3 ms             ~0.1–2.7 ms

The index wins for terms of three characters or more (10–50× over any full scan). No SQLite form helps a
term of one or two characters (instr and LIKE scan every row, 3–5× slower than CPython's own substring
search, GLOB returns wrong results), so such terms are tested with `in` (CPython's fastsearch,
in C) on the documents the longer terms selected, or on every document when the query has only short terms.
pyahocorasick is no faster than that for picking documents (a call per text plus Python iteration), but it
is the right tool for the offsets: one pass over a document finds every occurrence of every term.
In the whole search call (bench/search_speed.py, same corpus), SQLite's instr() for the short terms gave
12–18 ms a query against 4–6 ms with `in`. Everything the user typed reaches SQLite as a bound parameter, each
term quoted as an FTS5 string ("" for a quote inside), so AND, OR, NEAR, *, ^, :, parentheses are plain text.

Ordering needs every matching document's hit count, not only the returned ones'. When no occurrence of one
term can overlap an occurrence of another or of itself (no term inside another, no term ending with another's
start, e.g. 云签 and 签约, or "aa"), the count is the sum of `str.count` of the terms, in C; otherwise the
automaton's hits are merged for every matching document. Offsets are computed for the returned documents.

Measured with bench/search_speed.py (1,000 documents, 2.9 million characters, 20 queries, 50 documents
returned with their offsets) on the 2-core machine, 2026-11-23: with the machine otherwise idle, index build
0.43 s (fold ~25 ms, FTS5 insert the rest; ~20 MB of SQLite memory; 0.55–0.6 s of CPU when busy), median
search call 4.3 ms, 1.4× faster than a str.find scan at the median and 1.9× over the 20 queries; with other
jobs loading the machine (load 5–8), build 2.2 s, median 11–13 ms, 1.5× and 1.7–2.3×. Rare terms and no-match
queries gain 10–250× (the index answers without reading any text); one- and two-character terms gain little
(a scan either way). At 5,000 documents (loaded machine): build 7.6 s, median 29 ms, 2.4× the scan. Targets:
build well under 1–2 s for 1,000 documents, search < 100 ms.

Query syntax
------------
Whitespace-separated terms, all of which must occur (AND). Text between double quotes (ASCII " or the
Chinese “ ”, full-width ＂ folds to ") is one term and may hold spaces; runs of spaces inside it count as one
space; an unclosed quote runs to the end of the query. Terms are folded like the texts; repeated terms count
once. An empty or whitespace-only query (or one of quotes only) has no terms and finds nothing. A query longer
than MAX_QUERY_CHARS (100) characters after trimming is refused: `QueryTooLong` (a ValueError) with the
reason, rather than cut, since a cut query would silently search for something else.

Thread safety: one index is shared by every session of the dashboard (cache it with st.cache_resource);
SQLite calls are serialised by a lock, the fold table learns new characters under its own, the rest
is read-only. Pickling an index rebuilds it from its texts.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

import ahocorasick
import numpy as np
import opencc

MAX_QUERY_CHARS = 100
QUOTES = '"“”'

# traditional characters OpenCC's t2s character table keeps (only its phrase table converts them)
EXTRA = {"著": "着", "瞭": "了", "覆": "复", "藉": "借", "衞": "卫", "衹": "只", "陜": "陕"}

_t2s = opencc.OpenCC("t2s")
_LUT = np.arange(0x110000, dtype=np.uint32)     # code point -> folded code point
_KNOWN = np.zeros(0x110000, dtype=bool)         # code points whose fold is in _LUT
_learning = threading.Lock()


class QueryTooLong(ValueError):
    """The query is longer than MAX_QUERY_CHARS; str() gives the reason in English and Chinese."""

    def __init__(self, length: int, limit: int = MAX_QUERY_CHARS):
        self.length, self.limit = length, limit
        super().__init__(f"query too long: {length} characters, at most {limit} "
                         f"(查询过长：{length}个字符，最多{limit}个)")


# ---- folding ------------------------------------------------------------------------------------------

def _t2s_table(chars: set[str]) -> dict[str, str]:
    """OpenCC t2s of each character on its own, where it gives one other character. One OpenCC call:
    the characters are joined by newlines, which no phrase of the dictionary spans."""
    cjk = sorted(c for c in chars if c >= "\u2e80" and not "\ud800" <= c <= "\udfff")
    if not cjk:
        return {}
    out = _t2s.convert("\n".join(cjk)).split("\n")
    if len(out) != len(cjk):                      # never seen; one call per character then
        out = [_t2s.convert(c) for c in cjk]
    return {c: o for c, o in zip(cjk, out) if len(o) == 1 and o != c}


def _fold_step(ch: str, t2s: dict[str, str]) -> str:
    if "\ud800" <= ch <= "\udfff":                 # a lone surrogate: SQLite could not store it
        return "\ufffd"
    if ch not in "\t\n\r" and unicodedata.category(ch) == "Cc":
        return " "                                  # control characters (NUL ends an FTS5 string) are spaces
    nfkc = unicodedata.normalize("NFKC", ch)
    c = nfkc if len(nfkc) == 1 else ch
    c = t2s.get(c, c)
    c = EXTRA.get(c, c)
    lower = c.casefold()
    return lower if len(lower) == 1 else c


def _learn(codes: list[int]) -> None:
    """Add the folds of these code points (and of what they fold to) to the lookup table."""
    with _learning:
        step: dict[str, str] = {}
        pending = {chr(c) for c in codes if not _KNOWN[c]}
        while pending:
            t2s = _t2s_table(pending)
            for ch in pending:
                step[ch] = _fold_step(ch, t2s)
            pending = {f for f in step.values() if f not in step and not _KNOWN[ord(f)]}
        for ch in step:                            # follow a chain to its end: fold is idempotent
            target = step[ch]
            for _ in range(8):
                after = step[target] if target in step else chr(_LUT[ord(target)])
                if after == target:
                    break
                target = after
            _LUT[ord(ch)] = ord(target)
        _KNOWN[[ord(ch) for ch in step]] = True    # after _LUT: a reader never sees a half-learnt entry


def fold(text: str) -> str:
    """The folded copy of `text`, of exactly the same length (see the module docstring)."""
    if not text:
        return text
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    new = codes[~_KNOWN[codes]]
    if new.size:
        _learn(np.unique(new).tolist())
    return _LUT[codes].tobytes().decode("utf-32-le", "surrogatepass")


# ---- query --------------------------------------------------------------------------------------------

def terms(query: str) -> list[str]:
    """The query's folded terms, in the order typed, each once. Raises QueryTooLong."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(len(query))
    out: list[str] = []
    for k, part in enumerate(re.split(f"[{QUOTES}]", fold(query))):
        if k % 2:                                   # inside quotes: one term, spaces kept (one per run)
            words = [" ".join(part.split())]
        else:
            words = part.split()
        for w in words:
            if w and w not in out:
                out.append(w)
    return out


def _may_overlap(terms: list[str]) -> bool:
    """Whether an occurrence of one term can overlap an occurrence of another or of itself."""
    for a in terms:
        for b in terms:
            if a != b and b in a:
                return True
            if any(a.endswith(b[:k]) for k in range(1, min(len(a), len(b)) + (a != b))):
                return True
    return False


# ---- index --------------------------------------------------------------------------------------------

@dataclass
class DocumentHits:
    doc_id: str
    hits: list[tuple[int, int]]                 # (start, end) into the original text: sorted, non-overlapping
    term_counts: dict[str, int] = field(default_factory=dict)   # occurrences of each folded term

    @property
    def count(self) -> int:
        return len(self.hits)


class Results(list):
    """The returned documents (a list of DocumentHits), with `total`: every matching document, before
    limit_docs, and `terms`: the folded terms searched for."""

    def __init__(self, docs=(), total: int = 0, terms: list[str] | None = None):
        super().__init__(docs)
        self.total = total
        self.terms = terms or []


class SearchIndex:
    def __init__(self, texts: dict[str, str], folded: list[str], db: sqlite3.Connection):
        self.texts = dict(texts)                    # a shallow copy: the strings are shared, not copied
        self._ids = list(self.texts)                     # rowid - 1 -> doc_id
        self._row = {doc_id: r for r, doc_id in enumerate(self._ids)}
        self._folded = folded
        self._db = db
        self._lock = threading.Lock()

    @classmethod
    def build(cls, texts: dict[str, str]) -> "SearchIndex":
        """Index doc_id -> original text."""
        folded = [fold(t) for t in texts.values()]
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'trigram case_sensitive 1', "
                   "columnsize = 0)")
        with db:
            db.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", enumerate(folded, start=1))
        return cls(texts, folded, db)

    def __len__(self) -> int:
        return len(self._ids)

    def __reduce__(self):
        return (SearchIndex.build, (self.texts,))

    def _matching(self, folded_terms: list[str]) -> list[int]:
        """Row numbers (0-based) of the documents holding every term: the FTS5 index for the terms of three
        characters or more, then CPython's substring search for the shorter ones, on those documents only."""
        long = [t for t in folded_terms if len(t) >= 3]
        short = [t for t in folded_terms if len(t) < 3]
        if long:
            expression = " AND ".join('"' + t.replace('"', '""') + '"' for t in long)
            with self._lock:
                rows = [r - 1 for (r,) in self._db.execute("SELECT rowid FROM docs WHERE docs MATCH ?",
                                                            (expression,))]
        else:
            rows = range(len(self._ids))
        folded = self._folded
        return [r for r in rows if all(t in folded[r] for t in short)] if short else list(rows)

    def _within(self, rows: list[int], doc_ids: Iterable[str] | None) -> list[int]:
        if doc_ids is None:
            return rows
        allowed = {self._row[d] for d in doc_ids if d in self._row}
        return [r for r in rows if r in allowed]

    def count(self, query: str, doc_ids: Iterable[str] | None = None) -> int:
        """Number of documents matching the query (among doc_ids when given)."""
        folded_terms = terms(query)
        return len(self._within(self._matching(folded_terms), doc_ids)) if folded_terms else 0

    def search(self, query: str, limit_docs: int | None = None,
               doc_ids: Iterable[str] | None = None) -> Results:
        """Documents holding every term of the query, most hits first, then by doc_id; at most limit_docs
        of them (all when None), each with every occurrence of every term. `doc_ids` restricts the search to
        those documents (the sidebar's selection; unknown ids are ignored), before ordering, cut and total.
        Raises QueryTooLong."""
        if limit_docs is not None and limit_docs < 0:
            raise ValueError("limit_docs must be None or >= 0")
        folded_terms = terms(query)
        if not folded_terms:
            return Results([], 0, [])
        rows = self._within(self._matching(folded_terms), doc_ids)
        automaton = ahocorasick.Automaton()
        for t in folded_terms:
            automaton.add_word(t, t)
        automaton.make_automaton()

        found: dict[int, DocumentHits] = {}
        if _may_overlap(folded_terms):
            for r in rows:
                found[r] = self._hits(r, automaton)
            counts = {r: found[r].count for r in rows}
        else:
            counts = {r: sum(self._folded[r].count(t) for t in folded_terms) for r in rows}
        order = sorted(rows, key=lambda r: (-counts[r], self._ids[r]))
        if limit_docs is not None:
            order = order[:limit_docs]
        docs = [found[r] if r in found else self._hits(r, automaton) for r in order]
        return Results(docs, len(rows), folded_terms)

    def _hits(self, row: int, automaton: ahocorasick.Automaton) -> DocumentHits:
        spans, term_counts = [], {}
        for end, term in automaton.iter(self._folded[row]):
            spans.append((end + 1 - len(term), end + 1))
            term_counts[term] = term_counts.get(term, 0) + 1
        spans.sort()
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start < merged[-1][1]:     # overlapping: one span; touching spans stay two
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return DocumentHits(self._ids[row], merged, term_counts)


# ---- display ------------------------------------------------------------------------------------------

SENTENCE_END = "。！？!?；;"
CLOSERS = "”’」』）)】"
_SENTENCE_STOP = re.compile(f"[{SENTENCE_END}][{CLOSERS}]*|\n")


def sentence_span(text: str, pos: int, end: int | None = None) -> tuple[int, int]:
    """(start, end) of the sentence around text[pos] (and reaching at least `end`, for a hit that crosses a
    sentence end): from after the previous 。！？!?；; or newline (leading spaces skipped) to its own end mark
    (with the closing quotes or brackets right after it) or to the newline, which is left out."""
    pos = max(0, min(pos, len(text)))
    end = pos if end is None else max(pos, min(end, len(text)))
    start = max(text.rfind(c, 0, pos) for c in SENTENCE_END + "\n") + 1
    while start < pos and text[start] in CLOSERS + " \t\u3000":
        start += 1
    m = _SENTENCE_STOP.search(text, max(end - 1, pos))
    if m is None:
        return start, len(text)
    return start, m.start() if m.group() == "\n" else m.end()


def hit_sentences(text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The sentences holding `hits` (sorted, as DocumentHits.hits), each once, in order:
    (start, end, the hits inside it). For showing a document's hits in context."""
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    for a, b in hits:
        if out and a < out[-1][1]:
            start, end, inside = out[-1]
            inside.append((a, b))
            if b > end:
                out[-1] = (start, sentence_span(text, a, b)[1], inside)
            continue
        start, end = sentence_span(text, a, b)
        out.append((start, end, [(a, b)]))
    return out
