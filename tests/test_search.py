"""Full-text search (loaders/publish/search.py): folding, query syntax, hostile input, offsets, ordering."""
from __future__ import annotations

import pickle
import random
import threading
from pathlib import Path

import pytest

from loaders.publish.search import (MAX_QUERY_CHARS, DocumentHits, QueryTooLong, SearchIndex, fold, hit_sentences,
                            sentence_span, terms)

ROOT = Path(__file__).resolve().parent.parent

# Test sentences written for these tests, in the style of 2020 reports on parks reopening.
SIMPLIFIED = ("3月2日，滨江经开区通过视频连线举行云签约仪式，签约项目12个，总投资86亿元。"
              "该区落实稳岗补贴政策，对不裁员的企业返还失业保险费。\n"
              "滨江经开区组织包车接回外地员工，首批包车已于2月18日抵达。\n")
TRADITIONAL = ("2月20日，東湖高新區組織包車接回外地員工1200人，確保企業復工後用工穩定。"
               "園區還通過雲簽約方式引進項目5個，並落實穩崗補貼政策，為AB類企業發放補貼300萬元。\n"
               "隨著疫情防控形勢好轉，園區著力推動企業達產。\n")
FULL_WIDTH = ("截至３月１０日，青山工业园区ＡＢ类企业复工率达到９５％，"
              "园区引进Ｓｍａｒｔ Ｐａｒｋ平台，为１２０家企业提供线上服务。\n")
MIXED = ("據了解，臨港新片區已有１２０家企業實行“承諾即復工”。"
         "4月1日，新片区再次以云签约形式签下项目8个（二），其中5G基站项目总投资12亿元。\n")


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build({"s": SIMPLIFIED, "t": TRADITIONAL, "f": FULL_WIDTH, "m": MIXED})


def hit_texts(text: str, doc: DocumentHits) -> list[str]:
    return [text[a:b] for a, b in doc.hits]


def by_id(results) -> dict[str, DocumentHits]:
    return {d.doc_id: d for d in results}


def occurrences(text: str, word: str) -> list[tuple[int, int]]:
    out, start = [], text.find(word)
    while start != -1:
        out.append((start, start + len(word)))
        start = text.find(word, start + 1)
    return out


# ---- fold ---------------------------------------------------------------------------------------------

def test_fold_keeps_length_and_positions():
    for text in (SIMPLIFIED, TRADITIONAL, FULL_WIDTH, MIXED, "ß İ ﬁ … ½ ①", "𠀀𪚥 emoji 🙂", ""):
        folded = fold(text)
        assert len(folded) == len(text)
        # each character is folded on its own: position i of the fold is position i of the text
        assert folded == "".join(fold(ch) for ch in text)


def test_fold_script_width_case():
    assert fold("雲簽約") == "云签约"
    assert fold("穩崗補貼") == "稳岗补贴"
    assert fold("稳岗补贴") == "稳岗补贴"
    assert fold("ＡＢ１２％") == "ab12%"
    assert fold("AB类") == "ab类"
    assert fold("（二），") == "(二),"
    assert fold("隨著") == fold("随着")          # OpenCC keeps 著 alone; EXTRA maps it
    assert fold("陜西") == fold("陕西")
    assert fold("答覆") == fold("答复") and fold("瞭解") == fold("了解")
    # no one-character twin: kept as written
    assert fold("。“”…") == "。“”…"
    assert fold("ß") == "ß"                     # casefold gives "ss": two characters
    assert fold("½") == "½"                     # NFKC gives "1⁄2"
    assert fold("\u3000") == " "
    assert fold("a\x00b") == "a b"              # control characters are spaces


def test_fold_is_idempotent():
    sample = "".join(chr(c) for c in [*range(0x20, 0x250), *range(0x3000, 0x3100), *range(0x4E00, 0x5400),
                                      *range(0x8000, 0x8600), *range(0xF900, 0xFB00), *range(0xFF00, 0xFFF0)])
    once = fold(sample)
    assert fold(once) == once


# ---- query terms --------------------------------------------------------------------------------------

def test_terms():
    assert terms("包车  返岗") == ["包车", "返岗"]
    assert terms("雲簽約 ＡＢ類") == ["云签约", "ab类"]
    assert terms('"Smart  Park" 平台') == ["smart park", "平台"]
    assert terms("“Smart Park”") == ["smart park"]
    assert terms('"云签约') == ["云签约"]                 # an unclosed quote runs to the end
    assert terms("包车 包車") == ["包车"]
    assert terms("") == terms("   \u3000 ") == terms('""') == []


