"""Recognise park names in a (simplified) sentence.

A name is read leftwards from its suffix (经开区, 高新区, 新区, 工业园区 …) over segments that are places
(adcodes), descriptors or gazetteer stems, so a heading glued in front ("为企业解难题苏州工业园区") or
a word like "这是" never becomes part of it, and "国家级经开区" (no place at all) is no park.
Lists expand: "厦门、江阴、嘉兴秀洲等国家高新区" is three parks.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from loaders import lexicon
from .places import is_province, table

CJK = "\u4e00-\u9fff"


@dataclass
class Mention:
    start: int                 # offsets in the sentence
    end: int
    key: str                   # canonical name: 大同经开区
    park_type: str
    parts: tuple[str, ...]     # place and descriptor segments as written (山西省, 大同市)
    role: str = "actor"        # actor | reference | company | parent (the designation before a zone's own name)
    level: str = ""            # 国家级 | 省级 when the text says so next to the name
    listed: bool = False       # expanded from a list "A、B、C等国家高新区"


@dataclass(frozen=True)
class Grammar:
    suffix_re: re.Pattern
    suffixes: dict
    segments: frozenset
    max_seg: int
    descriptors: frozenset
    gazetteer: dict            # any known spelling -> canonical name
    gazetteer_info: dict       # canonical -> {province, city, park_type}
    list_re: re.Pattern
    company_followers: tuple
    reference_cues: tuple
    chunk_stopchars: frozenset = frozenset()
    parent_only: frozenset = frozenset()
    inner_levels: dict = None
    bare_parks: dict = None    # gazetteer spellings without a suffix (中关村) -> canonical name
    bare_re: re.Pattern | None = None
    needs_descriptor: frozenset = frozenset()


@functools.cache
def grammar() -> Grammar:
    conf = lexicon.parks()
    suffixes = conf["suffixes"]
    suffix_alt = "|".join(map(re.escape, lexicon.longest_first(suffixes)))
    level_alt = "|".join(map(re.escape, lexicon.longest_first(conf["inner_level_words"])))
    info, spellings = {}, {}
    bare: dict[str, str] = {}      # spellings without a suffix (中关村, 泰达): national and hand-kept lists only
    stems = set()
    provinces = sorted({n for n in table().names() if is_province(n)}, key=len, reverse=True)
    names = table().names()
    place_starts = lambda rest: [rest[:k] for k in range(2, min(len(rest), 8) + 1) if rest[:k] in names]
    for section, entries in lexicon.gazetteer().items():
        for name, entry in entries.items():
            info[name] = {"province": entry["province"], "city": entry.get("city", ""),
                          "park_type": entry.get("type", section),
                          "level": "省级" if section in lexicon.PROVINCIAL_SECTIONS else "国家级"}
            written = [name, *entry.get("aliases", [])]
            # 郑洛新国家自主创新示范区 is also read as 郑洛新 + 国家 + 自主创新示范区: the level word is no part of the name
            written += [re.sub(f"(?:{level_alt})(?=(?:{suffix_alt})$)", "", w) for w in written]
            for spelling in dict.fromkeys(written):
                spellings.setdefault(spelling, name)
                if section not in lexicon.PROVINCIAL_SECTIONS and not re.search(f"(?:{suffix_alt})$", spelling):
                    bare.setdefault(spelling, name)
                m = re.search(f"(?:{suffix_alt})$", spelling)
                if m and m.start() >= 2:
                    stems.add(spelling[: m.start()])
    # 河北邯郸 is 河北 + 邯郸 and 上海漕河泾 is 上海 + 漕河泾: a stem never swallows a province that the reader
    # drops anyway, when what follows is a place or a stem of its own (上海化学 stays: 化学 is neither)
    for stem in list(stems):
        province = next((p for p in provinces if stem.startswith(p) and len(stem) - len(p) >= 2), None)
        rest = stem[len(province):] if province else ""
        if rest and (rest in stems or place_starts(rest)):
            stems.discard(stem)
            stems.add(rest)
    stop = set(conf["place_stoplist"])
    segments = {n for n in table().names() if n not in stop} | set(conf["descriptors"]) | stems
    list_re = re.compile(
        rf"((?:[{CJK}]{{2,10}}、)+[{CJK}]{{2,10}}?)(?:等|和|及|(?=第[一二三四五六七八九十]批|[0-9一二三四五六七八九十]+个))"
        rf"(?:第[一二三四五六七八九十]批)?(?:众多|多个|一批|[0-9一二三四五六七八九十]+个)?(国家级|国家|省级)?({suffix_alt})")
    return Grammar(re.compile(suffix_alt), suffixes, frozenset(segments), max(map(len, segments)),
                   frozenset(conf["descriptors"]), spellings, info, list_re,
                   tuple(conf["company_followers"]), tuple(conf["reference_cues"]),
                   frozenset(conf["unknown_chunk_stopchars"]), frozenset(conf["parent_only_suffixes"]),
                   dict(conf["inner_level_words"]), bare,
                   re.compile("|".join(map(re.escape, lexicon.longest_first(bare)))) if bare else None,
                   frozenset(conf["needs_descriptor_suffixes"]))


def _segment_ending_at(text: str, pos: int, g: Grammar, floor: int = 0) -> str | None:
    for size in range(min(g.max_seg, pos - floor), 1, -1):
        piece = text[pos - size: pos]
        if piece in g.segments:
            return piece
    return None


def _parse_left(text: str, pos: int, g: Grammar, floor: int = 0) -> tuple[int, list[str]]:
    """Walk left from `pos` over segments; returns the start and the segments in reading order."""
    parts: list[str] = []
    while pos > floor:
        seg = _segment_ending_at(text, pos, g, floor)
        if seg is None:
            break
        parts.insert(0, seg)
        pos -= len(seg)
    return pos, parts


def _unknown_district(text: str, pos: int, g: Grammar) -> tuple[int, list[str]]:
    """A two-character name the place table lacks, right after a known place ("杭州钱塘新区")."""
    chunk = text[max(0, pos - 2):pos]
    if len(chunk) < 2 or not re.fullmatch(f"[{CJK}]{{2}}", chunk) or any(c in g.chunk_stopchars for c in chunk):
        return pos, []
    start, parts = _parse_left(text, pos - 2, g)
    if not parts:
        return pos, []
    return start, [*parts, chunk]


def canonical(parts: list[str], bracket: str, suffix: str, g: Grammar) -> tuple[str, str]:
    """(canonical name, park type) of a name made of `parts` + `bracket` + suffix as written."""
    park_type, short_suffix = g.suffixes[suffix]
    written = "".join(parts) + bracket + suffix
    if written in g.gazetteer:
        name = g.gazetteer[written]
        return name, g.gazetteer_info[name]["park_type"]
    if parts and parts[0] in g.bare_parks and len(parts) > 1:
        # a sub-park named after its park (中关村丰台科技园) is folded into the park
        name = g.bare_parks[parts[0]]
        return name, g.gazetteer_info[name]["park_type"]
    places = table()
    shorts = []
    for i, part in enumerate(parts):
        rows = places.by_name.get(part)
        shorts.append(rows[0].short if rows and part not in g.descriptors else part)
    # drop a leading province when a place follows it (江苏靖江 -> 靖江), keep it before a descriptor
    # (陕西航空) or when nothing else is left (北京经开区)
    while len(parts) > 1 and is_province(parts[0]) and parts[1] not in g.descriptors and parts[1] in places.by_name:
        parts, shorts = parts[1:], shorts[1:]
    name = "".join(shorts) + bracket + short_suffix
    # the name as written, then without its leading places (南京江宁滨江经开区 -> 江宁滨江经开区 -> 滨江经开区)
    candidates = [name] + ["".join(shorts[i:]) + bracket + short_suffix for i in range(1, len(shorts))]
    if short_suffix == "开发区":
        # "江宁滨江开发区" is how articles shorten 江宁滨江经济开发区
        candidates += [c[: -len("开发区")] + "经开区" for c in candidates]
    for candidate in candidates:
        if candidate in g.gazetteer:
            name = g.gazetteer[candidate]
            return name, g.gazetteer_info[name]["park_type"]
    # a zone no list names: a county-level place names it by itself (扬州高邮高新区 is 高邮高新区)
    while len(parts) > 1 and _city_then_its_county(parts[0], parts[1], places):
        parts, shorts = parts[1:], shorts[1:]
    return "".join(shorts) + bracket + short_suffix, park_type


def _city_then_its_county(city: str, county: str, places) -> bool:
    cities = [p for p in places.by_name.get(city, []) if p.level == 2]
    counties = [p for p in places.by_name.get(county, []) if p.level == 3]
    return any(c.code[:4] == k.code[:4] for c in cities for k in counties) and \
        not any(p.level <= 2 for p in places.by_name.get(county, []))


def _names_a_zone(parts, key: str, park_type: str, g: Grammar) -> bool:
    """A province alone names no zone ("河南产业集聚区", "上海、重庆等新区"), except its free trade zone and
    the zones the gazetteer knows (北京经开区)."""
    return key in g.gazetteer_info or park_type == "自贸区" or not all(is_province(p) for p in parts)


def _shared_suffix_lists(text: str, found: list[Mention], g: Grammar) -> list[Mention]:
    """"绵阳、广元、宜宾临港、内江经开区": items before a named park, separated by 、, that are places or
    stems, share its suffix. The named park and the new items become one list (listed=True)."""
    out = []
    for m in found:
        if m.role != "actor" or m.listed or m.start < 3 or text[m.start - 1] != "、":
            continue
        suffix = g.suffix_re.search(text, m.start, m.end)
        if suffix is None:
            continue
        items, end = [], m.start - 1
        while end > 0 and text[end] == "、":
            start, parts = _parse_left(text, end, g)
            if not parts or start == end or (start > 0 and text[start - 1] not in "、，,；：（(“ ") \
                    or text[end - 1] in "区县市省旗":
                break                   # "临淄区、宜州经开区": a district is no item of the park's list
            items.insert(0, (start, end, parts))
            end = start - 1
        if not items:
            continue
        for start, stop, parts in items:
            key, ptype = canonical(parts, "", suffix.group(), g)
            out.append(Mention(start, stop, key, ptype, tuple(parts), level=m.level, listed=True))
        m.listed = True
    return out


def _parent_before(found: list[Mention], start: int, text: str) -> Mention | None:
    """The mention that ends right where this one starts (joined by nothing or 的): its parent zone."""
    for m in found:
        if m.role == "actor" and not m.listed and (m.end == start or (m.end == start - 1 and text[m.end] == "的")):
            return m
    return None


def find_mentions(text: str) -> list[Mention]:
    """Park mentions of a simplified sentence, in order; generic words are not mentions."""
    g = grammar()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    for m in g.list_re.finditer(text):
        items = m.group(1).split("、")
        level = "国家级" if m.group(2) in ("国家级", "国家") else ("省级" if m.group(2) else "")
        suffix = m.group(3)
        pos = m.start(1)
        listed = []
        for k, item in enumerate(items):
            start, parts = _parse_left(item, len(item), g)
            if not parts or (start and k):
                listed = []
                break
            key, ptype = canonical(parts, "", suffix, g)
            if not _names_a_zone(parts, key, ptype, g):
                listed = []
                break
            listed.append(Mention(pos + start, pos + len(item), key, ptype, tuple(parts), level=level, listed=True))
            pos += len(item) + 1
        if len(listed) >= 2:
            found.extend(listed)
            taken.append((listed[0].start, m.end()))

    for m in g.suffix_re.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        pos, bracket = m.start(), ""
        if pos and text[pos - 1] == "）":
            open_at = text.rfind("（", max(0, pos - 10), pos)
            if open_at > 0:
                b_start, b_parts = _parse_left(text, open_at, g)
                if b_parts:
                    bracket = text[open_at:pos]
                    pos = open_at
        inner_level = ""
        for word, label in g.inner_levels.items():
            if not bracket and text[max(0, pos - len(word)):pos] == word:
                inner_level, pos = label, pos - len(word)
                break
        national = re.search(r"中国（([^（）]{2,4})）$", text[max(0, pos - 8):pos])
        if national and national.group(1) in g.segments:
            # 中国（河南）自由贸易试验区: the official form puts the place in brackets after 中国
            start, parts = pos - len(national.group()), [national.group(1)]
        else:
            start, parts = _parse_left(text, pos, g)
        if not parts:
            start, parts = _unknown_district(text, pos, g)
        if not parts:
            continue
        if inner_level and all(is_province(p) for p in parts):
            continue                    # 江苏省级开发区: the province's zones in general
        written = "".join(parts) + bracket + m.group()
        parent = _parent_before(found, start, text)
        if m.group() in g.parent_only and written not in g.gazetteer and parent is None:
            continue
        if parent is not None and m.group() not in g.parent_only and written not in g.gazetteer:
            continue                    # 杭州经开区生物医药产业园: a sub-park, folded into the park before it
        if m.group() in g.needs_descriptor and written not in g.gazetteer \
                and not any(p in g.descriptors for p in parts):
            continue                    # "西安产业园项目": a place and 产业园 name a project more often than a zone
        if m.group() in g.needs_descriptor and written not in g.gazetteer and text.startswith("项目", m.end()):
            continue                    # "医药健康产业园项目": a project's name
        if all(p in g.descriptors for p in parts) and written not in g.gazetteer and parent is None:
            continue
        end = m.end()
        after = re.match(r"（([^（）]{1,8}[区县市])）", text[end:])
        if after:
            end += after.end()
        key, ptype = canonical(parts, bracket, m.group(), g)
        if not _names_a_zone(parts, key, ptype, g):
            continue
        role = "actor"
        if text.startswith(g.company_followers, m.end()):
            role = "company"
        elif any(text[max(0, start - 4): start].endswith(cue) for cue in g.reference_cues):
            role = "reference"
        before = text[max(0, start - 3): start]
        level = inner_level or ("国家级" if before.endswith(("国家级", "国家")) else ("省级" if before.endswith("省级") else ""))
        if parent is not None:
            parent.role = "parent"      # 河南自贸区 in 河南自贸区郑州片区 names the zone's designation only
        found.append(Mention(start, end, key, ptype, tuple(parts), role=role, level=level))
        taken.append((start, end))

    # bare gazetteer spellings without a suffix (中关村)
    for m in (g.bare_re.finditer(text) if g.bare_re else ()):
        if not any(a <= m.start() < b for a, b in taken):
            name = g.bare_parks[m.group()]
            found.append(Mention(m.start(), m.end(), name, g.gazetteer_info[name]["park_type"], (m.group(),)))
            taken.append((m.start(), m.end()))
    found.extend(_shared_suffix_lists(text, found, g))
    for m in found:
        # a mention inside a longer one is its parent's designation (上海自贸区 in 上海自贸区临港新片区)
        if any(n is not m and n.start <= m.start and m.end <= n.end and n.end - n.start > m.end - m.start
               for n in found):
            m.role = "parent" if m.role == "actor" else m.role
    found.sort(key=lambda x: x.start)
    return found
