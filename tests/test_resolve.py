"""Resolution: facts become figures, figures give the one number to cite per park.

Articles here are our own, written in the style of 2020 reports (zone names from the official lists,
figures invented). Each test builds a small corpus with the command line's build and reads the tables.
"""
from decimal import Decimal

import opencc
import pytest
import yaml

from conftest import ROOT, read_csv
from loaders import lexicon
from loaders.cli import build
from loaders.resolve import figures as fig_rules
from loaders.resolve import mirrors
from loaders.resolve.totals import population

LEAD_AND_BODY = """襄阳高新区云签约项目总投资超300亿元
2020-03-02 18:40 来源：襄阳日报
本报讯（记者 张三）3月2日，襄阳高新区举行重大项目云签约仪式，共签约项目15个，签约项目总投资超300亿元。
疫情发生以来，襄阳高新区坚持防控和发展两手抓，成立项目服务专班，为企业协调解决用工、原料、物流等问题。
据介绍，此次签约项目总投资超300亿元，涵盖新能源汽车、新材料、生物医药等领域，将进一步壮大园区主导产业。
"""
TOTAL_AND_PARTS = """芜湖经开区提前兑现惠企政策
2020-03-06 09:30 来源：皖江日报
芜湖经开区提前兑现政策资金900万元，帮助企业渡过难关。向32家企业发放奖补资金共计700万元，为入驻中小企业补贴房租200万元。
"""
TOTAL_SUBTOTALS_PROJECTS = """合肥高新区“云招商”成效显著
3月18日，合肥高新区举行重大项目集中签约活动，共签约60个项目，总投资1000亿元。其中，先进制造板块20个项目，总投资300亿元；现代服务业板块25个项目，总投资450亿元。总投资8亿元的某智能装备项目当天签约落户。
"""
FEBRUARY_SIGNING = "2月10日，芜湖经开区通过网上签约方式签约5个项目，总投资50亿元。\n"
MARCH_SIGNING = "3月20日，芜湖经开区再次举行云签约活动，签约8个项目，总投资80亿元。\n"
FIRST_QUARTER = "截至3月31日，芜湖经开区一季度累计签约项目30个，总投资200亿元。\n"
TWO_POPULATIONS = """长沙经开区企业复工情况
2月25日，长沙经开区规模以上工业企业复工率达98.5%，重点项目开复工率达92%。
"""
OTHER_PARK_RATE = "2月25日，株洲高新区规模以上工业企业复工率达90%。\n"


def mirror_of(text: str) -> str:
    """The story as another site re-posts it: traditional script, full-width digits, its own header and footer."""
    body = opencc.OpenCC("s2t").convert(text)
    body = body.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return ("首頁 > 新聞中心 > 園區動態\n轉載自 某某財經網 2020-03-09 16:05 來源：襄陽日報\n" + body
            + "\n責任編輯：李四\n版權聲明：凡註明來源的作品均為轉載，僅供參考。\n分享到：微信 微博\n")