def test_long_query_refused():
    assert terms("包" * MAX_QUERY_CHARS) == ["包" * MAX_QUERY_CHARS]
    with pytest.raises(QueryTooLong) as err:
        terms("包" * (MAX_QUERY_CHARS + 1))
    assert "101" in str(err.value) and "100" in str(err.value)
    idx = SearchIndex.build({"a": SIMPLIFIED})
    with pytest.raises(ValueError):
        idx.search("云签约 " * 30)


# ---- search -------------------------------------------------------------------------------------------

def test_simplified_query_finds_traditional_text(index):
    results = index.search("云签约")
    docs = by_id(results)
    assert set(docs) == {"s", "t", "m"}
    start = TRADITIONAL.index("雲簽約")
    assert docs["t"].hits == [(start, start + 3)]
    assert hit_texts(TRADITIONAL, docs["t"]) == ["雲簽約"]
    assert hit_texts(SIMPLIFIED, docs["s"]) == ["云签约"]


def test_traditional_query_finds_simplified_text(index):
    docs = by_id(index.search("穩崗補貼"))
    assert set(docs) == {"s", "t"}
    start = SIMPLIFIED.index("稳岗补贴")
    assert docs["s"].hits == [(start, start + 4)]
    assert hit_texts(TRADITIONAL, docs["t"]) == ["穩崗補貼"]
    # a traditional 著 in the article, a simplified 着 in the query
    docs = by_id(index.search("随着"))
    assert hit_texts(TRADITIONAL, docs["t"]) == ["隨著"]


def test_full_width_and_half_width(index):
    docs = by_id(index.search("120家"))
    assert set(docs) == {"f", "m"}
    assert hit_texts(FULL_WIDTH, docs["f"]) == ["１２０家"]
    assert hit_texts(MIXED, docs["m"]) == ["１２０家"]
    docs = by_id(index.search("１２００人"))      # full-width query, half-width text
    assert hit_texts(TRADITIONAL, docs["t"]) == ["1200人"]
    docs = by_id(index.search("95%"))
    assert hit_texts(FULL_WIDTH, docs["f"]) == ["９５％"]


def test_ascii_case(index):
    docs = by_id(index.search("ab类"))
    assert set(docs) == {"t", "f"}
    assert hit_texts(TRADITIONAL, docs["t"]) == ["AB類"]
    assert hit_texts(FULL_WIDTH, docs["f"]) == ["ＡＢ类"]
    docs = by_id(index.search("5g基站"))
    assert hit_texts(MIXED, docs["m"]) == ["5G基站"]


def test_all_terms_must_occur(index):
    docs = by_id(index.search("包车 返还"))
    assert set(docs) == {"s"}                      # 包车 is in s and t, 返还 only in s
    assert hit_texts(SIMPLIFIED, docs["s"]) == ["返还", "包车", "包车"]
    assert docs["s"].term_counts == {"包车": 2, "返还": 1}
    assert index.search("包车 外地员工 確保") and set(by_id(index.search("包车 外地员工 確保"))) == {"t"}


def test_quoted_phrase(index):
    docs = by_id(index.search('"smart park"'))
    start = FULL_WIDTH.index("Ｓｍａｒｔ Ｐａｒｋ")
    assert docs["f"].hits == [(start, start + 10)]
    assert len(index.search('"smart park"')) == 1
    # the same words as two terms match documents holding both anywhere; as a phrase they must be adjacent
    split = SearchIndex.build({"a": "园区Smart平台和Park公司", "b": "园区Smart Park平台"})
    assert {d.doc_id for d in split.search("smart park")} == {"a", "b"}
    assert [d.doc_id for d in split.search('"smart park"')] == ["b"]
    assert [d.doc_id for d in split.search("“Smart Park”")] == ["b"]


def test_no_match(index):
    results = index.search("量子计算机")
    assert results == [] and results.total == 0
    assert index.search("包车 量子计算机") == []
    assert index.count("量子计算机") == 0


def test_empty_query(index):
    for query in ("", "   ", "\u3000", '""', '" "'):
        results = index.search(query)
        assert results == [] and results.total == 0


def test_one_and_two_character_queries(index):
    docs = by_id(index.search("车"))
    assert set(docs) == {"s", "t"}
    assert docs["s"].hits == occurrences(SIMPLIFIED, "车")
    assert hit_texts(TRADITIONAL, docs["t"]) == ["車"]
    docs = by_id(index.search("包車"))
    assert docs["s"].hits == occurrences(SIMPLIFIED, "包车") and len(docs["s"].hits) == 2
    assert hit_texts(TRADITIONAL, docs["t"]) == ["包車"]
    # a short term and a long term together
    docs = by_id(index.search("区 云签约"))
    assert set(docs) == {"s", "t", "m"}
    assert "區" in hit_texts(TRADITIONAL, docs["t"]) and "雲簽約" in hit_texts(TRADITIONAL, docs["t"])


