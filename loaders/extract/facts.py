"""Extract numeric facts from one simplified sentence.

`extract(sentence)` returns `[Fact]` with offsets into the sentence; which park a fact belongs to is
decided by the caller (pipeline), which knows the passage. Every rule reads its words from
data/metrics.yaml. Numbers are parsed exactly (Decimal); Chinese numerals go through cn2an on the
numeral span only.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

from loaders import lexicon

CN_DIGITS = "零〇一二两三四五六七八九十百千"
NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?)"
MULTIPLIERS = {"": 1, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7, "亿": 10**8, "万亿": 10**12}
CLAUSE_BREAK = "，,；;。！？：:"
RESPECTIVE_RATES = re.compile(r"分别(?:为|达到|达|是|在)?(?P<vals>\d+(?:\.\d+)?%(?:(?:、|和|及|与)\d+(?:\.\d+)?%)+)")
AMOUNT_METRICS = ("subsidy_amount", "financing_amount", "signed_investment", "project_investment")


@dataclass
class Fact:
    metric: str
    value: Decimal
    unit: str
    basis: str
    scope: str
    start: int          # offsets of `raw` in the sentence
    end: int
    raw: str
    flags: tuple = ()   # what makes this figure uncertain (approx …), see `flags` in metrics.yaml


@functools.cache
def rules() -> dict:
    conf = dict(lexicon.metrics())
    alt = lambda words: "|".join(map(re.escape, lexicon.longest_first(words)))
    conf["approx_pre_alt"] = alt(conf["approx_prefix"])
    conf["money_re"] = re.compile(
        rf"(?P<pre>{conf['approx_pre_alt']})?(?P<num>{NUM})(?P<suf>余|多)?(?P<mult>万亿|千万|百万|十万|万|亿)?(?P<suf2>余|多)?元")
    conf["percent_re"] = re.compile(rf"(?P<pre>{conf['approx_pre_alt']})?(?P<num>\d+(?:\.\d+)?)%")
    conf["count_re"] = re.compile(rf"(?P<num>{NUM})(?P<suf>余|多)?(?P<mult>万)?(?P<suf2>余|多)?(?P<cls>家|个|名|人|位|户|条|项)")
    conf["share_of_population_re"] = re.compile(
        rf"(?P<pre>{conf['approx_pre_alt']})?(?P<num>\d+(?:\.\d+)?)%(?:以上)?的(?P<pop>[^，。；]{{0,14}}?(?:{alt(conf['scope_heads'])}))"
        rf"[^，。；]{{0,6}}?(?:{alt(conf['reopening_verbs'])})")
    heads, verbs, approx = alt(conf["scope_heads"]), alt(conf["reopening_verbs"]), conf["approx_pre_alt"]
    # "规上企业95%复工": the share stands between its population and the verb
    conf["share_before_verb_re"] = re.compile(
        rf"(?P<pop>[^，。；：、\d%]{{0,14}}?(?:{heads}))(?P<pre>{approx})?(?P<num>\d+(?:\.\d+)?)%(?:以上)?(?:已经|已|实现)?(?:{verbs})")
    # "已复工规上企业59户，占规上工业企业的91%", "复工企业数量占比为54.58%": reopened firms as a share
    conf["share_of_total_re"] = re.compile(
        rf"(?:{verbs})(?P<mid>[^。；]{{0,30}}?)占(?P<pop>[^，。；%\d]{{0,24}}?(?:{heads}))?(?:总数|总量|数量|数)?的?"
        rf"(?:比重|比例|比)?(?:为|达到|达)?(?P<pre>{approx})?(?P<num>\d+(?:\.\d+)?)%")
    conf["rate_word_re"] = re.compile(alt(conf["reopening_rate_words"]))
    conf["not_reopening_before"] = tuple(conf["not_reopening_before"])
    conf["full_re"] = re.compile(alt(conf["full_reopening_words"]))
    conf["verb_re"] = re.compile(alt(conf["reopening_verbs"]))
    conf["respectively_re"] = re.compile(
        rf"(?P<items>(?:[^，。；、\d]{{1,8}}、)+[^，。；、\d]{{1,8}}?)(?P<head>{alt(conf['scope_heads'])})分别"
        rf"(?:{alt(conf['reopening_verbs'])})(?P<counts>{NUM}家(?:、{NUM}家)+)"
        rf"(?:，(?:{alt(conf['share_words'])})分别(?:达到|达|为)?(?P<rates>\d+(?:\.\d+)?%(?:、\d+(?:\.\d+)?%)+))?")
    conf["policy_re"] = re.compile(rf"(?P<num>{NUM})条(?:{alt(conf['policy_item_nouns'])})")
    conf["issuer_re"] = re.compile(conf["issuer_pattern"])
    conf["scope_head_re"] = re.compile(alt(conf["scope_heads"]))
    conf["worker_re"] = re.compile(alt(conf["worker_nouns"]))
    conf["return_re"] = re.compile(alt(conf["worker_return_verbs"]))
    conf["signing_re"] = re.compile(alt(conf["signing_cues"]))
    conf["forecast_re"] = re.compile(alt(conf["forecast_cues"]))
    conf["sum_lead_re"] = re.compile(rf"(?:资金|金额|补贴|奖补)?(?:{alt(conf['sum_words'])})")
    conf["intent_re"] = re.compile(alt(conf["intent_verbs"]))
    conf["tenths_re"] = re.compile(rf"(?P<pre>{conf['approx_pre_alt']})?(?P<num>[一二三四五六七八九]|十)成(?P<half>半)?")
    conf["strip_words"] = lexicon.longest_first(conf["scope_strip"] + ["多", "余"])
    cats = []
    for cat, words in conf["money_categories"].items():
        cats += [(w, cat) for w in words]
    conf["money_cue_re"] = re.compile(alt([w for w, _ in cats]))
    conf["money_cue_cat"] = dict(cats)
    return conf


def to_number(span: str) -> Decimal | None:
    """'248.26' -> 248.26, '1,000' -> 1000, '二十一' -> 21 (cn2an on the numeral span only);
    None for a span that is no number after all (a lone 百 of 百余个)."""
    if re.fullmatch(r"[\d,.]+", span):
        return Decimal(span.replace(",", ""))
    try:
        return Decimal(str(cn2an.cn2an(span, "smart")))
    except (ValueError, KeyError, IndexError):
        return None


def clause_bounds(s: str, start: int, end: int) -> tuple[int, int]:
    left = max(s.rfind(c, 0, start) for c in CLAUSE_BREAK) + 1
    rights = [i for i in (s.find(c, end) for c in CLAUSE_BREAK) if i >= 0]
    return left, min(rights) if rights else len(s)


def segment_bounds(s: str, start: int) -> tuple[int, int]:
    """The part of the sentence between semicolons around `start`."""
    left = max(s.rfind("；", 0, start), s.rfind(";", 0, start)) + 1
    right = s.find("；", start)
    return left, right if right >= 0 else len(s)


def approx_label(pre: str | None, suf: str | None, before: str = "") -> str:
    r = rules()
    if before.endswith("不"):
        pre = None          # 不超过 is a cap, not an approximation
    labels = [r["approx_prefix"].get(pre or "", ""), r["approx_suffix"].get(suf or "", "")]
    return "".join(l for l in labels if l)


def join_scope(*parts: str) -> str:
    return "；".join(p for p in parts if p)


def fmt_number(value: Decimal) -> str:
    value = value.normalize()
    text = format(value, "f")
    return text


def population_before(s: str, pos: int, floor: int = 0) -> str:
    """The population a rate or count is about: the last '…企业/…项目' phrase before `pos`
    in the same semicolon segment ("经开区在地企业285家，…复工率81.4%" -> 在地企业)."""
    r = rules()
    seg_start, _ = segment_bounds(s, pos)
    seg_start = max(seg_start, floor, s.rfind("（", 0, pos) + 1 if s.rfind("）", 0, pos) < s.rfind("（", 0, pos) else 0)
    window = s[seg_start:pos]
    heads = list(r["scope_head_re"].finditer(window))
    if not heads:
        return ""
    head = heads[-1]
    i = head.start()
    while i > 0 and head.end() - i < r["scope_max_chars"]:
        ch = window[i - 1]
        if ch.isdigit() or ch in CLAUSE_BREAK + "、 —":
            break
        i -= 1
    if i > 0 and window[i - 1].isdigit() and window[i] in "年月日号":
        i += 1                      # the tail of a date the walk stopped in ("2月14日规上企业" -> 规上企业)
    return clean_scope(window[i:head.end()])


def clean_scope(phrase: str) -> str:
    """A population phrase without quotes, leading park names, places, time words and verbs."""
    r = rules()
    phrase = phrase.replace("“", "").replace("”", "").replace("《", "").replace("》", "")
    changed = True
    while changed and phrase:
        changed = False
        # a park name glued before the population (宁波高新区规上企业 -> 规上企业)
        m = re.search(r"(?:经开区|开发区|高新区|新区|园区|投资区|片区|保税区|综保区)(?=.{2,})", phrase)
        if m:
            phrase, changed = phrase[m.end():], True
        for w in r["strip_words"]:
            if phrase.startswith(w) and len(phrase) > len(w) + 1:
                phrase, changed = phrase[len(w):], True
                break
    return phrase


def extract(s: str, signing_before: bool = False) -> list[Fact]:
    """All facts of one simplified sentence (no park attribution)."""
    facts: list[Fact] = []
    facts += reopening_rates(s)
    facts += money(s, signing_before)
    facts += subsidy_shares(s)
    facts += counts(s)
    facts += policy_items(s)
    listed, spans = respectively(s)
    if listed:
        facts = [f for f in facts if not any(a <= f.start < b for a, b in spans)] + listed
    approx = set(rules()["approx_prefix"].values()) | set(rules()["approx_suffix"].values())
    for f in facts:
        if any(part in approx for part in f.scope.split("；") if part):
            f.flags = (*f.flags, "approx")
    return dedupe(facts)


def is_forecast(s: str, start: int) -> bool:
    """A plan or a target, not a measurement: a forecast word in the figure's clause before it
    (预计本周内全部复工, 力争3月底前全部复工, 将实现复工全覆盖, …前可全部复工)."""
    r = rules()
    lo, _ = clause_bounds(s, start, start)
    if r["forecast_re"].search(s, lo, start + 4):
        return True
    if lo > 1:                          # "预计2月10日前，重点企业复工率近70%": a forecast clause just before
        prev_lo, _ = clause_bounds(s, lo - 1, lo - 1)
        if r["forecast_re"].search(s, prev_lo, lo):
            return True
    # "预计本周内，A将实现复工全覆盖，B复工率超过50%": a forecast opening the sentence governs all of it
    first_end = min([i for i in (s.find(c) for c in "，,；;") if i >= 0] or [len(s)])
    return first_end < start and bool(r["forecast_re"].search(s, 0, first_end))


def respectively(s: str) -> tuple[list[Fact], list[tuple[int, int]]]:
    """"百亿级、十亿级工业企业分别复工4家、10家，占比分别达100%、90.9%": values paired with the
    listed populations in order. Returns the facts and the spans they replace."""
    r = rules()
    out, spans = [], []
    for m in r["respectively_re"].finditer(s):
        spans.append(m.span())
        items = m.group("items").split("、")
        head = m.group("head")
        scopes = [clean_scope(i + head) for i in items]
        numbers = list(re.finditer(rf"({NUM})家", m.group("counts")))
        if len(numbers) == len(items):
            base = m.start("counts")
            for scope, n in zip(scopes, numbers):
                value = to_number(n.group(1))
                if value is not None:
                    out.append(Fact("reopened_enterprises", value, "家", "count", scope,
                                    base + n.start(), base + n.end(), n.group()))
        if m.group("rates"):
            rates = list(re.finditer(r"(\d+(?:\.\d+)?)%", m.group("rates")))
            if len(rates) == len(items):
                base = m.start("rates")
                for scope, p in zip(scopes, rates):
                    out.append(Fact("reopening_rate", Decimal(p.group(1)), "%", "rate", scope,
                                    base + p.start(), base + p.end(), p.group()))
    return out, spans


def dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (metric, value, scope) in a sentence: "全面复工，复工率达到100%" is one rate. Amounts are
    kept apart by position: "退货金额50%的补助" and "贴息50%" are two subsidies."""
    seen: dict[tuple, Fact] = {}
    for f in sorted(facts, key=lambda f: (f.metric, f.raw.endswith("%") is False, f.start)):
        key = (f.metric, f.value, f.basis, f.scope) + ((f.start,) if f.metric in AMOUNT_METRICS else ())
        if key in seen and f.raw.endswith("%") and seen[key].raw.endswith("%") and f.start != seen[key].start:
            key += (f.start,)           # "分别达到99.3%、99.3%、99.1%": equal figures of different subjects
        if key not in seen:
            seen[key] = f
    return sorted(seen.values(), key=lambda f: (f.start, f.metric))


