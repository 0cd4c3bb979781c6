"""Fact rules and traps, each with a real sentence from the seeds."""
from decimal import Decimal

from loaders.extract.facts import extract


def facts(sentence):
    return [(f.metric, f.value, f.basis, f.scope, f.raw) for f in extract(sentence)]


def metrics(sentence):
    return [(f.metric, f.value) for f in extract(sentence)]


def test_reopening_rates_keep_their_population():
    s = "目前，经开区在地企业285家，已复工232家，复工率81.4%；“四上企业”138家，复工138家，复工率100%。"
    rates = [(f.value, f.scope) for f in extract(s) if f.metric == "reopening_rate"]
    assert rates == [(Decimal("81.4"), "在地企业"), (Decimal("100"), "四上企业")]
    counts = [(f.value, f.scope) for f in extract(s) if f.metric == "reopened_enterprises"]
    assert counts == [(Decimal("232"), "在地企业"), (Decimal("138"), "四上企业")]


def test_full_reopening_of_a_stated_population_is_100():
    s = "截至目前，该区137家“四上”企业全部复工复产；总投资248.26亿元的43个续建项目，复工率达100%；新建项目30个，总投资96.91亿元"
    got = facts(s)
    assert ("reopening_rate", Decimal(100), "rate", "四上企业", "全部复工复产") in got
    assert ("reopening_rate", Decimal(100), "rate", "续建项目", "100%") in got
    assert ("reopened_enterprises", Decimal(137), "count", "四上企业", "137家") in got


def test_one_rate_when_a_sentence_says_it_twice():
    s = "截至目前，区内48家规上企业实现全面复工，复工率达到100%。"
    assert [f for f in facts(s) if f[0] == "reopening_rate"] == [("reopening_rate", Decimal(100), "rate", "规上企业", "100%")]


def test_rates_that_are_not_reopening():
    for s in ["自1月19日以来，企业开办77户，全程电子化登记率96.10%。",
              "其中线上办结14705件，“不见面审批”达91%。",
              "已办理18946件，实现100%线上办理。",
              "“最多一次办结”事项比例已经超过60%；",
              "目前，博泽重庆公司通过复工申请的员工有140多人，占公司总人数的70%左右。",
              "截至目前，长丰（双凤）经开区国家级高新技术企业已达70家，占全县国家级高新技术企业总数的70%，国家级高新技术企业产值占全区工业总产值比重约40%。",
              "目前已协调解决百余个涉及产业链、物流链、资金链环节的复工复产问题，平均办结时间为1.3个小时，办结率100%。"]:
        assert [m for m in metrics(s) if m[0] == "reopening_rate"] == [], s


def test_order_books_are_no_facts():
    assert metrics("主要产品配套国际知名品牌，2020年订单量达18.5亿元，受疫情影响2月份为零销售") == []
    assert [m for m in metrics("“复工首日，我们复工率就达90%，国内市场订单反弹式增长，目前在手近30亿元订单。”")
            if m[0] != "reopening_rate"] == []


def test_projects_under_construction_are_not_signed_investment():
    s = "总投资248.26亿元的43个续建项目，复工率达100%"
    assert ("project_investment", Decimal("24826000000"), "total", "43个续建项目", "248.26亿元") in facts(s)
    assert not [f for f in facts(s) if f[0] == "signed_investment"]


def test_two_signed_projects_are_two_rows():
    s = "2月20日，江阴高新区使用视频连线方式举行春节后首场重大项目签约仪式，总投资50亿元的航天交通物联网产业基地项目和总投资30亿元的御霖国际智慧康养项目签约。"
    signed = [(f.value, f.scope) for f in extract(s) if f.metric == "signed_investment"]
    assert signed == [(Decimal("5000000000"), "航天交通物联网产业基地项目"), (Decimal("3000000000"), "御霖国际智慧康养项目")]


