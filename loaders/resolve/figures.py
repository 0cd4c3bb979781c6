"""Facts (mentions) become figures (what was reported).

`figures(facts, texts, mirror_of, links)` -> (figure_id per fact, figure rows). Mentions of one park, metric
and basis are one figure when their values agree (approximations and rounding folded), their scopes agree
and their dates do not contradict each other; a mirror's mentions are more reports of the original's
figures. Within an article, a number the text presents as part of a stated total (其中, 分别, a subtotal of
fewer projects, one project inside "N个项目总投资X", items that add up to a stated sum) is a `part` whose
`part_of` is the total's figure; a 累计/截至 figure is `cumulative`.

`links` are the reviewers' figure corrections already located on mentions (resolve.corrections).
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from loaders import lexicon
from loaders.extract.facts import fmt_number

FIGURE_COLUMNS = ["figure_id", "park_id", "metric", "basis", "scope", "value", "unit", "as_of", "role", "part_of",
                  "mentions", "reports", "doc_ids", "flags"]
ROLES = ("single", "total", "part", "cumulative")
SEGMENT_END = "。！？；\n"
_PROJECTS = re.compile(r"(\d+(?:\.\d+)?)个[^；]*?项目")


@functools.cache
def conf() -> dict:
    c = dict(lexicon.load("resolve"))
    alt = lambda ws: re.compile("|".join(map(re.escape, lexicon.longest_first(ws))))
    c["part_re"] = alt(c["part_cues"]["words"])
    c["total_re"] = alt(c["total_cues"]["words"])
    c["cumulative_re"] = alt(c["cumulative_cues"]["words"])
    c["another_re"] = alt(c["another_cues"]["words"])
    return c


@dataclass
class Mention:
    """One fact row, with what resolution reads from it and its text."""
    index: int
    row: dict
    value: Decimal | None
    approx: str                   # 超过 | 余 | 以上 | 约 | 近 | ""
    scope: str                    # scope without approximation labels
    projects: Decimal | None      # "N个…项目" in the scope
    group: str                    # the document's mirror group (its original's id)
    cue: str                      # part | total | "" : the nearest part or total word before the number
    cumulative: bool
    another: bool                 # said to be another one (另外7个项目): a separate event of its article
    headline: bool
    part_of: int | None = None    # index of the mention this one is a part of
    counts: bool = False          # a reviewer said it is no part
    figure: int = -1
    extra: dict = field(default_factory=dict)


def _number(value: str) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def split_scope(scope: str) -> tuple[str, str]:
    """(scope without approximation labels, the label) of a fact's scope ("4个项目；超过")."""
    labels = set(conf()["approx_labels"])
    parts = [p for p in (scope or "").split("；") if p]
    approx = next((p for p in parts if p in labels), "")
    return "；".join(p for p in parts if p not in labels), approx


def _segment_before(text: str, start: int) -> str:
    """The text from the sentence segment's start (after 。！？；or a line break) to `start`."""
    lo = max((text.rfind(ch, 0, start) for ch in SEGMENT_END), default=-1) + 1
    return text[lo:start]


def _cue(before: str) -> str:
    c = conf()
    part = [m.end() for m in c["part_re"].finditer(before)]
    total = [m.end() for m in c["total_re"].finditer(before)]
    if not part and not total:
        return ""
    return "part" if max(part, default=-1) > max(total, default=-1) else "total"


def mentions_of(facts: list[dict], texts: dict[str, str], mirror_of: dict[str, str]) -> list[Mention]:
    out = []
    for i, f in enumerate(facts):
        text = texts.get(f["doc_id"], "")
        start = int(f["start"])
        before = _segment_before(text, start) if text else ""
        core, approx = split_scope(f.get("scope", ""))
        count = _PROJECTS.search(core)
        out.append(Mention(
            index=i, row=f, value=_number(f["value"]), approx=approx, scope=core,
            projects=Decimal(count.group(1)) if count else None,
            group=mirror_of.get(f["doc_id"], f["doc_id"]), cue=_cue(before),
            cumulative=bool(conf()["cumulative_re"].search(before)) and f["metric"] not in conf()["latest_metrics"],
            another=bool(conf()["another_re"].search(before)),
            headline="headline" in (f.get("flags") or "").split("|")))
    return out


# ---------------------------------------------------------------- same figure

def _significant(v: Decimal) -> int:
    return max(1, len(v.normalize().as_tuple().digits))


def _rounds_to(precise: Decimal, rough: Decimal) -> bool:
    """Whether `rough`, written with fewer digits, is `precise` rounded (at least two significant digits)."""
    if rough == 0 or precise == 0:
        return False
    if abs(precise - rough) * 10 > abs(precise):
        return False          # rounding to two digits or more moves a number by 5% at most: a quick no
    digits = max(2, _significant(rough))
    exponent = precise.adjusted() - digits + 1
    return precise.scaleb(-exponent).quantize(Decimal(1)).scaleb(exponent) == rough


@functools.cache
def _tolerances() -> tuple[Decimal, Decimal]:
    """(1 + above_tolerance, about_tolerance) as Decimals, made once: same_value runs for every pair of mentions."""
    c = conf()
    return Decimal(1 + c["above_tolerance"]), Decimal(c["about_tolerance"])


def same_value(a: Mention, b: Mention) -> bool:
    if a.value is None or b.value is None:
        return a.row["value"] == b.row["value"]
    if a.value == b.value:
        return True
    above, about = _tolerances()
    for x, y in ((a, b), (b, a)):
        if x.approx in ("超过", "余", "以上") and x.value <= y.value <= x.value * above:
            return True
        if x.approx in ("约", "近") and abs(y.value - x.value) <= x.value * about:
            return True
    return _rounds_to(a.value, b.value) or _rounds_to(b.value, a.value)


