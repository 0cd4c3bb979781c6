"""The one number to cite per park, metric and basis, computed from figures (never from mentions).

`park_totals(figures)` -> rows of TOTAL_COLUMNS:
- additive metrics (amounts and counts of basis total/count): a stated total is never added to its parts;
  the latest cumulative figure supersedes earlier ones and the events it covers (dated on or before it, or
  undated); distinct events add. `how`: single | stated_total | latest_cumulative | sum_of_events |
  largest_part (only parts of a total no article states: the largest, a lower bound).
- rates and counts of a state (reopening_rate, reopened_enterprises): per population, the latest figure
  (`how` latest).
Two figures that disagree on the same date (the same scope, different values) stay a conflict: the total
says `conflict` in `flags` and counts one of them, never both. Figures the text does not make separate
events (three amounts of one sentence with no named projects: applied, granted, lent) are not added: the
largest is counted and `flags` says `overlap`.
"""
from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from decimal import Decimal

from loaders import lexicon
from loaders.extract.facts import fmt_number

TOTAL_COLUMNS = ["total_id", "park_id", "metric", "basis", "scope", "value", "unit", "how", "figures", "reports", "doc_ids",
                 "first_as_of", "last_as_of", "flags"]
HOWS = ("single", "stated_total", "latest_cumulative", "sum_of_events", "largest_part", "latest")


@functools.cache
def _populations() -> list[dict]:
    return lexicon.load("resolve")["populations"]


def population(scope: str) -> str:
    """The population a rate's scope names (populations in resolve.yaml), e.g. 规模以上工业企业(52户) -> 规上工业企业."""
    core = scope.split("；")[0]
    for p in _populations():
        if any(w in core for w in p.get("words", ())) or core in p.get("exact", ()):
            return p["zh"]
    return core


def _when(as_of: str) -> str:
    return as_of or ""


def _after(a: str, b: str) -> bool:
    """Whether date a is later than b (a month-only date is not later than a day of that month)."""
    if not a or not b:
        return False
    return a > b and not a.startswith(b) and not b.startswith(a)


def _row(figs: list[dict], value: Decimal, how: str, scope: str = "", flags: list[str] = ()) -> dict:
    first = figs[0]
    docs = sorted({d for f in figs for d in f["doc_ids"].split("|") if d})
    dates = sorted(f["as_of"] for f in figs if f["as_of"])
    key = "\0".join([first["park_id"], first["metric"], first["basis"], scope])
    return {"total_id": "T" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10],
            "park_id": first["park_id"], "metric": first["metric"], "basis": first["basis"], "scope": scope,
            "value": fmt_number(value), "unit": first["unit"], "how": how,
            "figures": "|".join(f["figure_id"] for f in figs), "reports": len(docs), "doc_ids": "|".join(docs),
            "first_as_of": dates[0] if dates else "", "last_as_of": dates[-1] if dates else "",
            "flags": "|".join(flags)}


def _conflicting(figs: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of figures of one scope and date with different values (from different reports)."""
    out = []
    for i, a in enumerate(figs):
        for b in figs[i + 1:]:
            if a["scope_key"] and a["scope_key"] == b["scope_key"] and a["value"] != b["value"] \
                    and not _after(a["as_of"], b["as_of"]) and not _after(b["as_of"], a["as_of"]):
                out.append((a, b))
    return out


def _latest(figs: list[dict]) -> dict:
    return max(figs, key=lambda f: (_when(f["as_of"]), int(f["reports"]), Decimal(f["value"]), f["figure_id"]))


def disjoint(a: dict, b: dict) -> bool:
    """Whether the text makes two figures separate events: from different stories, on different dates; from
    one story, two named projects, two stated dates, or one said to be another (另外7个项目)."""
    if not (a["_groups"] & b["_groups"]):
        return bool(a["as_of"]) and bool(b["as_of"]) and not _same_day(a["as_of"], b["as_of"])
    if a["_named"] and b["_named"] and a["_named"] != b["_named"]:
        return True
    if a["_stated"] and b["_stated"] and not _same_day(a["as_of"], b["as_of"]):
        return True
    return a["_another"] or b["_another"]


def _same_day(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _events(figs: list[dict]) -> tuple[list[dict], bool]:
    """The figures that add: the largest first, then each one disjoint from all taken; (taken, any left out)."""
    taken: list[dict] = []
    for f in sorted(figs, key=lambda f: (-Decimal(f["value"]), f["figure_id"])):
        if all(disjoint(f, t) for t in taken):
            taken.append(f)
    return taken, len(taken) < len(figs)


def additive_total(figs: list[dict], has_parts: set[str]) -> dict | None:
    counted = [f for f in figs if f["role"] != "part"]
    if not counted:
        parts = [f for f in figs if f["role"] == "part"]
        top = max(parts, key=lambda f: Decimal(f["value"]))
        return _row([top], Decimal(top["value"]), "largest_part", flags=["total_not_stated"])
    flags = []
    # a figure and a rival of the same scope and date: one report is counted, the conflict is said
    for a, b in _conflicting(counted):
        if a in counted and b in counted:
            counted.remove(min((a, b), key=lambda f: (int(f["reports"]), f["as_of"], f["figure_id"])))
            flags.append("conflict")
    cumulative = [f for f in counted if f["role"] == "cumulative"]
    if cumulative:
        latest = _latest(cumulative)
        later, overlap = _events([f for f in counted if f["role"] != "cumulative" and _after(f["as_of"], latest["as_of"])])
        used = [latest] + later
        how = "latest_cumulative" if not later else "sum_of_events"
    else:
        used, overlap = _events(counted)
        if len(used) == 1:
            how = "stated_total" if used[0]["figure_id"] in has_parts else "single"
        else:
            how = "sum_of_events"
    if overlap:
        flags.append("overlap")
    return _row(sorted(used, key=lambda f: (f["as_of"], f["figure_id"])), sum(Decimal(f["value"]) for f in used),
                how, flags=sorted(set(flags)))


def park_totals(figures: list[dict]) -> list[dict]:
    conf = lexicon.load("resolve")
    additive, latest = conf["additive"], conf["latest_metrics"]
    has_parts = {f["part_of"] for f in figures if f["part_of"]}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures:
        if f["metric"] in latest:
            groups[(f["park_id"], f["metric"], f["basis"], population(f["scope"]))].append(f)
        elif f["metric"] in additive["metrics"] and f["basis"] in additive["bases"]:
            groups[(f["park_id"], f["metric"], f["basis"], "")].append(f)
    out = []
    for (park, metric, basis, scope), figs in sorted(groups.items()):
        figs = [dict(f, scope_key=f["scope"] or "") for f in figs]
        if metric in latest:
            top = _latest(figs)
            rivals = [f for f in figs if f is not top and f["as_of"] == top["as_of"] and f["value"] != top["value"]]
            out.append(_row([top], Decimal(top["value"]), "latest", scope=scope,
                            flags=["conflict"] if rivals else []))
        else:
            row = additive_total(figs, has_parts)
            if row:
                out.append(row)
    return out
