"""One document from raw text to rows: normalize -> sentences -> parks -> facts and measures.

`process(doc_id, raw)` is pure (no I/O) so documents can be processed in parallel; rows name parks by
their canonical key, and `dataset.assemble` turns keys into park ids once all documents are in.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field

from . import facts as fact_rules
from loaders import lexicon
from .dates import header_date, published_date
from .measures import measure_cues_at
from .normalize import Sentence, is_heading, normalize, sentences, to_simplified
from .parks import Mention, canonical, find_mentions, grammar
from .places import table
from loaders.resolve.mirrors import signature
from .owners import assign_owners, measure_owners
from .subjects import Subject, subjects


@dataclass
class DocResult:
    doc_id: str
    text: str                                   # normalized text (offsets point here)
    title: str
    source: str
    sha256: str
    mentions: list[dict] = field(default_factory=list)   # one per actor mention: key, type, parts, level, surface
    measures: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    origin: str = "seed"                        # seed | imported (set by the build, not by processing)
    published: str = ""                         # the article's own date, YYYY-MM-DD (dates.published_date)
    published_basis: str = ""                   # text | column (set by the build from a collection's row) | ""
    url: str = ""                               # the address a collection's row gave (set by the build)
    signature: tuple = ()                       # MinHash of the folded text, for re-posted copies (resolve.mirrors)
    shingles: int = 0                           # how many shingles the signature was made of


@functools.cache
def _directive_re() -> re.Pattern:
    return re.compile(lexicon.measures()["directive_pattern"])


@functools.cache
def _actor_words() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    conf = lexicon.parks()
    alt = lambda ws: re.compile("|".join(map(re.escape, lexicon.longest_first(ws))))
    return alt(conf["generic_park_words"]), alt(conf["collective_words"]), alt(conf["firm_markers"])


PERCENT = re.compile(r"\d%")
DATE_RE = re.compile(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})(?:[—\-–至到~](?P<d2>\d{1,2}))?[日号]"
                     r"|(?P<part>上旬|中旬|下旬|初|底|末|份))")
SOURCE_RE = re.compile(r"来源[：:]\s*([^）)\n]+)")
REPORTER_RE = re.compile(r"(?:本报记者|记者)\s*([\u4e00-\u9fff]{2,3}?)(?:报道|）|\)|\s|$)")
AUTHOR_LINE = re.compile(r"^[\u4e00-\u9fff]{2,3}(?: [\u4e00-\u9fff]{2,3}){0,3}$")
# what follows a dateline's date: 电/讯/消息 and the reporters in brackets ("电（记者 张三）"), then the lead
DATELINE_TAIL = re.compile(r"^(?:电|讯|電|訊|消息)\s*(?:[（(][^（）()]{0,40}[）)])?[\s：:，,]*")
DATELINE_HEAD = 16          # a dateline opens its paragraph: at most this many characters (agency, place) before it
# a header line's words: a line with a date and one of these is a page header, never a title
HEADER_WORDS = re.compile(r"来源|來源|作者|编辑|編輯|责编|責編|发布|發布|时间|時間|日期|星期|浏览|瀏覽|点击|點擊|字号|字號")


def find_dates(s: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of each date in a sentence; year 2020 unless stated, month-only as YYYY-MM."""
    out = []
    for m in DATE_RE.finditer(s):
        year = int(m.group("y") or 2020)
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            continue
        day = m.group("d2") or m.group("d")
        if day and 1 <= int(day) <= 31:
            out.append((m.start(), f"{year:04d}-{month:02d}-{int(day):02d}"))
        elif not day:
            out.append((m.start(), f"{year:04d}-{month:02d}"))
    return out


