"""Evidence sentences as safe HTML with the words that triggered a record marked.

Everything from an article is escaped here; only our own <mark> tags are added. Cue words are simplified
Chinese (the loaders match on an OpenCC t2s copy of the same length), so matching runs on that copy and the
marks are placed on the article's own characters: a traditional sentence keeps its script.
"""
from __future__ import annotations

import html

from loaders.extract.normalize import to_simplified


def spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of every occurrence of any term, longest first at a position."""
    simple = to_simplified(text)
    found = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        for target in {term, to_simplified(term)}:
            start = simple.find(target)
            while start != -1:
                found.append((start, start + len(target)))
                start = simple.find(target, start + 1)
    out, last = [], -1
    for start, end in sorted(found, key=lambda se: (se[0], -se[1])):
        if start >= last:
            out.append((start, end))
            last = end
    return out


def highlight(text: str, terms: list[str]) -> str:
    """`text` escaped for HTML, with <mark> around the terms."""
    return mark_spans(text, spans(text, terms))


def mark_spans(text: str, marks: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """text[start:end] escaped for HTML, with <mark> around each (sorted, non-overlapping) span of `marks`
    (offsets into `text`; spans are clipped to the window)."""
    end = len(text) if end is None else end
    parts, pos = [], start
    for a, b in marks:
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        parts += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        pos = b
    parts.append(html.escape(text[pos:end]))
    return "".join(parts)
