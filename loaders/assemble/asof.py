"""When a fact held: its own date, else its article's publication date, else none.

`date_facts(facts, published)` sets, on every fact row, `as_of` (YYYY-MM-DD or YYYY-MM, "" when nothing
dates it) and `date_basis` (stated | published | none). It runs after extraction and again after
corrections, so a corrected date moves the fact on the timeline.
"""
from __future__ import annotations

DATE_BASES = ("stated", "published", "none")


def as_of(date: str, published: str) -> tuple[str, str]:
    """(as_of, date_basis) of one fact whose sentence gives `date` ("" when it gives none)."""
    if date:
        return date, "stated"
    if published:
        return published, "published"
    return "", "none"


def date_facts(facts: list[dict], published: dict[str, str]) -> list[dict]:
    """The same rows, each with `as_of` and `date_basis`; `published` is {doc_id: YYYY-MM-DD or ""}."""
    for f in facts:
        f["as_of"], f["date_basis"] = as_of(f.get("date") or "", published.get(f["doc_id"], ""))
    return facts