def title_and_source(text: str) -> tuple[str, str]:
    paragraphs = [p for p in text.split("\n") if p]
    # the author line at the top, else the reporter, else the first "来源：" line
    authors = [p for p in paragraphs[:6] if AUTHOR_LINE.match(p)]
    reporter = REPORTER_RE.search(text[:400])
    origin = SOURCE_RE.search(text)
    if authors:
        source = "、".join(authors[0].split())
    elif reporter:
        source = reporter.group(1)
    else:
        source = origin.group(1).strip() if origin else ""
    title = ""
    for p in paragraphs[:6]:
        if AUTHOR_LINE.match(p) or REPORTER_RE.match(p):
            continue
        p = _without_date(p)
        if not p:
            continue                  # a dateline or a date stamp gives the date, not the title
        title = p if is_heading(p) else (p[:40] + "…" if len(p) > 40 else p)
        break
    return title, source


def _without_date(p: str) -> str:
    """A head paragraph as a title candidate: a dateline opening the lead is cut off ("新华社南京3月5日电（记者 张三）
    南京经开区…" -> "南京经开区…"); a header line holding a date gives the headline before or after its date, if
    any ("某某标题2020年08月03日", "02.26某某园区…"), else nothing ("2020-03-05 09:30 来源：新华网", a dateline alone)."""
    found = header_date(p)
    if found is None:
        return p
    kind, start, end = found
    if kind == "dateline":
        if start > DATELINE_HEAD or any(ch in p[:start] for ch in "。，；！？,;!?"):
            return p                  # a date further into a sentence: body text, not the paragraph's dateline
        return DATELINE_TAIL.sub("", p[end:], count=1).strip()
    before, after = p[:start].strip(), re.sub(r"^\s*\d{1,2}:\d{2}(?::\d{2})?", "", p[end:]).strip(" |丨｜/　")
    candidate = before or after
    if HEADER_WORDS.search(candidate) or len(re.findall(r"[\u4e00-\u9fff]", candidate)) < 4:
        return ""
    return candidate


def _first(pattern: re.Pattern, s: str, masked: list[tuple[int, int]]) -> int | None:
    for m in pattern.finditer(s):
        if not any(a <= m.start() < b for a, b in masked):
            return m.start()
    return None


def _signing_follows(all_sentences: list[Sentence], index: int, window: int = 3) -> bool:
    """Whether the first body sentences after a heading tell of a signing."""
    body = [t for t in all_sentences[index + 1:index + 1 + window * 2] if not t.heading][:window]
    return any(fact_rules.rules()["signing_re"].search(t.match) for t in body)


def named_park(name: str) -> dict:
    """The mention of a park an editor named for an article (a `set_park` correction on a document): the
    canonical park when the name reads as one (苏州工业园 -> 苏州工业园区), else the name as typed, its type
    from its suffix and its places from its start."""
    name = name.strip()
    simple = to_simplified(name)
    whole = [m for m in find_mentions(simple) if m.role == "actor" and m.start == 0 and m.end == len(simple)]
    if whole:
        m = whole[0]
        return {"key": m.key, "park_type": m.park_type, "parts": list(m.parts), "level": m.level, "listed": False,
                "surface": name, "within": "", "ambiguous": False}
    g = grammar()
    suffix = next((sfx for sfx in lexicon.longest_first(g.suffixes) if simple.endswith(sfx)), "")
    park_type = g.suffixes[suffix][0] if suffix else "其他"
    places, parts, pos = table(), [], 0
    stem = simple[:len(simple) - len(suffix)]
    while pos < len(stem):
        size = next((k for k in range(min(8, len(stem) - pos), 1, -1) if stem[pos:pos + k] in places.by_name), 0)
        if not size:
            break
        parts.append(stem[pos:pos + size])
        pos += size
    return {"key": name, "park_type": park_type, "parts": parts, "level": "", "listed": False, "surface": name,
            "within": "", "ambiguous": False}