def same_scope(a: Mention, b: Mention, population) -> bool:
    if a.row["metric"] in conf()["latest_metrics"]:
        return not a.scope or not b.scope or population(a.scope) == population(b.scope)
    if a.projects is not None and b.projects is not None:
        return a.projects == b.projects
    if not a.scope or not b.scope:
        return True
    if (a.projects is None) != (b.projects is None):
        return False
    return a.scope == b.scope


def _dates_agree(x: str, y: str) -> bool:
    return x.startswith(y) or y.startswith(x)


def same_time(a: Mention, b: Mention) -> bool:
    """Dates that do not contradict: two stated dates must agree; a rate (a state that changes) also needs the
    same date when the two come from different stories."""
    ra, rb = a.row, b.row
    if ra.get("date_basis") == "stated" and rb.get("date_basis") == "stated" and not _dates_agree(ra["as_of"], rb["as_of"]):
        return False
    if a.group == b.group:
        return True
    if ra["metric"] in conf()["latest_metrics"] and ra.get("as_of") and rb.get("as_of"):
        return _dates_agree(ra["as_of"], rb["as_of"])
    return True


def group_key(row: dict) -> tuple:
    return row["park_id"], row["metric"], row["basis"], row["unit"]


# ---------------------------------------------------------------- part and whole

def _total_like(m: Mention) -> bool:
    return m.cue == "total" or (m.projects is not None and m.projects >= 2) or m.cumulative


def _single_project(m: Mention) -> bool:
    return (m.projects is not None and m.projects == 1) or (m.projects is None and m.scope.endswith("项目"))


def _dates_differ(a: Mention, b: Mention) -> bool:
    return (a.row.get("date_basis") == "stated" and b.row.get("date_basis") == "stated"
            and not _dates_agree(a.row["as_of"], b.row["as_of"]))


def find_parts(ms: list[Mention]) -> None:
    """Set `part_of` on the mentions of one document, park, metric and basis (in text order, repeats of one
    figure already folded: `ms` holds one mention per distinct value)."""
    if len(ms) < 2 or ms[0].row["metric"] in conf()["latest_metrics"] or ms[0].row["basis"] not in ("total", "count"):
        return
    tolerance = Decimal("0.005")
    # items that add up to another number of the article are its parts ("900万 … 共计700万 … 200万")
    for total in sorted(ms, key=lambda m: -(m.value or 0)):
        if total.value is None or total.part_of is not None:
            continue
        others = [m for m in ms if m is not total and m.part_of is None and m.value is not None and m.value < total.value
                  and not _dates_differ(m, total)]
        position = {id(m): k for k, m in enumerate(ms)}
        runs = [others]
        after = [m for m in others if position[id(m)] > position[id(total)]]
        before = [m for m in others if position[id(m)] < position[id(total)]]
        runs += [after[:k] for k in range(len(after), 1, -1)] + [before[-k:] for k in range(len(before), 1, -1)]
        for run in runs:
            if len(run) >= 2 and abs(sum(m.value for m in run) - total.value) <= total.value * tolerance:
                for m in run:
                    m.part_of = total.index
                break
    # a number the text marks as a part, a single project or a subtotal of fewer projects belongs to the
    # nearest larger total before it (or to the headline's)
    for k, m in enumerate(ms):
        if m.part_of is not None or m.value is None:
            continue
        marked = m.cue == "part" or _single_project(m) or m.projects is not None
        if not marked:
            continue
        larger = [t for t in ms[:k] if t.value is not None and t.value > m.value and not _dates_differ(m, t)]
        larger += [t for t in ms[k + 1:] if t.headline and t.value is not None and t.value > m.value]
        candidates = [t for t in larger if _total_like(t) or m.cue == "part"]
        if m.projects is not None and m.projects >= 2 and m.cue != "part":
            # a subtotal: only under a total of more projects
            candidates = [t for t in candidates if t.projects is not None and t.projects > m.projects]
        if candidates:
            # the nearest total before it that is no part itself (a project of a sector of the whole: the whole)
            top = [t for t in candidates if t.part_of is None and not t.headline] or candidates
            m.part_of = top[-1].index
        elif m.cue == "part":
            m.part_of = -1                 # a part of a total the text does not state


# ---------------------------------------------------------------- figures

def figure_id(row: dict) -> str:
    key = "\0".join([row["park_id"], row["metric"], row["basis"], row["doc_id"], str(row["start"])])
    return "F" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def cluster(ms: list[Mention], order: dict[str, tuple], population) -> list[list[Mention]]:
    """Mentions of one park, metric, basis and unit grouped into figures (each mention agrees with every
    other of its figure)."""
    figures: list[list[Mention]] = []
    for m in sorted(ms, key=lambda m: (order[m.group], order[m.row["doc_id"]], int(m.row["start"]))):
        for fig in figures:
            if all(same_value(m, o) and same_scope(m, o, population) and same_time(m, o) and not _distinct_in_doc(m, o)
                   for o in fig):
                fig.append(m)
                break
        else:
            figures.append([m])
    return figures


def _distinct_in_doc(a: Mention, b: Mention) -> bool:
    """Two equal numbers of one article are two figures when one is a part of the other's total, or when the
    text names them apart (two projects, two dates)."""
    if a.row["doc_id"] != b.row["doc_id"]:
        return False
    if a.headline or b.headline:
        return False
    return a.cue == "part" or b.cue == "part" or (bool(a.scope) and bool(b.scope) and a.scope != b.scope)
