"""Benchmark: full-text search (loaders/publish/search.py) against a naive str.find scan, side by side in one run.

Generates a synthetic corpus from the project's own vocabulary (park names from loaders/data/gazetteer*.yaml,
measure cue words and definitions from measures.yaml, money cue words from metrics.yaml, joined by sentence
templates of our own): articles of 1,500–4,000 characters, a quarter of them converted to traditional
characters with OpenCC s2t and a sixth with full-width digits and letters; seeded, so every run is the same.

Times, in one run:
  1. building the index (`SearchIndex.build`: folding every text and indexing it),
  2. 20 queries (1 character, 2 characters, 3 and more, several terms, a quoted phrase, traditional script,
     full-width forms, no match), each the whole `search()` call with the hit offsets of every returned
     document (limit_docs=50, what the page shows), the median of --repeats calls,
  3. the same 20 queries answered by a naive baseline over the same folded texts: `str.find` over every
     document for every term, all occurrences of every matching document, same ordering and cut,
and prints one row per query, the median, and the ratio baseline / engine.

    python bench/search_speed.py [--docs 1000] [--repeats 5] [--limit 50]
    python bench/search_speed.py --texts DIR [--naive-repeats 1] [--json FILE]   # a built dataset's texts/

With `--texts DIR` the corpus is the *.txt files of DIR (a build's texts/, as the dashboard indexes them)
instead of the synthetic one. Each query is also timed as the search page calls it (`doc_ids` = every
document, the sidebar's selection with no filter), and the 95th percentile over the 20 queries is printed;
`--json FILE` writes the figures for another script.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from loaders import lexicon  # noqa: E402
from loaders.publish import search  # noqa: E402
from loaders.extract.normalize import width  # noqa: E402

QUERIES = [
    ("1 char", "区"),
    ("1 char", "岗"),
    ("1 char, trad.", "簽"),
    ("2 chars", "包车"),
    ("2 chars", "口罩"),
    ("2 chars, trad.", "補貼"),
    ("2 chars, ASCII", "ab"),
    ("3+ chars", "云签约"),
    ("3+ chars", "稳岗补贴"),
    ("3+ chars", "承诺即复工"),
    ("3+ chars, trad.", "雲簽約"),
    ("3+ chars, trad.", "防疫物資"),
    ("full-width", "１００万元"),
    ("park name", "苏州工业园区"),
    ("2 terms", "包车 返岗"),
    ("3 terms", "口罩 测温仪 消毒液"),
    ("1+3 chars", "岗 云签约"),
    ("phrase", '"复工率 达"'),
    ("no match", "量子计算机"),
    ("no match, AND", "包车 量子计算机"),
]

FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.digits + string.ascii_letters + "%"})


def vocabulary() -> dict[str, list[str]]:
    gazetteer = lexicon.gazetteer()
    parks = sorted({name for section in gazetteer.values() for name in section})
    measures = lexicon.measures()["measure_types"]
    cues = sorted({c for m in measures.values() for c in m.get("cues", []) + m.get("context_cues", [])})
    definitions = sorted(m["definition_zh"] for m in measures.values())
    money = sorted({c for words in lexicon.metrics()["money_categories"].values() for c in words})
    return {"parks": parks, "cues": cues, "definitions": definitions, "money": money}


# sentence templates of our own, filled from the vocabulary: GENERAL ones in every article, and each
# article takes one to three TOPICS, so a topic's fixed words (包车, 云签约, 稳岗补贴 …) are in some articles only
GENERAL = [
    "截至{m}月{d}日，{park}规上工业企业复工率达{pct}%，{cue}工作有序推进。",
    "{park}坚持疫情防控和复工复产两手抓，通过{cue}、{cue2}等方式帮助企业解决实际困难。",
    "为帮助企业渡过难关，{park}出台{n}条措施，对符合条件的企业给予{money}{amount}万元。",
    "{park}管委会相关负责人介绍，{definition}。",
    "针对企业反映的{cue}问题，{park}成立专班，逐一对接、限时办结。",
    "下一步，{park}将继续做好{cue}，推动{cue2}落地见效。",
    "{park}在全省率先推出{cue}服务，累计为企业办理相关事项{k}件。",
]
TOPICS = [
    "{park}组织{n}辆包车“点对点”接回外地员工{k}人，确保返岗人员安全到岗。",
    "{m}月{d}日，{park}通过视频连线方式举行云签约仪式，集中签约项目{n}个，总投资{amount}亿元。",
    "{park}向区内企业发放口罩{k}只、测温仪{n}台、消毒液{n}吨，保障企业防疫物资需求。",
    "{park}落实稳岗补贴政策，对不裁员或少裁员的企业返还失业保险费{amount}万元，惠及AB类企业{n}家。",
    "据了解，{park}已有{n}家企业实行承诺即复工，复工率 达{pct}%以上。",
    "{park}开通线上招聘平台，发布岗位需求{k}个，帮助企业解决用工缺口。",
    "{park}设立{amount}万元专项资金，对首季度产值增长的企业给予一次性奖励。",
    "{park}为{n}家外贸企业办理不可抗力证明，协助企业快速通关。",
]


def article(rng: random.Random, vocab: dict[str, list[str]]) -> str:
    target = rng.randint(1500, 4000)
    home = rng.choice(vocab["parks"])
    templates = GENERAL + rng.sample(TOPICS, rng.randint(1, 3))
    paragraphs, size = [], 0
    while size < target:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            park = home if rng.random() < 0.6 else rng.choice(vocab["parks"])
            sentences.append(rng.choice(templates).format(
                park=park, cue=rng.choice(vocab["cues"]), cue2=rng.choice(vocab["cues"]),
                money=rng.choice(vocab["money"]), definition=rng.choice(vocab["definitions"]),
                m=rng.randint(1, 4), d=rng.randint(1, 28), pct=rng.randint(50, 100), n=rng.randint(2, 60),
                k=rng.randint(100, 9000), amount=rng.choice([100, 200, 500, 1000, 35.6, 12.8, 260])))
        paragraph = "".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(paragraphs) + "\n"


def corpus(n: int, seed: int = 2020) -> dict[str, str]:
    """n synthetic articles, doc_id -> text; a quarter traditional, a sixth with full-width digits."""
    rng = random.Random(seed)
    vocab = vocabulary()
    s2t = opencc.OpenCC("s2t")
    texts = {}
    for i in range(n):
        text = article(rng, vocab)
        roll = rng.random()
        if roll < 0.25:
            text = s2t.convert(text)
        elif roll < 0.42:
            text = text.translate(FULL_WIDTH)
        texts[f"syn_{i:05d}"] = text
    return texts


def naive_search(folded: dict[str, str], query: str, limit: int | None) -> tuple[int, list[tuple[str, list]]]:
    """The baseline: str.find over every folded text for every term; same result as SearchIndex.search."""
    terms = search.terms(query)
    if not terms:
        return 0, []
    found = []
    for doc_id, text in folded.items():
        if not all(t in text for t in terms):
            continue
        spans = []
        for t in terms:
            start = text.find(t)
            while start != -1:
                spans.append((start, start + len(t)))
                start = text.find(t, start + 1)
        spans.sort()
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and s < merged[-1][1]:          # overlapping hits are one mark; touching ones are two
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        found.append((doc_id, [tuple(m) for m in merged]))
    found.sort(key=lambda d: (-len(d[1]), d[0]))
    return len(found), found[:limit] if limit is not None else found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def timed(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def pad(text: str, columns: int) -> str:
    """text padded to `columns` display columns (a Chinese character takes two)."""
    return text + " " * max(1, columns - width(text))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--texts", type=Path, default=None, help="index these *.txt files instead")
    parser.add_argument("--naive-repeats", type=int, default=None, help="repeats of the naive scan (default --repeats)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file too")
    args = parser.parse_args()

    texts = ({p.stem: p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))} if args.texts
             else corpus(args.docs))
    chars = sum(len(t) for t in texts.values())
    search.fold("预热")                      # OpenCC's dictionaries load once per process, outside the timing
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        index = search.SearchIndex.build(texts)
        builds.append(time.perf_counter() - started)
    build = statistics.median(builds)
    folded = {doc_id: search.fold(t) for doc_id, t in texts.items()}
    print(f"corpus: {len(texts):,} documents, {chars:,} characters "
          f"({min(map(len, texts.values())):,}–{max(map(len, texts.values())):,} per document)")
    print(f"index build: {build * 1000:.0f} ms, median of 3 (first {builds[0] * 1000:.0f} ms; "
          f"{chars / build:,.0f} chars/s)")
    print()
    print(f"{pad('query', 22)}{pad('kind', 17)}{'docs':>6}{'hits shown':>11}{'engine ms':>11}{'naive ms':>10}"
          f"{'× naive':>9}{'page ms':>9}")
    engine_times, naive_times, page_times = [], [], []
    every = list(texts)              # the page passes the selection's doc_ids: all of them with no filter
    for kind, query in QUERIES:
        seconds, result = timed(lambda: index.search(query, limit_docs=args.limit), args.repeats)
        page_seconds, _ = timed(lambda: index.search(query, limit_docs=args.limit, doc_ids=every), args.repeats)
        naive_seconds, (naive_total, naive_docs) = timed(lambda: naive_search(folded, query, args.limit),
                                                         args.naive_repeats or args.repeats)
        assert result.total == naive_total, (query, result.total, naive_total)
        assert [(d.doc_id, d.hits) for d in result] == naive_docs, query
        engine_times.append(seconds)
        naive_times.append(naive_seconds)
        page_times.append(page_seconds)
        shown = sum(len(d.hits) for d in result)
        print(f"{pad(query, 22)}{pad(kind, 17)}{result.total:>6}{shown:>11}{seconds * 1000:>11.1f}"
              f"{naive_seconds * 1000:>10.1f}{naive_seconds / seconds:>9.2f}{page_seconds * 1000:>9.1f}")
    median, naive_median = statistics.median(engine_times), statistics.median(naive_times)
    print()
    print(f"index build: {build * 1000:.0f} ms for {len(texts):,} documents")
    print(f"naive str.find scan: median {naive_median * 1000:.1f} ms; the engine is {naive_median / median:.2f}× "
          f"faster at the median, {sum(naive_times) / sum(engine_times):.2f}× over the 20 queries' total")
    print(f"median search time: {median * 1000:.1f} ms per query (target < 100 ms); 95th percentile "
          f"{p95(engine_times) * 1000:.1f} ms, as the page calls it {p95(page_times) * 1000:.1f} ms")
    if args.json:
        args.json.write_text(json.dumps({
            "docs": len(texts), "chars": chars, "index_build_s": build, "median_ms": median * 1000,
            "p95_ms": p95(engine_times) * 1000, "page_median_ms": statistics.median(page_times) * 1000,
            "page_p95_ms": p95(page_times) * 1000, "max_ms": max(engine_times + page_times) * 1000,
            "naive_median_ms": naive_median * 1000,
            "queries": [{"kind": k, "query": q, "engine_ms": e * 1000, "page_ms": pg * 1000}
                        for (k, q), e, pg in zip(QUERIES, engine_times, page_times)]}, ensure_ascii=False, indent=1),
            encoding="utf-8")


if __name__ == "__main__":
    main()