@pytest.mark.parametrize("query", ['"', '""""', "云签约 OR 1=1", "a*", "NEAR(", "NEAR(云签约 包车)",
                                   "'; drop table x; --", "云签约)", "(云签约", "^云签约", "docs:云签约",
                                   "body:云签约", "云签约 AND", "NOT 包车", "- 包车", "{body}: 云签约",
                                   "云签约*", "包车\x00签约", "\\", "%", "_", "' OR ''='", "\ud800云签约"])
def test_hostile_input_is_plain_text(index, query):
    texts = {"s": SIMPLIFIED, "t": TRADITIONAL, "f": FULL_WIDTH, "m": MIXED}
    folded_terms = terms(query)
    results = index.search(query)
    for doc in results:
        folded = fold(texts[doc.doc_id])
        for a, b in doc.hits:
            assert any(t in folded[a:b] for t in folded_terms)
        for t in folded_terms:
            assert t in folded
    assert results.total == index.count(query) == len(results)
    # still working afterwards
    assert {d.doc_id for d in index.search("云签约")} == {"s", "t", "m"}


def test_hostile_input_literal_matches():
    idx = SearchIndex.build({"a": "园区引进C++开发团队，评定A*级项目（二）。", "b": "云签约 OR 1=1"})
    assert by_id(idx.search("c++"))["a"].hits == [(4, 7)]
    assert by_id(idx.search("a*"))["a"].hits == [(14, 16)]
    assert by_id(idx.search("(二)"))["a"].hits == [(19, 22)]
    assert [d.doc_id for d in idx.search('"云签约 OR 1=1"')] == ["b"]
    assert [d.doc_id for d in idx.search("云签约 OR 1=1")] == ["b"]   # three terms, all in b
    assert idx.search("OR") and [d.doc_id for d in idx.search("OR")] == ["b"]


def test_offsets_of_several_occurrences():
    text = "包车接员工，包车送员工，再包车。包车包车"
    idx = SearchIndex.build({"a": text})
    [doc] = idx.search("包车")
    assert doc.hits == occurrences(text, "包车") == [(0, 2), (6, 8), (13, 15), (16, 18), (18, 20)]
    assert doc.count == 5                       # touching occurrences stay two hits


def test_overlapping_terms_merge():
    idx = SearchIndex.build({"a": "举行云签约仪式，签约项目8个，云签5个。", "b": "员工aaa"})
    [doc] = idx.search("云签 签约")
    assert doc.hits == [(2, 5), (8, 10), (15, 17)]
    assert doc.term_counts == {"云签": 2, "签约": 2}
    [doc] = idx.search("aa")
    assert doc.hits == [(2, 5)]                  # "aa" twice, overlapping: one span
    [doc] = idx.search("云签约 签约")               # a term inside another
    assert doc.hits == [(2, 5), (8, 10)]


def test_grouping_and_ordering():
    texts = {"d3": "包车。包车。", "d1": "包车。", "d2": "包车。包车。", "d0": "没有。", "d4": "包车、包車、包车。"}
    idx = SearchIndex.build(texts)
    results = idx.search("包车")
    assert [(d.doc_id, d.count) for d in results] == [("d4", 3), ("d2", 2), ("d3", 2), ("d1", 1)]
    assert all(isinstance(d, DocumentHits) for d in results)
    # overlapping terms: ordered by merged hits, not by raw occurrences
    idx = SearchIndex.build({"x": "云签约。", "y": "云签，签约。"})
    assert [(d.doc_id, d.count) for d in idx.search("云签 签约")] == [("y", 2), ("x", 1)]


def test_limit_docs_and_total():
    texts = {f"doc{i}": "包车。" * (i + 1) + "复工。" for i in range(5)}
    texts["other"] = "复工。"
    idx = SearchIndex.build(texts)
    results = idx.search("包车", limit_docs=2)
    assert [d.doc_id for d in results] == ["doc4", "doc3"]
    assert results.total == 5 == idx.count("包车")
    assert results.terms == ["包车"]
    assert idx.search("包车", limit_docs=0) == [] and idx.search("包车", limit_docs=0).total == 5
    assert len(idx.search("包车", limit_docs=None)) == 5
    assert len(idx.search("复工", limit_docs=10)) == 6
    with pytest.raises(ValueError):
        idx.search("包车", limit_docs=-1)
    # restricted to a selection of documents (the sidebar's filters): before ordering, cut and total
    results = idx.search("包车", limit_docs=1, doc_ids=["doc1", "doc2", "other", "unknown"])
    assert [d.doc_id for d in results] == ["doc2"] and results.total == 2
    assert idx.count("包车", doc_ids={"doc0", "other"}) == 1
    assert idx.search("包车", doc_ids=[]) == []


