"""What the review page and the document reader need, in pure pandas and strings (no Streamlit).

Shapes: `queue()` is one row per fact or measure with `table` (facts | measures) and `code` (its metric or
measure type); `record()` builds a correction record (loaders/correct/corrections.py) anchored on the row's text.
Article text reaching HTML is escaped here; only our own tags are added.
"""
from __future__ import annotations

import functools
import html

import pandas as pd

from loaders.correct.corrections import MONEY, anchor
from loaders.extract.normalize import sentences

from .dataset import Dataset, money_text

EDITED = ("corrected", "added")
UNITS = ["%", *MONEY, "家", "人", "个", "条"]     # what a figure may be given in: shares, money, the counts' units
MARK = "✎"
QUEUE_COLUMNS = ["table", "code", "park_id", "park_name", "doc_id", "evidence", "start", "end", "value", "unit",
                 "basis", "scope", "date", "raw", "cue", "flags", "status"]


def queue(view: Dataset, codes: list[str] = (), statuses: list[str] = ()) -> pd.DataFrame:
    """Facts and measures to review: flagged first (most flags first), then unreviewed, then by article and
    position. `codes` (metrics or measure types) and `statuses` narrow it; empty means all."""
    facts = view.facts.assign(table="facts", code=view.facts["metric"])
    measures = view.measures.assign(table="measures", code=view.measures["measure_type"])
    rows = pd.concat([f.reindex(columns=QUEUE_COLUMNS) for f in (facts, measures)], ignore_index=True).fillna("")
    if codes:
        rows = rows[rows["code"].isin(codes)]
    if statuses:
        rows = rows[rows["status"].isin(statuses)]
    flags = rows["flags"].str.count(r"\|") + (rows["flags"] != "")
    rows = rows.assign(start=rows["start"].astype(int), end=rows["end"].astype(int), n_flags=flags,
                       unreviewed=rows["status"] == "extracted")
    return rows.sort_values(["n_flags", "unreviewed", "doc_id", "start", "table", "code"],
                            ascending=[False, False, True, True, True, True], kind="stable").reset_index(drop=True)


def progress(view: Dataset, codes: list[str] = ()) -> tuple[int, int]:
    """(reviewed, total) rows of the selection: a rejected row counts as reviewed. Counted on the status
    columns alone (the overview asks on every rerun)."""
    facts, measures, rejected = view.facts, view.measures, view.rejected
    if codes:
        facts = facts[facts["metric"].isin(codes)]
        measures = measures[measures["measure_type"].isin(codes)]
        if len(rejected):
            rejected = rejected[rejected["metric"].isin(codes) | rejected["measure_type"].isin(codes)]
    reviewed = int((facts["status"] != "extracted").sum() + (measures["status"] != "extracted").sum())
    return reviewed + len(rejected), len(facts) + len(measures) + len(rejected)


def shown_amount(value: str, unit: str, sep: str = ",") -> tuple[str, str]:
    """(value, unit) as a reviewer reads them: an amount in 元 in 元/万元/亿元 by size, as the charts write it
    (`dataset.money_text`) but with every digit it has, since it is checked against the sentence
    ("24826000000", "元" -> "248.26", "亿元"); any other value as stored. sep="" for a form's field."""
    if unit != "元":
        return value, unit
    try:
        number = float(value)
    except ValueError:
        return value, unit
    if number != number:
        return value, unit
    text, unit = money_text(number, 12, sep).rsplit(" ", 1)
    return text, unit