def test_approximate_investment_keeps_the_number_and_says_so():
    s = "济南高新区通过视频集中签约落地项目6个，涉及电子信息、高端装备制造、生物医药、现代服务业等领域，投资总额约60亿元，总用地约370亩。"
    got = facts(s)
    assert ("signed_investment", Decimal("6000000000"), "total", "6个项目；约", "60亿元") in got
    assert ("projects_signed", Decimal(6), "count", "", "6个") in got


def test_contract_investment_is_signed():
    s = "目前，重庆高新区已与中电科无人运输投送智能管控基地、东华星联车联网研发中心等30个重点项目达成协议约定，合同投资总额达300亿元。"
    assert ("signed_investment", Decimal("30000000000")) in metrics(s)


def test_loans_and_credit_are_financing_not_subsidies():
    s = "协助企业上报融资贷款18.46亿元，已获得银行授信1.67亿元并获批贷款3000万元，疫情以来兑现各类支持资金7593.44万元。"
    assert metrics(s) == [("financing_amount", Decimal("1846000000")), ("financing_amount", Decimal("167000000")),
                          ("financing_amount", Decimal("30000000")), ("subsidy_amount", Decimal("75934400"))]


def test_subsidy_bases():
    assert facts("对提供员工支持的服务业企业，给予每人300元的补贴。") == [
        ("subsidy_amount", Decimal(300), "per_person", "", "300元")]
    assert facts("据悉，符合条件的辖区单一企业最高可获得支持额度100万元。") == [
        ("subsidy_amount", Decimal(1000000), "per_enterprise_cap", "", "100万元")]
    s = "疫情期间新建生产线或购置设备提高产能的，给予固定资产投资10%、最高不超过500万元的一次性补贴；对列入国家和黑龙江省应对疫情专项科技攻关的项目，给予科研团队100万元奖励"
    assert facts(s) == [("subsidy_amount", Decimal(10), "share", "", "10%"),
                        ("subsidy_amount", Decimal(5000000), "per_enterprise_cap", "", "500万元"),
                        ("subsidy_amount", Decimal(1000000), "per_project_cap", "", "100万元")]
    assert facts("对这些企业，上半年对地方经济发展贡献增量部分，50%返还给企业。") == [
        ("subsidy_amount", Decimal(50), "share", "", "50%")]
    assert metrics("开展“降成本、优环境”专项行动，累计为企业减负25.5亿元") == [("subsidy_amount", Decimal("2550000000"))]


def test_financing_cap():
    s = "由政策性担保机构担保，最高给予1000万元的专项贷款支持"
    assert facts(s) == [("financing_amount", Decimal(10000000), "per_enterprise_cap", "", "1000万元")]


def test_returned_workers_and_negation():
    assert metrics("截至3月中旬，阿拉尔经济技术开发区规模以上企业复产37家，来自阿克苏地区、喀什地区、和田地区的9100名工人返岗。") == [
        ("reopened_enterprises", Decimal(37)), ("returned_workers", Decimal(9100))]
    assert metrics("日前，一辆复工直通车驶进东丽经济技术开发区，接回来的是天津天石休闲用品有限公司的17名河南员工") == [
        ("returned_workers", Decimal(17))]
    assert metrics("我们通过排摸园区安徽籍未返岗员工情况，发现安徽籍未返岗员工大约200多人，其中阜阳市有126人") == []


def test_policy_items_and_issuer():
    assert metrics("推出…持续打造一流营商环境5个方面21条措施，着力解决疫情期间企业复工复产中遇到的困难和问题") == [
        ("policy_items", Decimal(21))]
    assert metrics("开发区积极响应临沂市2月4日出台的帮助企业纾困解难的10条支持措施") == []
    assert metrics("针对芜湖市十八条、安徽省二十条等政策举措进行逐条分解") == []
    assert metrics("制定出台了二十二条措施，与企业共渡难关") == [("policy_items", Decimal(22))]