def test_same_result_as_a_plain_scan():
    """Random queries over a mixed corpus give exactly what a plain find loop gives."""
    rng = random.Random(7)
    corpus = {f"d{i}": "".join(rng.sample([SIMPLIFIED, TRADITIONAL, FULL_WIDTH, MIXED], rng.randint(1, 3)))
              for i in range(40)}
    idx = SearchIndex.build(corpus)
    words = ["包车", "云签约", "云签", "签约", "约", "员工", "园区", "复工", "ab", "12", "区", "的", "項目", "aa"]
    for _ in range(60):
        query = " ".join(rng.sample(words, rng.randint(1, 3)))
        folded_terms = terms(query)
        expected = []
        for doc_id, text in corpus.items():
            folded = fold(text)
            if all(t in folded for t in folded_terms):
                spans = sorted(s for t in folded_terms for s in occurrences(folded, t))
                merged = []
                for a, b in spans:
                    if merged and a < merged[-1][1]:
                        merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
                    else:
                        merged.append((a, b))
                expected.append((doc_id, merged))
        expected.sort(key=lambda d: (-len(d[1]), d[0]))
        results = idx.search(query, limit_docs=10)
        assert [(d.doc_id, d.hits) for d in results] == expected[:10], query
        assert results.total == len(expected)


# ---- sentences ----------------------------------------------------------------------------------------

def test_sentence_span():
    text = "园区复工率达95%。他说：“包车已到！”记者了解到，首批包车；另有直通车\n下一段包车"
    a, b = sentence_span(text, text.index("95%"))
    assert text[a:b] == "园区复工率达95%。"
    a, b = sentence_span(text, text.index("包车"))
    assert text[a:b] == "他说：“包车已到！”"          # the closing quote stays with its sentence
    a, b = sentence_span(text, text.index("首批包车"))
    assert text[a:b] == "记者了解到，首批包车；"
    a, b = sentence_span(text, text.index("直通车"))
    assert text[a:b] == "另有直通车"                  # up to the newline, which is left out
    a, b = sentence_span(text, text.rindex("包车"))
    assert text[a:b] == "下一段包车"                  # the end of the text
    a, b = sentence_span(text, 0)
    assert (a, b) == (0, text.index("。") + 1)
    # a hit across a sentence end: the span reaches its end
    hit = text.index("95%。他说")
    a, b = sentence_span(text, hit, hit + len("95%。他说"))
    assert text[a:b] == "园区复工率达95%。他说：“包车已到！”"
    assert sentence_span("Half-width! Next? yes; ok", 12) == (12, 17)


def test_sentence_span_of_search_hits(index):
    for doc in index.search("包车 返还"):
        for a, b in doc.hits:
            s, e = sentence_span(SIMPLIFIED, a, b)
            assert s <= a < b <= e
            assert "\n" not in SIMPLIFIED[s:e]


# ---- sharing the index --------------------------------------------------------------------------------

def test_threads_and_pickle(index):
    expected = [(d.doc_id, d.hits) for d in index.search("包车")]
    errors, seen = [], []

    def work():
        try:
            for _ in range(50):
                seen.append([(d.doc_id, d.hits) for d in index.search("包车")])
        except Exception as exc:            # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(s == expected for s in seen)
    copy = pickle.loads(pickle.dumps(index))
    assert [(d.doc_id, d.hits) for d in copy.search("包车")] == expected


def test_project_texts():
    """Every hit in the built articles is the term, folded."""
    paths = sorted((ROOT / "data" / "texts").glob("*.txt"))
    if not paths:
        pytest.skip("data/texts is not built")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    idx = SearchIndex.build(texts)
    for query in ("复工", "经开区", "包车", "企业 复工率"):
        results = idx.search(query)
        assert results.total >= 1, query
        for doc in results:
            for a, b in doc.hits:
                assert fold(texts[doc.doc_id][a:b]) in terms(query)


def test_hit_sentences():
    text = "园区组织包车。包车已抵达，员工返岗！\n另有直通车包车"
    idx = SearchIndex.build({"a": text})
    [doc] = idx.search("包车 返岗")
    groups = hit_sentences(text, doc.hits)
    assert [(text[s:e], [text[a:b] for a, b in inside]) for s, e, inside in groups] == [
        ("园区组织包车。", ["包车"]),
        ("包车已抵达，员工返岗！", ["包车", "返岗"]),
        ("另有直通车包车", ["包车"]),
    ]