def process(doc_id: str, raw: str, park: str = "") -> DocResult:
    """`park`: the park an editor named for the article (corrections `set_park` on a document): the passage's
    park from the first sentence on, so sentences that name no park of their own (or only a bare park word) are
    that park's; their rows carry the flag `park_from_editor`."""
    text = normalize(raw)
    simple = to_simplified(text)
    title, source = title_and_source(text)
    result = DocResult(doc_id, text, title, source, hashlib.sha256(text.encode("utf-8")).hexdigest(),
                       published=published_date(text))
    result.signature, result.shingles = signature(text)
    generic_re, collective_re, firm_re = _actor_words()

    passage: str | None = None        # the park the passage is about
    editor_park = ""
    if park.strip():
        named = named_park(park)
        result.mentions.append(named)
        passage = editor_park = named["key"]
    # firm_paragraph: the paragraph has turned to a firm or to another place, so sentences that name no
    # subject of their own are not the passage park's
    paragraph, firm_paragraph, last_heading_para = -1, False, -2
    paragraph_dates: list[str] = []
    seen_parks: set[str] = set()
    signing_before = False            # the sentence before, in this paragraph, told of a signing
    place_table = table()
    place_context = place_table.context(simple)   # the provinces and cities the article names, for 海州区-like names
    all_sentences = sentences(text, simple)
    inferred: set[str] = set()        # parks the article names only by a bare park word (_park_from_context)
    found_in = [find_mentions(sent.match) for sent in all_sentences]     # each sentence's park mentions
    names_a_park = functools.cache(lambda: any(m.role == "actor" for ms in found_in for m in ms))
    for index, sent in enumerate(all_sentences):
        s = sent.match
        if sent.paragraph != paragraph:
            paragraph, firm_paragraph, paragraph_dates, signing_before = sent.paragraph, False, [], False
            if sent.heading and last_heading_para != paragraph - 1 and len(seen_parks) > 1:
                passage = None        # in a round-up, a new heading block starts a new passage
        if sent.heading:
            last_heading_para = paragraph
        mentions = found_in[index]
        subs = subjects(s, mentions)
        implied = [_implied_mention(x) for x in subs if x.parts]
        if implied:                   # 临淄区、高新区: the city's park, named by its bare park word
            mentions = sorted(mentions + implied, key=lambda m: m.start)
            subs = subjects(s, mentions)
        actors = [m for m in mentions if m.role == "actor"]
        masked = [(m.start, m.end) for m in mentions]
        masked += [c.span() for c in collective_re.finditer(s)]
        first = {
            "actor": actors[0].start if actors else None,
            "generic": _first(generic_re, s, masked),
            "collective": next((c.start() for c in collective_re.finditer(s)), None),
            "firm": _first(firm_re, s, masked),
        }
        lead = min((pos, kind) for kind, pos in first.items() if pos is not None)[1] if any(
            p is not None for p in first.values()) else None

        for m in actors:
            within, ambiguous = place_table.disambiguate(list(m.parts), place_context)
            result.mentions.append({"key": m.key, "park_type": m.park_type, "parts": list(m.parts),
                                    "level": m.level, "listed": m.listed,
                                    "surface": sent.text[m.start:m.end], "within": within,
                                    "ambiguous": ambiguous and m.key not in grammar().gazetteer_info})
        if lead == "firm" or _firm_quote(all_sentences, index):
            targets, firm_paragraph = [], lead == "firm"
        elif actors:
            targets, firm_paragraph = list(dict.fromkeys(m.key for m in actors)), False
        elif lead == "collective":
            targets = []
        elif lead == "generic":
            if passage is None and not seen_parks and not inferred and not names_a_park():
                # an article that names its park only by the bare word ("开发区", "高新区"), as a zone's own site
                # does: the listed zone of that kind in the place the article names most, flagged
                found_park = _park_from_context(generic_re.search(s, first["generic"]).group(), place_context)
                if found_park is not None:
                    passage = found_park[0]
                    inferred.add(passage)
                    result.mentions.append({"key": passage, "park_type": found_park[1], "parts": found_park[2],
                                            "level": "", "listed": False, "surface": sent.text[first["generic"]:][:8],
                                            "within": "", "ambiguous": False})
            targets, firm_paragraph = ([passage] if passage else []), False
        else:
            targets = [] if firm_paragraph or not passage else [passage]
        named_actors = [m for m in actors if m not in implied]
        seen_parks.update(m.key for m in named_actors)
        if named_actors and lead != "firm":
            # the passage is about the park the sentence opens with ("洋浦经开区是海南自贸港的先行区");
            # a sentence that opens with a list is about no one park
            distinct = list(dict.fromkeys(m.key for m in named_actors))
            opener = named_actors[0] if not named_actors[0].listed and named_actors[0].start <= _lead_end(s) else None
            passage = distinct[0] if len(distinct) == 1 else (opener.key if opener else None)
            lead_subject = next((x for x in subs if x.kind != "generic"), None)
            if lead_subject is not None and lead_subject.kind in ("place", "firm", "group") \
                    and sum(x.kind == "place" for x in subs) >= 2 and len(PERCENT.findall(s)) >= 2:
                passage = None        # a bulletin that names one park among districts is not about the park
        if subs and not any(x.kind in ("park", "list", "generic") for x in subs) and subs[0].kind != "firm" \
                and subs[0].pos <= _lead_end(s):
            # the sentence is about a city, a district, a firm or a group of parks: nothing of it is the
            # passage park's, nor of the sentences after it that name no subject
            targets, firm_paragraph = [], True
        sentence_flags = _sentence_flags(s, sent, subs, actors, firm_re, masked) + (
            ["park_from_context"] if inferred and set(targets) & inferred else []) + (
            ["park_from_editor"] if editor_park and editor_park in targets and editor_park not in
            {m.key for m in actors} else [])

        dates = find_dates(s)
        if not targets:
            host = _settled_in(s, actors) if lead == "firm" else None
            if host is not None:
                # "XX公司…总投资20亿元的项目正式签约落户YY开发区": a firm's project signed into the park is the
                # park's signed investment, though the rest of a firm's sentence is the firm's
                for f in fact_rules.extract(s, signing_before):
                    if f.metric in ("signed_investment", "projects_signed"):
                        result.facts.append(_fact_row(f, host, doc_id, sent, dates, paragraph_dates,
                                                      sentence_flags + list(f.flags) + ["firm_context"]))
            paragraph_dates += [d for _, d in dates]
            signing_before = bool(fact_rules.rules()["signing_re"].search(s))
            continue
        named = {m.key for m in actors}
        hits: dict[tuple[str, str], list[str]] = {}      # (park, code) -> cues, in order
        directive = _directive_re().search(s)
        for code, cue, pos in measure_cues_at(s):
            if directive and directive.start() < pos:
                break
            for key in measure_owners(pos, subs, targets):
                if cue not in hits.setdefault((key, code), []):
                    hits[(key, code)].append(cue)
        for (key, code), cues in sorted(hits.items(), key=lambda kv: (kv[0][1], targets.index(kv[0][0])
                                                                        if kv[0][0] in targets else 99)):
            flags = sentence_flags + (["carried_from_passage"] if key not in named else [])
            result.measures.append({"park": key, "measure_type": code, "doc_id": doc_id,
                                    "evidence": sent.text, "start": sent.start, "end": sent.end,
                                    "cue": "|".join(cues), "flags": _join(flags)})
        # a headline ("60个项目总投资900亿元") reads its amounts by the story it heads: a signing told in the lead
        found = fact_rules.extract(s, signing_before or (sent.heading and _signing_follows(all_sentences, index)))
        for f, owners in zip(found, assign_owners(s, found, subs, actors, targets)):
            for owner in owners:
                flags = sentence_flags + list(f.flags) + (["carried_from_passage"] if owner not in named else [])
                result.facts.append(_fact_row(f, owner, doc_id, sent, dates, paragraph_dates, flags))
                if f.metric == "policy_items":
                    result.measures.append({"park": owner, "measure_type": "policy_package", "doc_id": doc_id,
                                            "evidence": sent.text, "start": sent.start, "end": sent.end,
                                            "cue": f.raw, "flags": _join(flags)})
        paragraph_dates += [d for _, d in dates]
        signing_before = bool(fact_rules.rules()["signing_re"].search(s))
    result.facts = _drop_headline_repeats(result.facts)
    # still ambiguous: the parks of the article the gazetteer places tell where it is (海州经开区 is in 江苏)
    known = [grammar().gazetteer_info[m["key"]] for m in result.mentions if m["key"] in grammar().gazetteer_info]
    if known and any(m["ambiguous"] for m in result.mentions):
        extra = dict(place_context)
        for info in known:
            for name in (info["province"], info["city"]):
                if name:
                    extra[name] = extra.get(name, 0) + 1
        for m in result.mentions:
            if m["ambiguous"]:
                m["within"], m["ambiguous"] = place_table.disambiguate(m["parts"], extra)
    _complete_names(result, place_context)
    unsettled = {m["key"] for m in result.mentions if m["ambiguous"]}
    for row in result.facts + result.measures:
        if row["park"] in unsettled:
            row["flags"] = _join([f for f in row["flags"].split("|") if f] + ["place_ambiguous"])
    return result


