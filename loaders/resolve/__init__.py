"""Resolution: after extraction and corrections, before the tables are written, facts (mentions) become
figures (what was reported) and every park total is computed from figures.

    mirrors.py   re-posted articles (MinHash of the folded text, datasketch) -> documents `duplicate_of`
    figures.py   one figure, many mentions; part and whole; cumulative figures -> figures.csv, facts `figure_id`
    review.py    reviewers' merge / split / part-of corrections, located by their text-quote anchors
    totals.py    the one number to cite per park, metric and basis -> park_totals.csv

`resolve(facts, texts, mirror_of, records)` is pure: the same rows give the same bytes.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .figures import FIGURE_COLUMNS, ROLES, Mention, cluster, figure_id, find_parts, group_key, mentions_of
from .figures import same_scope, same_value
from .mirrors import duplicates, signature
from .review import locate_links
from .totals import HOWS, TOTAL_COLUMNS, park_totals, population

__all__ = ["FIGURE_COLUMNS", "HOWS", "ROLES", "TOTAL_COLUMNS", "Resolved", "duplicates", "mark_copies",
           "population", "resolve", "signature"]


def mark_copies(results, documents: list[dict]) -> dict[str, str]:
    """Pair re-posted copies among processed documents (pipeline.DocResult, with their signatures) and set each
    document row's `duplicate_of`; returns {copy's doc_id: original's doc_id}."""
    mirror_of = duplicates([{"doc_id": r.doc_id, "signature": r.signature, "shingles": r.shingles,
                             "published": r.published, "chars": len(r.text)} for r in results])
    for d in documents:
        d["duplicate_of"] = mirror_of.get(d["doc_id"], "")
    return mirror_of


@dataclass
class Resolved:
    facts: list[dict]                    # the rows given, each with `figure_id`
    figures: list[dict]
    totals: list[dict]
    orphans: list[dict] = field(default_factory=list)    # figure corrections whose mentions are gone


def _fold_repeats(ms: list[Mention]) -> list[Mention]:
    """One mention per value of a document (the headline, lead and body repeating one number), in text order."""
    kept: list[Mention] = []
    for m in ms:
        same = next((k for k in kept if same_value(m, k) and same_scope(m, k, population)
                     and m.cue != "part" and k.cue != "part"), None)
        if same is None:
            kept.append(m)
        else:
            m.extra["repeat_of"] = same
    return kept


def _order(documents: list[dict]) -> dict[str, tuple]:
    """Documents in the order their figures are first reported: the earliest published first."""
    ranked = sorted(documents, key=lambda d: (d.get("published") or "9999", d["doc_id"]))
    return {d["doc_id"]: (k,) for k, d in enumerate(ranked)}


def resolve(facts: list[dict], texts: dict[str, str], documents: list[dict], records: list[dict] = (),
            parks: list[dict] = ()) -> Resolved:
    """`documents` carry `duplicate_of` ("" or the original's id) and `published`; `records` are the correction
    store's records (only the figure actions are read here); `parks` the published parks (the park a record names
    is found by name or alias)."""
    mirror_of = {d["doc_id"]: d["duplicate_of"] for d in documents if d.get("duplicate_of")}
    order = _order(documents)
    for f in facts:                        # a row of a document the list lacks sorts last, never fails
        order.setdefault(f["doc_id"], (len(order),))
    ms = mentions_of(facts, texts, mirror_of)

    # part and whole, within each article
    by_doc: dict[tuple, list[Mention]] = defaultdict(list)
    for m in ms:
        by_doc[(m.row["doc_id"], *group_key(m.row))].append(m)
    for group in by_doc.values():
        group.sort(key=lambda m: int(m.row["start"]))
        distinct = _fold_repeats(group)
        find_parts(distinct)
        for m in group:
            if "repeat_of" in m.extra:
                m.part_of = m.extra["repeat_of"].part_of

    links, orphans = locate_links(records, ms, texts, parks)
    for i in links.not_part:
        ms[i].part_of, ms[i].counts = None, True
    for i, j in links.part_of.items():
        ms[i].part_of, ms[i].counts = j, False

    # one figure, many mentions: across articles, mirrors as more reports
    by_key: dict[tuple, list[Mention]] = defaultdict(list)
    for m in ms:
        by_key[group_key(m.row)].append(m)
    groups: list[list[Mention]] = []
    for key in sorted(by_key):
        groups += cluster(by_key[key], order, population)
    groups = links.regroup(groups, ms)

    for n, fig in enumerate(groups):
        for m in fig:
            m.figure = n
    ids = [figure_id(min((m.row for m in fig), key=lambda r: (order[r["doc_id"]], r["doc_id"], int(r["start"]))))
           for fig in groups]
    part_of = _figure_parts(groups, ms)
    wholes = set(part_of.values())          # figures with parts (a set: one lookup per figure, not a scan)
    rows = [_figure_row(fig, ids[n], ids[part_of[n]] if part_of.get(n, -1) >= 0 else "",
                        part_of.get(n) is not None, n in wholes, order)
            for n, fig in enumerate(groups)]
    out_facts = [dict(f, figure_id=ids[ms[i].figure]) for i, f in enumerate(facts)]
    rows.sort(key=lambda r: (r["park_id"], r["metric"], r["basis"], r["as_of"], r["figure_id"]))
    totals = park_totals(rows)
    return Resolved(out_facts, [{c: r[c] for c in FIGURE_COLUMNS} for r in rows], totals, orphans)