# ---- reopening rates --------------------------------------------------------------------------

def reopening_rates(s: str) -> list[Fact]:
    r = rules()
    out = []
    percent = "%" in s            # the share patterns scan every position: skip them when no % is there
    for w in r["rate_word_re"].finditer(s):
        if s[max(0, w.start() - 3):w.start()].endswith(r["not_reopening_before"]):
            continue                    # 产能复产率, 人员到岗率: capacity and staff, not firms that reopened
        m = r["percent_re"].search(s, w.end(), w.end() + r["rate_window"] + 6)
        if not m or any(c in s[w.end():m.start()] for c in "。；，,"):
            continue
        if m.start() - w.end() > r["rate_window"]:
            continue
        value = Decimal(m.group("num"))
        if value > 100 or is_forecast(s, m.start()):
            continue
        scope = join_scope(population_before(s, w.start()), approx_label(m.group("pre"), None))
        out.append(Fact("reopening_rate", value, "%", "rate", scope, m.start("num"), m.end(), m.group()[len(m.group("pre") or ""):]))
    for w in r["rate_word_re"].finditer(s):
        # 复工率达九成, 复工率超过八成半: tenths, as the bulletins write them
        m = r["tenths_re"].search(s, w.end(), w.end() + r["rate_window"] + 4)
        if not m or any(c in s[w.end():m.start()] for c in "。；，,%") or is_forecast(s, m.start()):
            continue
        value = Decimal(10 if m.group("num") == "十" else "一二三四五六七八九".index(m.group("num")) + 1) * 10
        value += 5 if m.group("half") else 0
        scope = join_scope(population_before(s, w.start()), approx_label(m.group("pre"), None))
        out.append(Fact("reopening_rate", value, "%", "rate", scope, m.start("num"), m.end(),
                        m.group()[len(m.group("pre") or ""):]))
    for m in r["share_of_population_re"].finditer(s) if percent else ():
        # "85%的规上企业实现复工"
        value = Decimal(m.group("num"))
        if value <= 100 and not is_forecast(s, m.start()):
            scope = join_scope(clean_scope(m.group("pop")), approx_label(m.group("pre"), None))
            out.append(Fact("reopening_rate", value, "%", "rate", scope, m.start("num"), m.end("num") + 1,
                            m.group("num") + "%"))
    for m in RESPECTIVE_RATES.finditer(s) if percent else ():
        # "临淄区、高新区复工率分别达到97.8%和95.9%": one rate for each subject listed before 分别
        seg_start, _ = segment_bounds(s, m.start())
        word = None
        for w in r["rate_word_re"].finditer(s, seg_start, m.start()):
            word = w
        if word is None:
            continue
        scope = population_before(s, word.start())
        base = m.start("vals")
        for p in re.finditer(r"\d+(?:\.\d+)?%", m.group("vals")):
            value = Decimal(p.group()[:-1])
            if value <= 100 and not any(f.start == base + p.start() for f in out):
                out.append(Fact("reopening_rate", value, "%", "rate", scope, base + p.start(), base + p.end(), p.group()))
    for m in r["share_before_verb_re"].finditer(s) if percent else ():
        value = Decimal(m.group("num"))
        if value <= 100 and not is_forecast(s, m.start("num")):
            scope = join_scope(clean_scope(m.group("pop")), approx_label(m.group("pre"), None))
            out.append(Fact("reopening_rate", value, "%", "rate", scope, m.start("num"), m.end("num") + 1,
                            m.group("num") + "%"))
    for m in r["share_of_total_re"].finditer(s) if percent else ():
        # the reopened part must be firms or projects, not people (复工人数…占…的59.5% is a headcount)
        mid = m.group("mid")
        if not (r["scope_head_re"].search(mid) or re.search(r"\d+(?:家|户|个)", mid)) or \
                _has(mid + (m.group("pop") or ""), r["not_firm_share_words"]):
            continue
        if m.group("pop") and r["verb_re"].search(m.group("pop")):
            continue                    # "…320家，占复工企业总数的63%": a part of the reopened firms, not a rate
        value = Decimal(m.group("num"))
        if value > 100 or is_forecast(s, m.start("num")):
            continue
        pop = clean_scope(m.group("pop")) if m.group("pop") else population_before(s, m.start("num"))
        scope = join_scope(pop, approx_label(m.group("pre"), None))
        out.append(Fact("reopening_rate", value, "%", "rate", scope, m.start("num"), m.end("num") + 1,
                        m.group("num") + "%"))
    for m in r["full_re"].finditer(s):
        if s[max(0, m.start() - 2): m.start()].endswith(tuple(r["negations"])) or is_forecast(s, m.start()):
            continue
        scope = population_before(s, m.start())
        if not scope or not stated_population(s, m.start(), scope):
            continue
        out.append(Fact("reopening_rate", Decimal(100), "%", "rate", scope, m.start(), m.end(), m.group()))
    return out