def _settled_in(s: str, actors: list[Mention]) -> str | None:
    """The park a firm's project settles in: a park named right after 落户, 签约落户, 入驻 …"""
    words = tuple(lexicon.parks()["settle_words"])
    for m in actors:
        if not m.listed and s[max(0, m.start - 6):m.start].endswith(words):
            return m.key
    return None


def _fact_row(f, owner: str, doc_id: str, sent: Sentence, dates, paragraph_dates, flags: list[str]) -> dict:
    date = next((d for pos, d in reversed(dates) if pos <= f.start), None) \
        or (dates[0][1] if dates else None) or (paragraph_dates[-1] if paragraph_dates else "")
    return {"park": owner, "metric": f.metric, "value": f.value, "unit": f.unit, "basis": f.basis,
            "scope": f.scope, "date": date, "doc_id": doc_id, "evidence": sent.text,
            "start": sent.start + f.start, "end": sent.start + f.end, "raw": sent.text[f.start:f.end],
            "flags": _join(flags), "heading": sent.heading}


def _lead_end(s: str) -> int:
    """End of the sentence's first two clauses: a subject named there is what the sentence is about."""
    breaks = [i for i, ch in enumerate(s) if ch in "，,；;：:"]
    return breaks[1] if len(breaks) > 1 else len(s)