def _figure_parts(groups: list[list[Mention]], ms: list[Mention]) -> dict[int, int]:
    """{figure: figure it is part of, or -1 for a part of an unstated total}. A figure is a part when any of its
    mentions is (one article says so) and no reviewer said otherwise; a part of itself or a cycle is dropped."""
    out: dict[int, int] = {}
    for n, fig in enumerate(groups):
        if any(m.counts for m in fig):
            continue
        targets = [m.part_of for m in fig if m.part_of is not None]
        if not targets:
            continue
        known = [ms[t].figure for t in targets if t >= 0 and ms[t].figure != n]
        if known:
            out[n] = min(known, key=lambda f: Decimal(groups[f][0].row["value"]))
        elif all(t < 0 for t in targets):
            out[n] = -1
    for n in list(out):                    # break cycles: the larger of a pair is no part
        seen, k = {n}, out.get(n)
        while k is not None and k >= 0:
            if k in seen:
                out.pop(max(seen, key=lambda f: Decimal(groups[f][0].row["value"])), None)
                break
            seen.add(k)
            k = out.get(k)
    return out


def _best(fig: list[Mention]) -> Mention:
    """The mention whose number is the most precise: not approximate, most significant digits."""
    return max(fig, key=lambda m: (not m.approx, len(m.row["value"].rstrip("0")), -int(m.row["start"])))


def _figure_row(fig: list[Mention], fid: str, part_of: str, is_part: bool, has_parts: bool,
                order: dict[str, tuple]) -> dict:
    best = _best(fig)
    stated = sorted((m.row["as_of"] for m in fig if m.row.get("date_basis") == "stated"), key=len)
    dated = sorted((m.row["as_of"] for m in fig if m.row.get("as_of")), key=lambda d: d)
    as_of = stated[-1] if stated else (dated[0] if dated else "")
    scopes = sorted({m.scope for m in fig if m.scope}, key=lambda s: (-len(s), s))
    approx = best.approx
    if is_part:
        role = "part"
    elif any(m.cumulative for m in fig):
        role = "cumulative"
    elif has_parts or any(m.cue == "total" or (m.projects is not None and m.projects >= 2) for m in fig):
        role = "total"
    else:
        role = "single"
    docs = sorted({m.row["doc_id"] for m in fig}, key=lambda d: (order[d], d))
    flags = [f for f, on in (("approx", bool(approx)), ("total_not_stated", is_part and not part_of)) if on]
    row = best.row
    named = {m.scope for m in fig if m.scope.endswith("项目") and m.projects is None}
    internal = {"_groups": {m.group for m in fig}, "_named": min(named) if len(named) == 1 else "",
                "_stated": any(m.row.get("date_basis") == "stated" for m in fig), "_another": any(m.another for m in fig)}
    return internal | {"figure_id": fid, "park_id": row["park_id"], "metric": row["metric"], "basis": row["basis"],
            "scope": "；".join(p for p in (scopes[0] if scopes else "", approx) if p), "value": row["value"],
            "unit": row["unit"], "as_of": as_of, "role": role, "part_of": part_of, "mentions": len(fig),
            "reports": len(docs), "doc_ids": "|".join(docs), "flags": "|".join(flags)}