def stated_population(s: str, pos: int, scope: str) -> bool:
    """"137家四上企业全部复工" and "规上企业全面复工" state who reopened; "推动企业全面复工复产" states
    no population and measures nothing (an aim, evidence of a measure only)."""
    r = rules()
    lo, _ = clause_bounds(s, pos, pos)
    if r["intent_re"].search(s, lo, pos):
        return False
    if scope not in r["scope_heads"]:
        return True                     # a qualified population: 规上企业, 续建项目, 四上企业
    if s[max(0, pos - 3):pos].endswith(tuple(r["already_words"])) and scope in s[lo:pos]:
        return True                     # "企业已经全面复工复产": a report that all of them did
    seg_start, _ = segment_bounds(s, pos)
    return bool(re.search(rf"{NUM}(?:余|多)?(?:家|个|户)[^，。；]{{0,6}}$", s[seg_start:pos].rsplit(scope, 1)[0]))


# ---- money ------------------------------------------------------------------------------------

def _nearest_cue(s: str, start: int, end: int, lo: int, hi: int) -> tuple[str, str] | None:
    """(category, cue) of the money cue nearest to [start, end) within [lo, hi)."""
    r = rules()
    best = None
    for c in r["money_cue_re"].finditer(s, lo, hi):
        if c.end() <= start:
            dist = start - c.end()
        elif c.start() >= end:
            dist = c.start() - end
        else:
            continue
        if best is None or dist < best[0]:
            best = (dist, r["money_cue_cat"][c.group()], c.group())
    return (best[1], best[2]) if best else None


