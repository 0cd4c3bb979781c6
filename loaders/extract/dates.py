"""The article's own publication date, when its text gives one.

`published_date(text)` reads the normalized text (`normalize.normalize`) and returns "YYYY-MM-DD", or "" when the
page states no date of its own. Where to look and which shapes count (a labelled header, a date stamped with a
clock time, a newspaper's edition line, a date on a line of its own, a news-agency dateline) are data in
`loaders/data/dates.yaml`; the rules are tried strongest first and the first that finds a valid date wins.
Event dates, cut-offs ("截至2月20日") and cited reports in the body are never read as the page's date.
"""
from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from loaders import lexicon
from .normalize import to_simplified

SENTENCE_END = re.compile(r"[。！？；!?;]")


@dataclass(frozen=True)
class Rule:
    kind: str
    where: tuple[str, ...]
    forms: tuple[re.Pattern, ...]
    before: re.Pattern | None
    after: re.Pattern | None
    not_in_clause: re.Pattern | None
    line: dict | None
    default_year: bool


@dataclass(frozen=True)
class Rules:
    head_chars: int
    tail_chars: int
    default_year: int
    year_nearby: re.Pattern
    years: tuple[int, int]
    not_before: re.Pattern
    not_after: re.Pattern
    rules: tuple[Rule, ...]


@functools.cache
def rules() -> Rules:
    conf = lexicon.load("dates")
    forms = {name: re.compile(pattern) for name, pattern in conf["date_forms"].items()}
    opt = lambda pattern: re.compile(pattern) if pattern else None
    out = []
    for r in conf["rules"]:
        where = r.get("where", "head")
        line = dict(r["line"]) if r.get("line") else None
        if line:
            line["no_punct"] = re.compile(line["no_punct"])
        out.append(Rule(r["kind"], tuple(where) if isinstance(where, list) else (where,),
                        tuple(forms[f] for f in r["forms"]), opt(r.get("before")), opt(r.get("after")),
                        opt(r.get("not_in_clause")), line, r.get("year") == "default"))
    low, high = conf["plausible_years"]
    return Rules(conf["head_chars"], conf["tail_chars"], conf["default_year"],
                 re.compile(rf"((?:19|20)\d{{2}})年[^\n]{{0,{int(conf['year_nearby_chars'])}}}$"),
                 (low, high), re.compile(conf["not_before"]), re.compile(conf["not_after"]), tuple(out))


def published_date(text: str) -> str:
    """The page's own publication date as "YYYY-MM-DD", or "" when the text gives none."""
    if not text or not text.strip():
        return ""
    conf = rules()
    simple = _simplified_ends(text, conf)
    for rule in conf.rules:
        found = []
        for start, end in _windows(simple, rule.where, conf):
            for form in rule.forms:
                for m in form.finditer(simple, start, end):
                    iso = _accept(simple, m, rule, conf)
                    if iso:
                        found.append((m.start(), iso))
        if found:
            return min(found)[1]
    return ""


def header_date(line: str) -> tuple[str, int, int] | None:
    """(rule kind, start, end) of the page date a line of the article's head holds (a dateline "新华社南京3月5日电",
    a stamp "2020-03-05 09:30 来源：…", a labelled "发布时间：…", a date alone on its line …), by the rules of
    `published_date`; None when the line holds none. Titles are never taken from these (pipeline.title_and_source)."""
    conf = rules()
    simple = to_simplified(line)
    for rule in conf.rules:
        for form in rule.forms:
            for m in form.finditer(simple):
                if _accept(simple, m, rule, conf):
                    return rule.kind, m.start(), m.end()
    return None


def _simplified_ends(text: str, conf: Rules) -> str:
    """The text with its head and tail in simplified script (OpenCC keeps the length, so offsets hold); the
    middle, which no rule reads, is left as it is so a long article costs no more than a short one."""
    margin = 200                       # the rest of a line that straddles a window's edge
    head, tail = conf.head_chars + margin, conf.tail_chars + margin
    if len(text) <= head + tail:
        return to_simplified(text)
    return to_simplified(text[:head]) + text[head:-tail] + to_simplified(text[-tail:])


def _windows(s: str, where: tuple[str, ...], conf: Rules) -> list[tuple[int, int]]:
    out = []
    for w in where:
        if w == "head":
            out.append((0, min(len(s), conf.head_chars)))
        elif w == "tail":
            out.append((max(0, len(s) - conf.tail_chars), len(s)))
        elif w == "start":
            first = s.lstrip()
            offset = len(s) - len(first)
            out.append((offset, offset + (first.find("\n") if "\n" in first else len(first))))
    return out


def _accept(s: str, m: re.Match, rule: Rule, conf: Rules) -> str:
    line_start = s.rfind("\n", 0, m.start()) + 1
    line_end = s.find("\n", m.end())
    line_end = len(s) if line_end < 0 else line_end
    before, after = s[line_start:m.start()], s[m.end():line_end]
    if rule.before is not None:
        if not rule.before.search(before):
            return ""
    elif conf.not_before.search(before):
        return ""
    if rule.after is not None and not rule.after.search(after):
        return ""
    if conf.not_after.search(after):
        return ""
    if rule.not_in_clause is not None:
        clause = SENTENCE_END.split(before)[-1].split("，")[-1]
        if rule.not_in_clause.search(clause):
            return ""
    if rule.line is not None and not _alone(before, after, rule.line):
        return ""
    parts = m.groupdict()
    if parts.get("y"):
        year = int(parts["y"])
        year += 2000 if year < 100 else 0
    elif rule.default_year:
        near = conf.year_nearby.search(before)
        year = int(near.group(1)) if near else conf.default_year
    else:
        return ""
    return _iso(year, int(parts["m"]), int(parts["d"]), conf)


def _alone(before: str, after: str, line: dict) -> bool:
    """The date holds its line: nothing but a short source name after it, or a headline before it."""
    before, after = before.strip(), after.strip()
    if line["no_punct"].search(before) or line["no_punct"].search(after):
        return False
    if not before:
        return len(after) <= line["max_after"]
    if not after:
        return len(before) <= line["max_before"] and not (line.get("before_no_digits") and re.search(r"\d", before))
    return False


def _iso(year: int, month: int, day: int, conf: Rules) -> str:
    low, high = conf.years
    if not low <= year <= high:
        return ""
    try:
        return datetime.date(year, month, day).isoformat()   # refuses 2月30日, 13月1日
    except ValueError:
        return ""
