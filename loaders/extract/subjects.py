"""Who a figure is about: the subjects a sentence names before each of its numbers.

A bulletin lists districts, counties and parks each with its own figure ("甲区复工率81%；…；某经开区复工率
33.5%；乙县复工率21.0%"), a park article quotes the city ("全市规上企业复工率96%") or a firm, and a group of
parks shares one figure ("A经开区、B高新区等12个重点园区，…复工率92.1%"). A figure belongs to the last
subject named before it in its sentence; only a park subject gives it an owner.

`subjects(sentence, mentions)` returns `[Subject]` in order of position; every word list is in
data/parks.yaml (`subjects`).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from loaders import lexicon
from .parks import Mention, canonical, grammar
from .places import table

CLAUSE_START = "，,；;。！？：:"


@dataclass(frozen=True)
class Subject:
    pos: int
    kind: str          # park | list (parks named together) | generic (the passage's park) | place | firm | group
    key: str = ""      # the park's key for kind park; the word for the others
    end: int = -1
    keys: tuple = ()   # list: its parks in order
    parts: tuple = ()  # a park a generic word names inside a list of districts (临淄区、高新区): its city


@functools.cache
def _conf() -> dict:
    conf = dict(lexicon.parks()["subjects"])
    alt = lambda ws: "|".join(map(re.escape, lexicon.longest_first(ws)))
    stop = set(lexicon.parks()["place_stoplist"]) | set(conf["place_not_subject"])
    # full names of every level (临淄区, 丰县), short names of provinces and cities only: a county's short
    # name is too often an ordinary word at a clause start (新建项目30个)
    conf["places"] = frozenset(p.name for p in table().places if p.name not in stop and len(p.name) >= 2)
    conf["short_places"] = frozenset(p.short for p in table().places
                                     if p.level <= 2 and p.short not in stop and len(p.short) >= 2) - conf["places"]
    # the lengths of the place names that start with each character, longest first
    lengths: dict[str, set[int]] = {}
    for name in conf["places"] | conf["short_places"]:
        lengths.setdefault(name[0], set()).add(len(name))
    conf["place_lengths"] = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}
    conf["lead_re"] = re.compile(rf"(?:(?:{alt(conf['lead_words'])})|(?:截至|截止到?|到)?(?:\d{{4}}年)?\d{{1,2}}月"
                                 rf"(?:\d{{1,2}}[日号])?(?:\d{{1,2}}时)?(?:[上下]午)?(?:\d{{1,2}}时)?)*")
    conf["wide_re"] = re.compile(alt(conf["other_place_words"]))
    conf["blockers"] = tuple(conf["blockers"])
    conf["wide_adjective_followers"] = tuple(conf["wide_adjective_followers"])
    conf["short_followers"] = tuple(conf["short_place_followers"])
    conf["group_re"] = re.compile(conf["group_pattern"])
    conf["firm_re"] = re.compile(alt(lexicon.parks()["firm_markers"]))
    conf["generic_re"] = re.compile(alt(lexicon.parks()["generic_park_words"]))
    conf["generic_words"] = frozenset(lexicon.parks()["generic_park_words"])
    conf["not_a_name_re"] = re.compile(r"[的在为是对将和与及把向从以]|国家|省级|各|全")
    conf["unread_zone_re"] = re.compile(rf"(?P<name>[\u4e00-\u9fff（）]{{2,30}}?(?:{alt(conf['unread_zone_words'])}))(?=[（，,：])")
    return conf


class Covered:
    """Positions of a sentence already taken by a mention, a group or a place-wide word."""
    def __init__(self, n: int, spans):
        self.mask = bytearray(n + 1)
        for span in spans:
            self.append(span)

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        self.mask[a:b] = b"\x01" * (b - a)

    def __contains__(self, pos: int) -> bool:
        return 0 <= pos < len(self.mask) and self.mask[pos] == 1


def _inside(pos: int, spans: Covered) -> bool:
    return pos in spans


def _clause_starts(s: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(s) if ch in CLAUSE_START]


def _blocked(s: str, clause: int, pos: int) -> bool:
    """A word of the clause before `pos` that makes the place an object, not a subject (位居全市, 为全市)."""
    return s[clause:pos].endswith(_conf()["blockers"])


def subjects(s: str, mentions: list[Mention]) -> list[Subject]:
    """Subjects of a simplified sentence, in order: parks named, generic park words, other places, firms
    and groups of parks."""
    c = _conf()
    spans = Covered(len(s), [(m.start, m.end) for m in mentions])
    out: list[Subject] = []
    run: list[Mention] = []
    for m in sorted((m for m in mentions if m.role == "actor"), key=lambda m: m.start) + [None]:
        # parks named together ("A、B、C经开区", "A、B等国家高新区") form one list subject
        if m is not None and m.listed and (not run or m.start - run[-1].end <= 1):
            run.append(m)
            continue
        if run:
            out.append(Subject(run[0].start, "list", "、".join(x.key for x in run), run[-1].end,
                               tuple(dict.fromkeys(x.key for x in run))))
            run = []
        if m is not None and m.listed:
            run = [m]
        elif m is not None:
            out.append(Subject(m.start, "park", m.key, m.end))
            out += _listed_places(s, m.end, spans)     # "滨海新区、宁河区、西青区复工率分别…"
    for g in c["group_re"].finditer(s):
        if not _inside(g.start(), spans):
            out.append(Subject(g.start(), "group", g.group(), g.end()))
            spans.append(g.span())
    head = c["unread_zone_re"].match(s)
    if head and not _inside(head.start(), spans) and not _inside(head.end("name") - 1, spans) \
            and head.group("name") not in c["generic_words"] and not c["not_a_name_re"].search(head.group("name")):
        # "宁东能源化工基地（宁夏），生产企业复工率31%": a zone the grammar cannot read opens the sentence
        out.append(Subject(head.start(), "place", head.group("name"), head.end("name")))
    starts = _clause_starts(s)
    for clause in starts:
        lead = c["lead_re"].match(s, clause)
        pos = lead.end() if lead else clause
        if pos >= len(s) or _inside(pos, spans):
            continue
        for size in c["place_lengths"].get(s[pos], ()):
            word = s[pos:pos + size]
            if len(word) < size or (word not in c["places"] and word not in c["short_places"]) or _inside(pos + size - 1, spans):
                continue
            # a short name (江苏, 淄博) is a subject only before a population or a figure word: "江苏镭博激光
            # 项目" is a project's name
            if word in c["places"] or (word in c["short_places"] and s.startswith(c["short_followers"], pos + size)):
                out.append(Subject(pos, "place", word, pos + size))
                out += _listed_places(s, pos + size, spans)
                break
    for w in c["wide_re"].finditer(s):
        if _inside(w.start(), spans):
            continue
        clause = starts[bisect.bisect_right(starts, w.start()) - 1]
        if not _blocked(s, clause, w.start()) and not s.startswith(c["wide_adjective_followers"], w.end()):
            out.append(Subject(w.start(), "place", w.group(), w.end()))
        spans.append(w.span())
    for f in c["firm_re"].finditer(s):
        if _inside(f.start(), spans):
            continue
        clause = starts[bisect.bisect_right(starts, f.start()) - 1]
        # a firm that is the clause's subject: named within its first words, no verb acting on it before
        if f.start() - clause <= c["firm_window"] and not any(v in s[clause:f.start()] for v in c["firm_object_verbs"]) \
                and s[f.start() - 1: f.start()] != "等":
            out.append(Subject(f.start(), "firm", f.group(), f.end()))
    places = {x.end: x for x in out if x.kind == "place"}
    for g in c["generic_re"].finditer(s):
        if _inside(g.start(), spans):
            continue
        near = places.get(g.start() - 1) if s[g.start() - 1: g.start()] == "、" else None
        place = table().lookup(near.key) if near is not None else None
        if place is not None and g.group() in c["district_list_parks"]:
            # "临淄区、高新区开复工率…": a park word listed with a city's districts is that city's park
            key, _ = canonical([place.city], "", g.group(), grammar())
            out.append(Subject(g.start(), "park", key, g.end(), parts=(place.city,)))
            places[g.end()] = Subject(g.start(), "place", g.group(), g.end())
            out += _listed_places(s, g.end(), spans)
            continue
        if s[g.start() - 1: g.start()] == "等" and any(m.role == "actor" and m.end == g.start() - 1 for m in mentions):
            continue                # "A经开区、B经开区等经开区": the category of the list before it, not a subject
        host = next((m for m in mentions if m.role == "actor" and 0 <= g.start() - m.end <= c["unread_name_window"]
                     and re.fullmatch(r"[\u4e00-\u9fff]*", s[m.end:g.start()])), None)
        if host is not None:
            # "自贡高新区板仓工业园区": a sub-park glued to its park is folded into it
            out.append(Subject(g.start(), "park", host.key, g.end()))
            continue
        if _unread_name(s, g.start(), c):
            # "乌鲁木齐经济手艺开发区": a zone's name the grammar could not read is some zone, not the passage's
            out.append(Subject(g.start(), "place", g.group(), g.end()))
            continue
        out.append(Subject(g.start(), "generic", g.group(), g.end()))
    out.sort(key=lambda x: (x.pos, x.kind != "park"))
    return out


def _unread_name(s: str, pos: int, c: dict) -> bool:
    """A place name in the few characters glued before a generic park word: part of a name not read."""
    window = s[max(0, pos - c["unread_name_window"]):pos]
    if not window or not re.fullmatch(r"[\u4e00-\u9fff]+", window[-2:]):
        return False
    return any(window[i:j] in c["places"] or window[i:j] in c["short_places"]
               for i in range(len(window)) for j in range(i + 2, len(window) + 1)
               if re.fullmatch(r"[\u4e00-\u9fff]+", window[i:]))


def _listed_places(s: str, pos: int, spans: Covered) -> list[Subject]:
    """Places listed after a place subject: "周村区、高青县、…" (full names only)."""
    c = _conf()
    out = []
    while pos < len(s) and s[pos] == "、":
        pos += 1
        for size in c["place_lengths"].get(s[pos], ()):
            word = s[pos:pos + size]
            if len(word) == size and word in c["places"] and not _inside(pos, spans):
                out.append(Subject(pos, "place", word, pos + size))
                pos += size
                break
        else:
            break
    return out


def wide_place_words() -> frozenset:
    """全市, 全省, 全国 …: places by extent rather than by name."""
    return frozenset(_conf()["other_place_words"])


def subject_before(subs: list[Subject], pos: int) -> Subject | None:
    """The last subject named before `pos`."""
    before = [x for x in subs if x.pos <= pos]
    return before[-1] if before else None