def money(s: str, signing_before: bool = False) -> list[Fact]:
    """Amounts by the cue nearest to them. `signing_before`: the sentence before, in the same paragraph,
    told of a signing ("12个项目完成签约。项目…总投资超过200亿元"), so an investment with no building cue is
    the signed one."""
    r = rules()
    out = []
    signed_sentence = bool(r["signing_re"].search(s))
    for m in r["money_re"].finditer(s):
        lo, hi = clause_bounds(s, m.start(), m.end())
        cue = _nearest_cue(s, m.start(), m.end(), lo, hi)
        if cue is None and lo > 1 and (r["sum_lead_re"].match(s, lo) or _has(s[lo:m.start()], r["cap_cues"])):
            # "每户奖补20万元，资金共计620万元", "…的20%给予补助，最高不超过300万元": a sum or a cap takes the
            # kind of the clause before it
            prev_lo, _ = clause_bounds(s, lo - 1, lo - 1)
            cue = _nearest_cue(s, lo - 1, lo - 1, prev_lo, lo - 1)
        if cue is None:
            continue
        category, word = cue
        if category == "none":
            continue
        number = to_number(m.group("num"))
        if number is None:
            continue
        value = number * MULTIPLIERS[m.group("mult") or ""]
        approx = approx_label(m.group("pre"), m.group("suf") or m.group("suf2"), s[max(0, m.start() - 1):m.start()])
        raw_start = m.start("num")
        raw = s[raw_start:m.end()]
        before = s[lo:m.start()]
        if category == "investment":
            if _has(s[lo:m.start()], r["intended_investment_cues"]):
                continue                            # 意向投资超过80亿元: talks, not a signed amount
            segment = s[segment_bounds(s, m.start())[0]:m.start()]
            if word not in r["signed_investment_cues"] and r["signing_re"].search(segment) \
                    and _has(segment, r["started_cues"]):
                continue                            # "66个项目云动工、21个项目云签约，总投资1335亿元": a mixed total
            if word in r["signed_investment_cues"] or signed_sentence:
                metric = "signed_investment"
            elif any(c in s for c in r["construction_cues"]):
                metric = "project_investment"
            elif signing_before:
                metric = "signed_investment"
            else:
                continue
            scope = join_scope(project_scope(s, m.start(), m.end(), lo, hi), approx)
            basis = "total"
        elif category == "financing_amount":
            metric, basis = "financing_amount", ("per_enterprise_cap" if _has(before, r["cap_cues"]) else "total")
            scope = approx
        else:
            if word in r["relief_cues"] and _has(s[lo:hi], r["national_relief_words"]):
                continue                            # 减免增值税3635万元: national tax and fee relief, not support
            metric, basis = "subsidy_amount", subsidy_basis(s, m.start(), lo)
            if re.match(r"(?:/|每)(?:人|名)", s[m.end():m.end() + 2]):
                basis = "per_person"                # 160元/人
            scope = approx
        out.append(Fact(metric, value, "元", basis, scope, raw_start, m.end(), raw))
    return out