def corpus(tmp_path, articles: dict[str, str]) -> dict[str, list[dict]]:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in articles.items():
        (seeds / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "data"
    lines = []
    assert build(seeds, out, echo=lines.append) == 0, lines
    tables = {name: read_csv(out / f"{name}.csv") for name in ("documents", "parks", "facts", "figures", "park_totals")}
    names = {p["park_id"]: p["name"] for p in tables["parks"]}
    for name in ("facts", "figures", "park_totals"):
        for row in tables[name]:
            row["park"] = names[row["park_id"]]
    return tables


def total(tables, park: str, metric: str, basis: str = "total", scope: str = "") -> dict:
    rows = [t for t in tables["park_totals"] if t["park"] == park and t["metric"] == metric and t["basis"] == basis
            and t["scope"] == scope]
    assert len(rows) == 1, tables["park_totals"]
    return rows[0]


def figures(tables, park: str, metric: str) -> list[dict]:
    return [f for f in tables["figures"] if f["park"] == park and f["metric"] == metric]


def yi(row) -> Decimal:
    return Decimal(row["value"]) / Decimal(10) ** 8


def test_a_figure_in_the_lead_and_the_body_is_one_figure(tmp_path):
    t = corpus(tmp_path, {"a": LEAD_AND_BODY})
    signed = figures(t, "襄阳高新区", "signed_investment")
    assert len(signed) == 1 and signed[0]["mentions"] == "2" and signed[0]["reports"] == "1"
    assert yi(total(t, "襄阳高新区", "signed_investment")) == 300
    facts = [f for f in t["facts"] if f["metric"] == "signed_investment"]
    assert len(facts) == 2 and {f["figure_id"] for f in facts} == {signed[0]["figure_id"]}


def test_a_traditional_mirror_with_its_own_header_is_more_reports_of_the_same_figure(tmp_path):
    t = corpus(tmp_path, {"a": LEAD_AND_BODY, "b_mirror": mirror_of(LEAD_AND_BODY), "c": TOTAL_AND_PARTS})
    docs = {d["doc_id"]: d for d in t["documents"]}
    assert docs["b_mirror"]["duplicate_of"] == "a"
    assert docs["a"]["duplicate_of"] == "" and docs["c"]["duplicate_of"] == ""
    signed = figures(t, "襄阳高新区", "signed_investment")
    assert len(signed) == 1 and signed[0]["reports"] == "2" and signed[0]["doc_ids"] == "a|b_mirror"
    row = total(t, "襄阳高新区", "signed_investment")
    assert yi(row) == 300 and row["reports"] == "2"


def test_a_stated_total_is_never_added_to_its_parts(tmp_path):
    t = corpus(tmp_path, {"a": TOTAL_AND_PARTS})
    subsidy = {Decimal(f["value"]): f for f in figures(t, "芜湖经开区", "subsidy_amount")}
    assert set(subsidy) == {Decimal(9_000_000), Decimal(7_000_000), Decimal(2_000_000)}
    whole = subsidy[Decimal(9_000_000)]
    assert whole["role"] == "total"
    assert subsidy[Decimal(7_000_000)]["part_of"] == whole["figure_id"] == subsidy[Decimal(2_000_000)]["part_of"]
    row = total(t, "芜湖经开区", "subsidy_amount")
    assert Decimal(row["value"]) == 9_000_000 and row["how"] == "stated_total"


def test_a_total_with_subtotals_and_single_projects_cites_the_total(tmp_path):
    t = corpus(tmp_path, {"a": TOTAL_SUBTOTALS_PROJECTS})
    signed = {yi(f): f for f in figures(t, "合肥高新区", "signed_investment")}
    assert set(signed) == {1000, 300, 450, 8}
    whole = signed[Decimal(1000)]["figure_id"]
    assert all(signed[v]["role"] == "part" and signed[v]["part_of"] == whole for v in (300, 450, 8))
    assert yi(total(t, "合肥高新区", "signed_investment")) == 1000


def test_two_signings_on_two_dates_add(tmp_path):
    t = corpus(tmp_path, {"feb": FEBRUARY_SIGNING, "mar": MARCH_SIGNING})
    row = total(t, "芜湖经开区", "signed_investment")
    assert yi(row) == 130 and row["how"] == "sum_of_events"
    assert (row["first_as_of"], row["last_as_of"]) == ("2020-02-10", "2020-03-20")
    assert row["reports"] == "2"


def test_a_cumulative_figure_supersedes_the_events_it_covers(tmp_path):
    t = corpus(tmp_path, {"feb": FEBRUARY_SIGNING, "mar": MARCH_SIGNING, "q1": FIRST_QUARTER})
    cumulative = [f for f in figures(t, "芜湖经开区", "signed_investment") if f["role"] == "cumulative"]
    assert [yi(f) for f in cumulative] == [200]
    row = total(t, "芜湖经开区", "signed_investment")
    assert yi(row) == 200 and row["how"] == "latest_cumulative"


def test_an_event_after_the_latest_cumulative_adds_to_it(tmp_path):
    april = "4月8日，芜湖经开区签约3个项目，总投资20亿元。\n"
    t = corpus(tmp_path, {"feb": FEBRUARY_SIGNING, "q1": FIRST_QUARTER, "apr": april})
    row = total(t, "芜湖经开区", "signed_investment")
    assert yi(row) == 220 and row["how"] == "sum_of_events"


def test_amounts_of_one_sentence_that_are_stages_of_one_process_are_not_added(tmp_path):
    text = "2月26日，芜湖经开区协助企业申报融资贷款18亿元，已获得银行授信1.6亿元并获批贷款3000万元。\n"
    t = corpus(tmp_path, {"a": text})
    row = total(t, "芜湖经开区", "financing_amount")
    assert yi(row) == 18 and "overlap" in row["flags"].split("|")


def test_each_population_has_its_own_latest_rate(tmp_path):
    later = "3月10日，长沙经开区规模以上工业企业复工率达100%。\n"
    t = corpus(tmp_path, {"a": TWO_POPULATIONS, "b": later, "c": OTHER_PARK_RATE})
    industrial = total(t, "长沙经开区", "reopening_rate", "rate", "规上工业企业")
    assert Decimal(industrial["value"]) == 100 and industrial["how"] == "latest"
    assert industrial["last_as_of"] == "2020-03-10"
    projects = total(t, "长沙经开区", "reopening_rate", "rate", "项目")
    assert Decimal(projects["value"]) == 92


def test_equal_rates_of_different_days_in_different_stories_are_two_figures(tmp_path):
    a = "2月20日，长沙经开区规模以上工业企业复工率达100%。\n"
    b = "3月10日，长沙经开区规模以上工业企业复工率达100%。\n"
    t = corpus(tmp_path, {"a": a, "b": b})
    assert len(figures(t, "长沙经开区", "reopening_rate")) == 2


# ---------------------------------------------------------------- the rules' pieces

def test_values_fold_approximation_and_rounding():
    def m(value, scope=""):
        row = {"value": value, "scope": scope, "metric": "signed_investment", "doc_id": "d", "start": 0,
               "flags": ""}
        return fig_rules.mentions_of([row], {}, {})[0]
    assert fig_rules.same_value(m("30000000000", "超过"), m("31200000000"))
    assert not fig_rules.same_value(m("30000000000", "超过"), m("39000000000"))
    assert fig_rules.same_value(m("29980000000"), m("30000000000"))          # 299.8亿 written as 300亿
    assert not fig_rules.same_value(m("260000000"), m("300000000"))          # 2.6亿 is not 3亿
    assert fig_rules.same_value(m("1000000", "约"), m("1050000"))


@pytest.mark.parametrize("cls", ["part_cues", "total_cues", "cumulative_cues", "another_cues"])
def test_every_cue_class_has_examples_that_show_it(cls):
    conf = lexicon.load("resolve")[cls]
    pattern = fig_rules.conf()[{"part_cues": "part_re", "total_cues": "total_re", "cumulative_cues": "cumulative_re",
                                "another_cues": "another_re"}[cls]]
    assert len(conf["examples"]) >= 2
    for example in conf["examples"]:
        assert pattern.search(example), example


def test_populations_fold_spellings_and_keep_qualified_ones_apart():
    assert population("规模以上工业企业(52户)") == population("规上工业企业") == "规上工业企业"
    assert population("重点项目") == "项目"
    assert population("企业") == "企业"
    assert population("百亿级工业企业") == "百亿级工业企业"


def test_mirror_signatures_tell_a_copy_from_another_story():
    docs = []
    for doc_id, text, published in (("a", LEAD_AND_BODY, "2020-03-02"), ("b", mirror_of(LEAD_AND_BODY), "2020-03-09"),
                                    ("c", TOTAL_SUBTOTALS_PROJECTS, "")):
        sig, n = mirrors.signature(text)
        docs.append({"doc_id": doc_id, "signature": sig, "shingles": n, "published": published, "chars": len(text)})
    assert mirrors.duplicates(docs) == {"b": "a"}


def test_resolve_yaml_names_only_known_metrics():
    conf = lexicon.load("resolve")
    known = set(lexicon.metrics()["metrics"])
    assert set(conf["additive"]["metrics"]) <= known and set(conf["latest_metrics"]) <= known
    assert yaml.safe_load((ROOT / "loaders" / "data" / "resolve.yaml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the dashboard reads figures

def test_a_median_counts_a_park_once_per_population(tmp_path):
    from dashboard import dataset
    earlier = "2月12日，长沙经开区规模以上工业企业复工率达60%。\n"
    later = "3月10日，长沙经开区规模以上工业企业复工率达100%。\n"
    corpus(tmp_path, {"a": TWO_POPULATIONS, "b": later, "c": OTHER_PARK_RATE, "d": earlier})
    ds = dataset.load(tmp_path / "data")
    rates = dataset.latest_rates(ds)
    assert dataset.populations(rates)[0] == "规上工业企业"
    industrial = rates[rates["population"] == "规上工业企业"]
    assert sorted(industrial["value_num"]) == [90, 100]           # 长沙: its latest (100), not 60, 98.5 and 100
    medians = dataset.median_by(industrial, "region")
    assert medians["n"].tolist() == [2] and medians["median"].tolist() == [95]


def test_signed_totals_by_park_read_figures_not_mentions(tmp_path):
    from dashboard import dataset
    corpus(tmp_path, {"a": LEAD_AND_BODY, "b": mirror_of(LEAD_AND_BODY), "c": TOTAL_SUBTOTALS_PROJECTS})
    ds = dataset.load(tmp_path / "data")
    by_park = dataset.signed_investment_by_park(ds).set_index("park_name")
    assert by_park.loc["襄阳高新区", "amount"] == 300e8 and by_park.loc["襄阳高新区", "reports"] == 2
    assert by_park.loc["合肥高新区", "amount"] == 1000e8 and by_park.loc["合肥高新区", "how"] == "stated_total"
    assert by_park.loc["合肥高新区", "projects"] == 60


def test_search_folds_a_story_and_its_copies_into_one_card(tmp_path):
    from dashboard import dataset, found
    from loaders.publish.search import SearchIndex
    corpus(tmp_path, {"a": LEAD_AND_BODY, "b": mirror_of(LEAD_AND_BODY), "c": TOTAL_AND_PARTS})
    ds = dataset.load(tmp_path / "data")
    texts = {d: (tmp_path / "data" / "texts" / f"{d}.txt").read_text(encoding="utf-8") for d in ds.documents["doc_id"]}
    hits = SearchIndex.build(texts).search("签约")
    cards = found.group_mirrors(ds, found.documents(ds, hits, texts.get))
    assert [c.doc_id for c in cards] == ["a"] and [d for d, _ in cards[0].copies] == ["b"]


# ---------------------------------------------------------------- reviewers' figure corrections

def _anchor(tmp_path, doc_id: str, quote: str, metric: str) -> dict:
    text = (tmp_path / "data" / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")
    start = text.index(quote)
    return {"doc_id": doc_id, "exact": quote, "prefix": text[max(0, start - 32):start],
            "suffix": text[start + len(quote):start + len(quote) + 32], "start": start, "end": start + len(quote),
            "metric": metric}


def test_a_reviewer_makes_one_signing_part_of_another_and_it_survives_a_rebuild(tmp_path):
    from loaders.correct import correction_store
    corpus(tmp_path, {"feb": FEBRUARY_SIGNING, "mar": MARCH_SIGNING})
    record = {"action": "part_of", "target": _anchor(tmp_path, "feb", "50亿元", "signed_investment"),
              "set": {"of": _anchor(tmp_path, "mar", "80亿元", "signed_investment")}}
    correction_store.record(tmp_path / "data", [record], echo=lambda *_: None)
    t = {name: read_csv(tmp_path / "data" / f"{name}.csv") for name in ("figures", "park_totals", "orphaned")}
    signed = [r for r in t["park_totals"] if r["metric"] == "signed_investment"]
    assert [Decimal(r["value"]) / 10**8 for r in signed] == [80] and not t["orphaned"]
    # a rebuild from the articles applies the store again
    assert build(tmp_path / "seeds", tmp_path / "data", echo=lambda *_: None) == 0
    signed = [r for r in read_csv(tmp_path / "data" / "park_totals.csv") if r["metric"] == "signed_investment"]
    assert [Decimal(r["value"]) / 10**8 for r in signed] == [80]


def test_a_reviewer_merges_two_figures_and_splits_a_mention(tmp_path):
    from loaders.correct import correction_store
    a = "2月20日，长沙经开区规模以上工业企业复工率达100%。\n"
    b = "3月10日，长沙经开区规模以上工业企业复工率达100%。\n"
    corpus(tmp_path, {"a": a, "b": b, "lead": LEAD_AND_BODY})
    merge = {"action": "merge_figure", "target": _anchor(tmp_path, "a", "100%", "reopening_rate"),
             "set": {"with": _anchor(tmp_path, "b", "100%", "reopening_rate")}}
    text = (tmp_path / "data" / "texts" / "lead.txt").read_text(encoding="utf-8")
    body = text.rindex("超300亿元")
    split = {"action": "split_figure", "set": {},
             "target": {"doc_id": "lead", "exact": text[body:body + 7], "start": body, "end": body + 7,
                        "prefix": text[body - 32:body], "suffix": text[body + 7:body + 39],
                        "metric": "signed_investment"}}
    correction_store.record(tmp_path / "data", [merge, split], echo=lambda *_: None)
    figures = read_csv(tmp_path / "data" / "figures.csv")
    rates = [f for f in figures if f["metric"] == "reopening_rate"]
    assert len(rates) == 1 and rates[0]["reports"] == "2"
    signed = [f for f in figures if f["metric"] == "signed_investment"]
    assert sorted(f["mentions"] for f in signed) == ["1", "1"]
    assert not read_csv(tmp_path / "data" / "orphaned.csv")


def test_a_figure_correction_whose_quote_is_gone_is_an_orphan(tmp_path):
    from loaders.correct import correction_store
    corpus(tmp_path, {"feb": FEBRUARY_SIGNING})
    gone = {"doc_id": "feb", "exact": "70亿元", "prefix": "", "suffix": "", "metric": "signed_investment"}
    record = {"action": "split_figure", "target": gone, "set": {}}
    correction_store.record(tmp_path / "data", [record], echo=lambda *_: None)
    orphans = read_csv(tmp_path / "data" / "orphaned.csv")
    assert [o["action"] for o in orphans] == ["split_figure"]


def test_a_total_in_the_headline_is_read_by_its_story_and_cited_over_the_body_subtotals(tmp_path):
    text = ("襄阳高新区60个项目总投资900亿元\n3月10日，襄阳高新区举行重大项目云签约活动。"
            "其中，先进制造项目20个，总投资300亿元；现代服务业项目25个，总投资450亿元。\n")
    t = corpus(tmp_path, {"a": text})
    row = total(t, "襄阳高新区", "signed_investment")
    assert yi(row) == 900 and row["how"] == "stated_total"