@functools.cache
def _names_without_city() -> dict[str, list[str]]:
    """Gazetteer names as an article may write them without their city: 运河经开区 -> [德州运河经开区]."""
    out: dict[str, list[str]] = {}
    for key, info in grammar().gazetteer_info.items():
        city = info["city"]
        if city and key.startswith(city) and len(key) - len(city) >= 4:
            out.setdefault(key[len(city):], []).append(key)
    return out


def _complete_names(result: DocResult, context: dict[str, int]) -> None:
    """A name the gazetteer lacks ("运河经开区") that is a listed zone's name without its city, when the article
    names that city or its province: the listed zone (德州运河经开区, not a park placed by 沧州's 运河区)."""
    g = grammar()
    places = table()
    named = {n for name in context for p in places.by_name.get(name, []) if p.level <= 2 for n in (p.city, p.province)}
    renamed = {}
    for m in result.mentions:
        if m["key"] in g.gazetteer_info or m["key"] in renamed:
            continue
        candidates = [k for k in _names_without_city().get(m["key"], [])
                      if g.gazetteer_info[k]["city"] in named or g.gazetteer_info[k]["province"] in named]
        if len(candidates) == 1:
            renamed[m["key"]] = candidates[0]
    for m in result.mentions:
        if m["key"] in renamed:
            m["key"], m["ambiguous"], m["within"] = renamed[m["key"]], False, ""
    for row in result.facts + result.measures:
        row["park"] = renamed.get(row["park"], row["park"])