def test_respectively_pairs_values_with_populations():
    s = "截至目前，重庆高新区百亿级、十亿级工业企业分别复工4家、10家，占比分别达100%、90.9%，亿元以上重点工业企业复产复工73家，复工率71.6%。"
    rates = [(f.value, f.scope) for f in extract(s) if f.metric == "reopening_rate"]
    assert rates == [(Decimal(100), "百亿级工业企业"), (Decimal("90.9"), "十亿级工业企业"),
                     (Decimal("71.6"), "亿元以上重点工业企业")]


def test_signed_project_counts_skip_other_project_counts():
    s = "截至2019年12月31日，该区共签约项目6个，开工项目6个，竣工项目7个，对接洽谈项目13个。"
    assert metrics(s) == [("projects_signed", Decimal(6))]


def test_common_report_phrasings_beyond_the_seeds():
    # phrasings common in park reports that the five seeds do not contain: a share of a population
    # that reopened, head counts in 万, an interest subsidy next to a loan word
    assert facts("目前已有85%的规上企业实现复工，员工返岗率达到70%。") == [
        ("reopening_rate", Decimal(85), "rate", "规上企业", "85%")]
    assert metrics("截至目前，已有3.2万名外地员工返岗复工。") == [("returned_workers", Decimal(32000))]
    assert metrics("为企业争取贷款贴息资金二千万元。") == [("subsidy_amount", Decimal(20000000))]
    got = facts("昆山开发区已复工企业2156家，复工率92.3%。")
    assert ("reopening_rate", Decimal("92.3"), "rate", "企业", "92.3%") in got


def test_a_population_count_before_its_reopened_count_is_no_reopened_count():
    s = "某经开区80家规模以上企业已开工75家，开工率93.8%。"
    assert [(f.metric, f.value) for f in extract(s)] == [("reopened_enterprises", Decimal(75)),
                                                         ("reopening_rate", Decimal("93.8"))]
    s = "园区规上工业企业132家，已复工125家，复工率94.7%。"
    assert [(f.metric, f.value) for f in extract(s)] == [("reopened_enterprises", Decimal(125)),
                                                         ("reopening_rate", Decimal("94.7"))]


# ---- every cue class with examples of our own (metrics.yaml cue_examples)

import pytest  # noqa: E402

from loaders import lexicon  # noqa: E402

CUE_EXAMPLES = lexicon.metrics()["cue_examples"]
# classes that decide whether a number is a fact and which: each needs examples
REQUIRED = {"reopening_rate_words", "full_reopening_words", "reopening_verbs", "not_reopening_before", "forecast_cues",
            "intent_verbs", "subsidy_amount", "financing_amount", "investment", "signed_investment_cues",
            "none_categories", "national_relief_words", "intended_investment_cues", "construction_cues", "started_cues",
            "per_person_cues", "cap_cues", "per_enterprise_cues", "share_subsidy_words", "worker_return_verbs",
            "negations", "policy_item_nouns", "issuer_pattern"}


def test_every_cue_class_has_two_examples_and_names_a_class_of_the_yaml():
    conf = lexicon.metrics()
    classes = set(conf) | set(conf["money_categories"]) | {"none_categories"}
    assert REQUIRED <= set(CUE_EXAMPLES)
    for cls, examples in CUE_EXAMPLES.items():
        assert cls in classes, cls
        assert len(examples) >= 2, cls


@pytest.mark.parametrize("cls,example", [(c, e) for c, es in CUE_EXAMPLES.items() for e in es],
                         ids=lambda x: x if isinstance(x, str) else x["text"][:12])
def test_cue_examples(cls, example):
    got = [(f.metric, f.value) for f in extract(example["text"])]
    if example["value"] is None:
        assert not [m for m, _ in got if m == example["metric"]], got
    else:
        assert (example["metric"], Decimal(str(example["value"]))) in got, got