def shown_amounts(values: pd.Series, units: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`shown_amount` of every row: (values, units), indexed like `values`."""
    pairs = [shown_amount(v, u) for v, u in zip(values, units)]
    return (pd.Series([v for v, _ in pairs], index=values.index, dtype=object),
            pd.Series([u for _, u in pairs], index=values.index, dtype=object))


def marked(values: pd.Series, status: pd.Series) -> pd.Series:
    """Values as shown: a corrected or added one carries ✎."""
    return values.astype(str) + status.isin(EDITED).map({True: f" {MARK}", False: ""})


@functools.lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((s.start, s.end) for s in sentences(text))


def doc_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of a normalized text, as the loaders split it."""
    return list(_sentences(text))


def context(text: str, start: int, end: int) -> tuple[str, tuple[int, int], str]:
    """(sentence before, (start, end) of the sentence holding the span, sentence after)."""
    spans = _sentences(text)
    index = next((i for i, (s, e) in enumerate(spans) if s <= start < e), None)
    if index is None:
        return "", (start, end), ""
    before = text[slice(*spans[index - 1])] if index > 0 else ""
    after = text[slice(*spans[index + 1])] if index + 1 < len(spans) else ""
    return before, (spans[index][0], max(spans[index][1], end)), after


def mark_span(text: str, bounds: tuple[int, int], span: tuple[int, int]) -> str:
    """text[bounds] escaped, with span (offsets into text) inside <mark>."""
    s, e = bounds
    a, b = max(s, span[0]), min(e, span[1])
    if a >= b:
        return html.escape(text[s:e])
    return (html.escape(text[s:a]) + "<mark>" + html.escape(text[a:b]) + "</mark>" + html.escape(text[b:e]))


def target(row: dict | pd.Series, text: str) -> dict:
    """The row's text-quote anchor: document, quote, 32 characters either side, offsets, kind and park."""
    out = anchor(text, int(row["start"]), int(row["end"]), row["doc_id"])
    out["metric" if row["table"] == "facts" else "measure_type"] = row["code"]
    if row.get("park_name"):
        out["park"] = row["park_name"]
    return out


def record(action: str, row, text: str, values: dict | None = None, author: str = "", note: str = "") -> dict:
    return {"action": action, "target": target(row, text), "set": values or {}, "author": author, "note": note}


def add_record(kind: str, code: str, doc_id: str, text: str, start: int, end: int, values: dict,
               author: str = "", note: str = "") -> dict:
    """A record that adds a fact (kind "facts", code a metric) or a measure anchored on text[start:end]."""
    t = anchor(text, start, end, doc_id)
    t["metric" if kind == "facts" else "measure_type"] = code
    return {"action": "add", "target": t, "set": values, "author": author, "note": note}


def document_html(text: str, facts: pd.DataFrame, measures: pd.DataFrame) -> str:
    """The article as paragraphs, each sentence numbered (the number picks it in the add form), sentences
    holding a measure underlined, every fact's span marked, corrected and added ones with ✎."""
    fact_spans = sorted({(int(s), int(e), f"{m} {v}{u}", st) for s, e, m, v, u, st in
                         zip(facts["start"], facts["end"], facts["metric"], facts["value"], facts["unit"],
                             facts["status"])})
    measure_at: dict[int, list[str]] = {}
    for s, code, status in zip(measures["start"], measures["measure_type"], measures["status"]):
        measure_at.setdefault(int(s), []).append(code + (f" {MARK}" if status in EDITED else ""))
    out, paragraph = ["<p>"], None
    for number, (s, e) in enumerate(_sentences(text), 1):
        para = text.count("\n", 0, s)
        if paragraph is not None and para != paragraph:
            out.append("</p><p>")
        paragraph = para
        pieces, pos = [], s
        for fs, fe, label, status in fact_spans:
            if fs < pos or fs >= e:
                continue
            edited = f"<sup>{MARK}</sup>" if status in EDITED else ""
            pieces += [html.escape(text[pos:fs]), f"<mark title='{html.escape(label, quote=True)}'>",
                       html.escape(text[fs:min(fe, e)]), "</mark>", edited]
            pos = min(fe, e)
        pieces.append(html.escape(text[pos:e]))
        body = "".join(pieces)
        if s in measure_at:
            title = html.escape(", ".join(measure_at[s]), quote=True)
            body = f"<span class='measure' title='{title}'>{body}</span>"
        out.append(f"<sup class='n'>{number}</sup>{body}")
    out.append("</p>")
    return "".join(out)


# ------------------------------------------------------- parks (park actions of loaders/correct/corrections.py)

def document_park_record(doc_id: str, park: str, values: dict | None = None, author: str = "", note: str = "") -> dict:
    """A `set_park` on a document: the park the article is about (by name, with its province, city and type when
    given); the next build extracts the article's figures and measures for it."""
    described = {k: v for k, v in (values or {}).items() if v}
    return {"action": "set_park", "target": {"doc_id": doc_id}, "set": {"park": park.strip(), **described},
            "author": author, "note": note}


def park_record(action: str, park: str, values: dict, author: str = "", note: str = "") -> dict:
    """rename_park (values {name}), merge_park ({into}) or set_park ({park_type, level, province, city}: the fields
    that change) on the park named `park`."""
    return {"action": action, "target": {"park": park},
            "set": {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}, "author": author, "note": note}


# ---------------------------------------------------------------- figures (resolve.review)

def figure_of(ds, row: dict) -> dict | None:
    """The figure (figures.csv row) a queue row of facts reports, or None (a measure, or an older build)."""
    if row["table"] != "facts" or ds.figures.empty:
        return None
    facts = ds.facts
    hit = facts[(facts["doc_id"] == row["doc_id"]) & (facts["start"] == str(row["start"]))
                & (facts["park_id"] == row["park_id"]) & (facts["metric"] == row["code"])]
    if hit.empty or not hit["figure_id"].iloc[0]:
        return None
    figure = ds.figures[ds.figures["figure_id"] == hit["figure_id"].iloc[0]]
    return figure.iloc[0].to_dict() if len(figure) else None


def other_figures(ds, figure: dict) -> pd.DataFrame:
    """The park's other figures of the same metric, each with its first mention (the anchor a record uses)."""
    same = ds.figures[(ds.figures["park_id"] == figure["park_id"]) & (ds.figures["metric"] == figure["metric"])
                      & (ds.figures["figure_id"] != figure["figure_id"])]
    first = ds.facts[ds.facts["figure_id"].isin(same["figure_id"])].drop_duplicates("figure_id")
    return first.join(same.set_index("figure_id")[["role", "reports_num"]], on="figure_id")


def figure_record(action: str, row: dict, text: str, other: dict | None = None, other_text: str = "",
                  author: str = "", note: str = "") -> dict:
    """merge_figure / part_of (with `other`, a facts row, and its article's text), split_figure / not_part."""
    values = {}
    if other is not None:
        t = anchor(other_text, int(other["start"]), int(other["end"]), other["doc_id"])
        t["metric"] = other["metric"]
        if other.get("park_name"):
            t["park"] = other["park_name"]
        values = {"with" if action == "merge_figure" else "of": t}
    return {"action": action, "target": target(row, text), "set": values, "author": author, "note": note}