def _join(flags: list[str]) -> str:
    return "|".join(dict.fromkeys(flags))


def _sentence_flags(s: str, sent: Sentence, subs: list[Subject], actors: list[Mention], firm_re: re.Pattern,
                    masked: list[tuple[int, int]]) -> list[str]:
    """What makes every row of this sentence less certain (flags documented in metrics.yaml)."""
    conf = lexicon.metrics()
    flags = []
    if sent.heading:
        flags.append("headline")
    if len({m.key for m in actors}) > 1 or any(x.kind == "group" for x in subs):
        flags.append("group_list")
    if any(x.kind == "place" for x in subs):
        flags.append("other_place_nearby")
    if _first(firm_re, s, masked) is not None:
        flags.append("firm_context")
    if any(w in s for w in conf["forecast_flag_words"]):
        flags.append("forecast_nearby")
    return flags


def _drop_headline_repeats(facts: list[dict]) -> list[dict]:
    """A headline repeated in the body gives its figure twice: keep the body's, which has its context."""
    body = {(f["park"], f["metric"], f["value"]) for f in facts if not f["heading"]}
    kept = [f for f in facts if not (f["heading"] and (f["park"], f["metric"], f["value"]) in body)]
    for f in kept:
        del f["heading"]
    return kept


def _firm_quote(all_sentences: list[Sentence], index: int) -> bool:
    """A quoted first-person sentence whose speaker, named right after the quote, is a company
    ("“复工首日，我们复工率就达90%…”丰尚公司董事长范天铭介绍")."""
    conf = lexicon.metrics()
    sent = all_sentences[index]
    if not sent.match.startswith("“") or not any(w in sent.match for w in conf["first_person"]):
        return False
    tail = sent.match[sent.match.rfind("”") + 1:] if "”" in sent.match else ""
    if not tail and index + 1 < len(all_sentences) and all_sentences[index + 1].paragraph == sent.paragraph:
        tail = all_sentences[index + 1].match
    speaker = re.split(r"说|介绍|表示|称|指出", tail, maxsplit=1)[0][:40]
    return any(w in speaker for w in conf["firm_speaker_words"])


def _park_from_context(word: str, place_context: dict[str, int]) -> tuple[str, str, list[str]] | None:
    """(key, park type, parts) of the listed zone that a bare park word (高新区, 开发区 …) names in an article
    about one place: the place the article names most (a city or county) with that word, when the gazetteer
    knows such a zone; None otherwise (a bare word alone never makes up a zone the lists lack)."""
    g = grammar()
    if word not in g.suffixes:
        return None
    places = table()
    ranked = sorted(((n, c) for n, c in place_context.items()
                     if places.by_name.get(n) and all(p.level >= 2 for p in places.by_name[n])), key=lambda nc: (-nc[1], nc[0]))
    by_province: dict[str, int] = {}  # how often the article names each province, itself or a place in it
    for name, count in place_context.items():
        for province in {p.province for p in places.by_name.get(name, [])}:
            by_province[province] = by_province.get(province, 0) + count
    for name, count in ranked:
        if count < ranked[0][1]:
            break                     # a place named less than another is not what the article is about
        if by_province[places.by_name[name][0].province] < max(by_province.values()):
            continue                  # nor one in a province the article names less than another
        short = places.by_name[name][0].short
        key, park_type = canonical([short], "", word, g)
        if key in g.gazetteer_info:
            return key, park_type, [short]
    return None


def _implied_mention(x: Subject) -> Mention:
    g = grammar()
    park_type = g.gazetteer_info[x.key]["park_type"] if x.key in g.gazetteer_info else next(
        (ptype for ptype, short in g.suffixes.values() if x.key.endswith(short)), "其他")
    return Mention(x.pos, x.end, x.key, park_type, x.parts)