def _has(text: str, words) -> bool:
    return any(w in text for w in words)


def subsidy_basis(s: str, start: int, clause_start: int) -> str:
    r = rules()
    before = s[clause_start:start]
    if _has(before, r["per_person_cues"]):
        return "per_person"
    seg_start, _ = segment_bounds(s, start)
    segment_before = s[seg_start:start]
    if _has(before, r["cap_cues"]):
        return "per_project_cap" if _has(segment_before, r["per_project_words"]) else "per_enterprise_cap"
    if "给予" in before and _has(segment_before, r["per_project_words"]):
        return "per_project_cap"
    if _has(before, r["per_enterprise_cues"]):
        return "per_enterprise"             # 每户奖补20万元: a fixed amount to each firm
    return "total"


def project_scope(s: str, start: int, end: int, lo: int, hi: int) -> str:
    """How many projects an investment amount covers, or the one project it names."""
    r = rules()
    count = re.compile(rf"(?P<num>{NUM})个(?P<mid>[^，。；\d]{{0,12}}?)项目|(?P<adj>[^，。；\d]{{0,6}}?)项目(?P<num2>{NUM})个")
    for a, b in ((end, hi), (max(0, segment_bounds(s, start)[0]), start)):
        m = count.search(s, a, b) if a < b else None
        if m:
            n = to_number(m.group("num") or m.group("num2"))
            words = clean_scope(m.group("mid") or m.group("adj") or "")
            if r["signing_re"].search(words):
                words = ""
            if n is not None:
                return f"{fmt_number(n)}个{words}项目"
    m = re.match(r"的([^，。；、]{2,30}?项目)", s[end:hi])
    if m and "和" not in m.group(1):
        return m.group(1)
    return ""


