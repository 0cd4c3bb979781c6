"""Which parks a sentence's figures and measures belong to, given its subjects (`subjects.py`).

`assign_owners(sentence, facts, subjects, actors, targets)` returns, for each fact, the list of park keys
it belongs to (empty: no park's; several: each park of a list); `measure_owners(pos, subjects, targets)`
the parks that took the measure whose cue stands at `pos`. Pure functions; word lists in data/parks.yaml.
"""
from __future__ import annotations

import re

from loaders import lexicon
from .parks import Mention
from .subjects import Subject, subject_before, wide_place_words


def assign_owners(s: str, found: list, subs: list[Subject], actors: list[Mention],
                  targets: list[str]) -> list[list[str]]:
    """The parks each fact of a sentence belongs to (none, one, or each park of a list).

    "甲区、乙经开区复工率分别为81%、90%" pairs values with the subjects listed before 分别, in order;
    otherwise the last subject named before a figure decides (`_owners`)."""
    owners: list[list[str] | None] = [None] * len(found)
    conf = lexicon.parks()["subjects"]
    for m in re.finditer("分别", s):
        run, run_end = _run_before(s, subs, m.start())
        seg_end = min([i for i in (s.find(c, m.end()) for c in "，,；;。") if i >= 0] or [len(s)])
        after = [i for i, f in enumerate(found) if m.end() <= found[i].start < seg_end]
        if not run or not after:
            continue
        metric = found[after[0]].metric
        after = [i for i in after if found[i].metric == metric]
        if len(after) != len(run):
            continue
        for i, item in zip(after, run):
            owners[i] = item
        for i, f in enumerate(found):       # the shared threshold before 分别 ("超过95%，分别达到…") is the list's
            if owners[i] is None and f.metric == metric and run_end <= f.start < m.start():
                owners[i] = []
    for i, f in enumerate(found):
        if owners[i] is None:
            owners[i] = _owners(s, f, found, subs, actors, targets, conf)
    return owners


def _run_before(s: str, subs: list[Subject], pos: int) -> tuple[list[list[str]], int]:
    """The subjects listed together right before `pos` (joined by 、和及与), each as its parks (a list
    subject gives one item per park, a place or a firm an item with no park), and where the run ends."""
    before = [x for x in subs if x.end <= pos and x.kind != "generic"]
    if not before:
        return [], pos
    chain = [before[-1]]
    for x in reversed(before[:-1]):
        if s[x.end:chain[0].pos] in ("、", "和", "及", "与", "、和"):
            chain.insert(0, x)
        else:
            break
    items: list[list[str]] = []
    for x in chain:
        if x.kind == "list":
            items += [[k] for k in x.keys]
        else:
            items.append([x.key] if x.kind == "park" else [])
    return items, chain[-1].end


def _owners(s: str, f, found: list, subs: list[Subject], actors: list[Mention], targets: list[str],
            conf: dict) -> list[str]:
    """The last subject named before a figure decides: a park, that park; a list, each of its parks when the
    figure holds for each (均, 全部, 100%, 以上) and none when it is the list's total; a generic park word, the
    sentence's park; a place, a group of parks or, for a rate, a firm: none. With no subject before it: the
    passage's park when the sentence names none."""
    candidates = [x for x in subs if x.kind != "firm" or f.metric == "reopening_rate"]
    if sum(x.kind == "place" and x.pos < f.start and x.key not in wide_place_words() for x in subs) >= 2:
        # a bulletin ("甲区复工率81%；乙经开区…；跨区项目2个、复工率10.5%"): an item's subject stays in its item
        seg = max(s.rfind("；", 0, f.start), s.rfind(";", 0, f.start))
        candidates = [x for x in candidates if x.pos > seg]
        if subject_before(candidates, f.start) is None:
            return []
    subject = subject_before(candidates, f.start)
    if subject is None:
        # a figure before any subject: the sentence's park; when the sentence names its park only later, that
        # park, unless the park's own clause gives its own figure ("甲企业88.7%复工，乙高新区…94.4%复工")
        later = next((m for m in actors if not m.listed and m.start > f.start), None)
        if later is not None:
            own = any(g.metric == f.metric and g.start > later.start for g in found)
            return [] if own else [later.key]
        return targets[:1] if len(targets) == 1 else []
    between = s[max(subject.end, 0):f.start]
    each = any(w in between for w in conf["each_words"]) or f.value == 100 or \
        any(w in f.scope for w in ("以上", "超过"))
    if subject.kind == "list":
        return list(subject.keys) if each else []
    chain, _ = _run_before(s, subs, subject.end)
    if len(chain) > 1 and not each:
        return []                           # "甲县、乙经开区复工率共计85%": the list's figure
    if len(chain) > 1 and all(chain):
        # "A经开区、B经开区、C经开区等经开区…复工率100%": parks named one by one, each with its own suffix, share a
        # figure that holds for each; a run that mixes in a place or a firm is a bulletin's, not theirs
        return list(dict.fromkeys(k for item in chain for k in item))
    if subject.kind == "park":
        return [subject.key]
    if subject.kind == "generic":
        return targets[:1] if len(targets) == 1 else []
    return []


def measure_owners(pos: int, subs: list[Subject], targets: list[str]) -> list[str]:
    """Who took the measure a cue names: the last subject before it ("湖北自贸区推行…；河南自贸区组织开展
    线上招商" gives each its own), the sentence's parks when no subject comes before the cue; a place or a
    firm took it themselves ("该公司每天生产消毒液")."""
    subject = subject_before([x for x in subs if x.kind != "group"], pos)
    if subject is None or subject.kind == "generic":
        return targets
    if subject.kind == "park":
        return [subject.key]
    if subject.kind == "list":
        return list(subject.keys)
    return []