def subsidy_shares(s: str) -> list[Fact]:
    """"50%返还给企业", "给予固定资产投资10%…的补贴": a subsidy given as a share."""
    r = rules()
    out = []
    for m in r["percent_re"].finditer(s):
        lo, hi = clause_bounds(s, m.start(), m.end())
        clause = s[lo:hi]
        if not _has(clause, r["share_verbs"]) or not _has(clause, r["share_subsidy_words"]):
            continue
        if r["rate_word_re"].search(clause) or r["full_re"].search(clause):
            continue
        out.append(Fact("subsidy_amount", Decimal(m.group("num")), "%", "share",
                        approx_label(m.group("pre"), None), m.start("num"), m.end(), m.group()[len(m.group("pre") or ""):]))
    return out


# ---- counts -----------------------------------------------------------------------------------

def counts(s: str) -> list[Fact]:
    r = rules()
    out = []
    signed_sentence = bool(r["signing_re"].search(s))
    for m in r["count_re"].finditer(s):
        cls, lo_hi = m.group("cls"), clause_bounds(s, m.start(), m.end())
        lo, hi = lo_hi
        value = to_number(m.group("num"))
        if value is None:
            continue
        value *= MULTIPLIERS[m.group("mult") or ""]
        approx = approx_label(None, m.group("suf") or m.group("suf2"))
        raw = m.group()
        before, after = s[lo:m.start()], s[m.end():hi]
        if cls in ("家", "户"):
            # "已复工232家" / "137家“四上”企业全部复工复产"
            verb_before = rules()["verb_re"].search(before[-6:]) if before else None
            verb_after = re.match(rf"[^，。；]{{0,16}}?(?:{r['verb_re'].pattern})", after)
            if verb_before and not _has(before[-8:], r["negations"]):
                scope = population_before(s, m.start())
            elif verb_after and not _has(after[: verb_after.end()], r["negations"] + ["申请", "申报", "前"]) \
                    and not re.match(r"\d", after[verb_after.end():]):
                # "80家规上企业已开工75家": the first number is the population, the one after the verb reopened
                head = r["scope_head_re"].search(after[: verb_after.end()])
                scope = clean_scope(after[: head.end()]) if head else population_before(s, m.start())
            else:
                continue
            out.append(Fact("reopened_enterprises", value, "家", "count", join_scope(scope, approx), m.start(), m.end(), raw))
        elif cls in ("名", "人", "位"):
            noun = r["worker_re"].search(after[:16]) if cls == "名" or cls == "位" else None
            verb_after = r["return_re"].search(after[:24])
            verb_before = r["return_re"].search(before)
            has_noun = noun or r["worker_re"].search(before[-12:])
            if not has_noun:
                continue
            if verb_after and not _has(after[: verb_after.start()], r["negations"]):
                pass
            elif verb_before and not _has(before[max(0, verb_before.start() - 2): verb_before.start()], r["negations"]):
                pass
            else:
                continue
            out.append(Fact("returned_workers", value, "人", "count", approx, m.start(), m.end(), raw))
        elif cls == "个" and signed_sentence:
            tail = re.match(r"[^，。；]{0,20}?项目", after)
            head = before.endswith("项目") or before.endswith("项目约")
            if not (tail or head):
                continue
            clause = s[lo:hi]
            if _has(clause, r["project_count_blockers"]):
                continue
            out.append(Fact("projects_signed", value, "个", "count", approx, m.start(), m.end(), raw))
    return out


def policy_items(s: str) -> list[Fact]:
    r = rules()
    out = []
    for m in r["policy_re"].finditer(s):
        lo, _ = clause_bounds(s, m.start(), m.end())
        if r["issuer_re"].search(s[lo:m.start()]):
            continue
        value = to_number(m.group("num"))
        if value is None:
            continue
        out.append(Fact("policy_items", value, "条", "count", "", m.start(), m.end(), m.group()))
    return out
