"""The error classes found on real articles (issue 8), each with sentences we wrote in the style of the
articles: the case that must be extracted and the case that must not."""
from decimal import Decimal

import pytest

from loaders.extract.facts import extract
from loaders.extract.normalize import normalize, to_simplified
from loaders.extract.parks import find_mentions
from loaders.extract.pipeline import process


def rates(sentence):
    return [(f.value, f.scope) for f in extract(to_simplified(sentence)) if f.metric == "reopening_rate"]


def amounts(sentence):
    return [(f.metric, f.value, f.basis) for f in extract(to_simplified(sentence))
            if f.metric in ("subsidy_amount", "financing_amount", "signed_investment")]


def doc_facts(text, metric="reopening_rate"):
    """(park, value) of every `metric` fact of a whole article."""
    r = process("t", text)
    return sorted((f["park"], f["value"]) for f in r.facts if f["metric"] == metric)


def actors(sentence):
    return [(m.key, m.park_type) for m in find_mentions(to_simplified(sentence)) if m.role == "actor"]


# ---- forecasts and aims are no rates ----------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "园区预计本周内规上企业全部复工。",
    "开发区力争3月底前规上工业企业全部复工复产。",
    "剩余企业3月10日前可全部复工。",
    "高新区将实现重点项目复工全覆盖。",
    "到2月底，全区规上企业复工率有望达到90%。",
])
def test_a_forecast_or_target_is_no_rate(sentence):
    assert rates(sentence) == []


def test_a_measured_rate_is_kept():
    assert rates("截至2月20日，园区规上工业企业复工率达到87.5%。") == [(Decimal("87.5"), "规上工业企业")]
    assert rates("目前，区内56家规上企业已全部复工。") == [(Decimal(100), "规上企业")]


def test_a_vague_claim_is_no_rate():
    assert rates("管委会全力推动企业全面复工复产。") == []
    assert rates("园区将持续帮助企业全面复工复产。") == []
    assert rates("经开区32家重点企业实现全面复工。") == [(Decimal(100), "重点企业")]


def test_rates_written_as_tenths_and_shares():
    assert rates("园区规上企业复工率已达九成。") == [(Decimal(90), "规上企业")]
    assert rates("新区已复工规上企业48户，占全部规上企业的80%。") == [(Decimal(80), "规上企业")]
    assert rates("开发区龙头企业95%已复工。") == [(Decimal(95), "龙头企业")]
    assert rates("返岗员工1200人，占企业员工总数的60%。") == []


# ---- staff return, capacity and a firm's figure --------------------------------------------------------

def test_staff_return_and_capacity_are_not_reopening():
    assert rates("园区企业员工到岗率达到76%。") == []
    assert rates("某龙头企业产能恢复至六成。") == []
    assert rates("全区企业产能利用率达到82%。") == []


def test_a_firms_rate_inside_a_park_article_is_not_the_parks():
    text = ("宜州经开区全力服务企业复工\n"
            "宜州经开区规上企业复工率达到92%。\n"
            "园区内的华诚机械有限公司复工率达到100%，订单排到了5月。\n")
    assert doc_facts(text) == [("宜州经开区", Decimal(92))]


# ---- groups, districts, cities ----------------------------------------------------------------------

def test_a_groups_figure_belongs_to_no_member():
    text = "甲山经开区、乙水高新区等12个重点园区，规上企业复工率92.1%。\n"
    assert doc_facts(text) == []
    assert doc_facts("宜州经开区规上企业复工率92.1%。\n") == [("宜州经开区", Decimal("92.1"))]


def test_city_and_province_figures_inside_a_park_article_are_not_the_parks():
    text = ("宜州经开区多措并举助企复工\n"
            "截至2月25日，宜州经开区规上企业复工率95%。\n"
            "全市规上工业企业复工率为88.6%，全省为81%。\n"
            "目前，园区在建项目复工率90%。\n")
    assert doc_facts(text) == [("宜州经开区", Decimal(90)), ("宜州经开区", Decimal(95))]


def test_a_bulletin_gives_each_place_its_own_figure():
    text = ("截至3月2日，全市规上工业企业复工率85.2%，其中，临淄区复工率81%；"
            "宜州经开区复工率93.5%；高青县复工率71.0%。\n")
    assert doc_facts(text) == [("宜州经开区", Decimal("93.5"))]


def test_respectively_pairs_values_with_the_listed_subjects():
    text = "其中，临淄区、宜州经开区复工率分别达到97.8%和95.9%。\n"
    assert doc_facts(text) == [("宜州经开区", Decimal("95.9"))]


def test_a_park_word_listed_with_a_citys_districts_is_that_citys_park():
    text = "截至2月20日，淄博市规上企业复工率92%，其中，张店区、高新区复工率分别达到97.8%、95.9%。\n"
    assert doc_facts(text) == [("淄博高新区", Decimal("95.9"))]


def test_parks_sharing_one_suffix_share_a_full_reopening():
    text = "全省经开区复工率98.2%（绵阳、广元、内江经开区复工率100%，成都经开区复工率97.5%）。\n"
    assert doc_facts(text) == [("内江经开区", Decimal(100)), ("广元经开区", Decimal(100)),
                               ("成都经开区", Decimal("97.5")), ("绵阳经开区", Decimal(100))]


# ---- zones inside their designation ---------------------------------------------------------------------

def test_an_ftz_area_is_its_own_zone_not_its_parent():
    for sentence, key in [("河南自贸区郑州片区出台支持企业复工十条", "郑州片区"),
                          ("中国（上海）自由贸易试验区临港新片区管委会发布通告", "临港新片区"),
                          ("黑河自贸片区举行网络签约仪式", "黑河片区")]:
        assert actors(sentence) == [(key, "自贸区")], sentence
    assert [m.role for m in find_mentions("河南自贸区郑州片区")] == ["parent", "actor"]


def test_sub_parks_stay_folded_into_their_park():
    assert actors("中关村丰台科技园企业复工率超过八成") == [("中关村科学城", "高新区")]


def test_a_province_alone_names_no_zone():
    assert actors("上海、重庆等国家级新区出台政策") == []
    assert actors("全省产业集聚区规上企业复工") == []


@pytest.mark.parametrize("sentence,key,park_type", [
    ("泉州台商投资区全力帮助企业复工", "泉州台商投资区", "其他"),
    ("宁波石化经济技术开发区（宁波石化区）90%以上产能恢复", "宁波石化经开区", "经开区"),
    ("郑州新郑综合保税区企业复工率达到96%", "郑州新郑综合保税区", "其他"),
    ("常熟高新技术产业开发区推出云招商", "常熟高新区", "高新区"),
    ("丰县省级经济开发区企业陆续复工", "丰县经开区", "经开区"),
    ("灌南县工业园区组织包车接员工", "灌南工业园区", "工业园区"),
    ("泉州臺商投資區全力幫助企業復工", "泉州台商投资区", "其他"),
])
def test_zone_kinds(sentence, key, park_type):
    assert actors(sentence) == [(key, park_type)]


def test_a_provincial_zone_is_provincial_and_a_national_one_national():
    r = process("t", "丰县经济开发区和徐州经济技术开发区企业全部复工。\n")
    from loaders.assemble.dataset import assemble
    levels = {p["name"]: p["level"] for p in assemble([r])["parks"]}
    assert levels == {"丰县经开区": "省级", "徐州经开区": "国家级"}


# ---- amounts --------------------------------------------------------------------------------------------

def test_funds_rent_relief_and_interest_subsidies_are_support():
    assert amounts("设立2亿元疫情防控专项基金，支持企业复工。") == [("subsidy_amount", Decimal(200000000), "total")]
    assert amounts("为中小企业减免房租3200万元。") == [("subsidy_amount", Decimal(32000000), "total")]
    assert amounts("对获得贷款的企业安排贴息资金500万元。") == [("subsidy_amount", Decimal(5000000), "total")]
    assert amounts("给予最高300万元的资助。") == [("subsidy_amount", Decimal(3000000), "per_enterprise_cap")]


def test_a_loan_or_credit_line_stays_financing():
    assert amounts("协调银行为企业发放贷款3.5亿元。") == [("financing_amount", Decimal(350000000), "total")]
    assert amounts("获得银行授信20亿元。") == [("financing_amount", Decimal(2000000000), "total")]


def test_fixed_per_firm_and_per_person_amounts_and_sums():
    got = amounts("对31户企业每户奖补20万元，资金共计620万元。")
    assert got == [("subsidy_amount", Decimal(200000), "per_enterprise"), ("subsidy_amount", Decimal(6200000), "total")]
    assert amounts("给予返岗员工500元/人的交通补贴。") == [("subsidy_amount", Decimal(500), "per_person")]


def test_two_equal_shares_are_two_subsidies():
    got = amounts("返还上年度失业保险费的50%；给予产品退货金额50%的补助。")
    assert got == [("subsidy_amount", Decimal(50), "share"), ("subsidy_amount", Decimal(50), "share")]


def test_intended_investment_is_not_signed():
    assert amounts("今年新签约7个项目；对接储能等24个项目，意向投资总额超过80亿元。") == []
    assert amounts("园区通过云签约引进12个项目，总投资56亿元。") == \
        [("signed_investment", Decimal(5600000000), "total")]


# ---- text form ------------------------------------------------------------------------------------------

def test_inline_pinyin_is_stripped():
    raw = "寧(níng)波(bō)石(shí)化(huà)經(jīng)濟(jì)技(jì)術(shù)開(kāi)發(fā)區(qū)規上企業復(fù)工率達95%。"
    text = normalize(raw)
    assert text == "寧波石化經濟技術開發區規上企業復工率達95%。\n"
    assert doc_facts(raw) == [("宁波石化经开区", Decimal(95))]


def test_a_lone_bracket_after_a_word_is_kept():
    assert normalize("园区（含东区）规上企业复工。") == "园区（含东区）规上企业复工。\n"


def test_a_headline_repeated_in_the_body_gives_the_fact_once():
    text = ("宜州经开区规上企业复工率达95%\n"
            "截至2月24日，宜州经开区规上企业复工率达95%，较上周提高10个百分点。\n")
    facts = [f for f in process("t", text).facts if f["metric"] == "reopening_rate"]
    assert [(f["value"], "headline" in f["flags"]) for f in facts] == [(Decimal(95), False)]


# ---- places that exist more than once -------------------------------------------------------------------

def place_of(text):
    from loaders.assemble.dataset import assemble
    r = process("t", text)
    park = assemble([r])["parks"][0]
    return park["province"], park["city"], park["flags"], sorted({f["flags"] for f in r.facts})


def test_a_place_that_exists_twice_is_settled_by_the_article():
    assert place_of("连云港市重点项目加快推进。海州工业园区规上企业复工率90%。\n")[:3] == ("江苏", "连云港", "")
    assert place_of("阜新市加快复工复产。海州工业园区规上企业复工率90%。\n")[:3] == ("辽宁", "阜新", "")


def test_a_place_the_article_does_not_settle_is_flagged():
    province, city, flags, row_flags = place_of("海州工业园区规上企业复工率90%。\n")
    assert flags == "place_ambiguous"
    assert row_flags == ["place_ambiguous"]


def test_the_gazetteer_settles_what_the_article_does_not():
    # 海州经开区 is on the provincial list (江苏): its article needs name no city
    assert place_of("海州经开区与海州工业园区规上企业复工率90%。\n")[0] == "江苏"


# ---- flags ----------------------------------------------------------------------------------------------

def test_flags_say_what_made_a_row_uncertain():
    text = ("宜州经开区助企复工\n"
            "宜州经开区规上企业复工率约95%，预计月底全部复工。\n"
            "园区重点项目复工率达到80%。\n"
            "宜州经开区与华诚机械有限公司等企业对接，徐州高新区复工率90%。\n")
    flags = {(f["park"], str(f["value"])): set(f["flags"].split("|")) - {""} for f in process("t", text).facts
             if f["metric"] == "reopening_rate"}
    assert flags[("宜州经开区", "95")] == {"approx", "forecast_nearby"}
    assert flags[("宜州经开区", "80")] == {"carried_from_passage"}
    assert flags[("徐州高新区", "90")] == {"group_list", "firm_context"}


# ---- tables ---------------------------------------------------------------------------------------------

def test_a_table_of_cells_reads_as_one_sentence_a_row():
    raw = "\n".join(["表1 园区复工情况", "序号", "|", "园区名称", "|", "省份", "|", "规上企业复工率", "|",
                     "1", "|", "宜州经济技术开发区", "|", "广西", "|", "82%", "|",
                     "2", "|", "示范新材料产业园", "|", "江苏", "|", "76%", "|",
                     "3", "|", "徐州经济技术开发区", "|", "江苏省", "|", "93%", ""])
    lines = normalize(raw).splitlines()
    assert "宜州经济技术开发区（广西），规上企业复工率82%。" in lines
    # the row whose zone the grammar cannot read keeps its figure to itself
    assert doc_facts(raw) == [("宜州经开区", Decimal(82)), ("徐州经开区", Decimal(93))]


def test_a_table_a_row_a_line():
    raw = "园区 | 复工率 | 到岗率\n宜州经开区 | 95% | 80%\n徐州经开区 | 90% | 70%\n"
    assert doc_facts(raw) == [("宜州经开区", Decimal(95)), ("徐州经开区", Decimal(90))]


def test_text_with_a_stray_bar_is_no_table():
    text = "宜州经开区规上企业复工率95% | 来源：某日报\n"
    assert normalize(text) == "宜州经开区规上企业复工率95%|来源：某日报\n"     # spaces squeezed, nothing else


def test_a_listed_zone_written_without_its_city_is_found_through_the_article():
    r = process("t", "德州市加快推进复工复产。运河经济开发区规上企业复工率95%。\n")
    assert [(f["park"], f["value"]) for f in r.facts if f["metric"] == "reopening_rate"] == \
        [("德州运河经开区", Decimal(95))]
    assert place_of("德州市加快推进复工复产。运河经济开发区规上企业复工率95%。\n")[0] == "山东"
    # without the city in the article the name stays as written
    assert {m["key"] for m in process("t", "运河经济开发区规上企业复工率95%。\n").mentions} == {"运河经开区"}


def test_national_tax_and_fee_relief_is_not_the_parks_subsidy():
    assert amounts("为2.8万户小规模纳税人减免增值税3635万元。") == []
    assert amounts("阶段性减免企业社保费7600万元。") == []
    assert amounts("为中小企业减免房租3200万元。") == [("subsidy_amount", Decimal(32000000), "total")]


def test_a_bulletin_naming_one_park_among_districts_does_not_make_it_the_passage():
    text = ("全市规上工业企业共1615家，复工率52.9%，其中，天元区复工率86%；荷塘区复工率62.8%；株洲经开区复工率36.7%；"
            "跨区项目2个、复工率10.5%。基建原材料企业5家，全部复工复产。\n")
    assert doc_facts(text) == [("株洲经开区", Decimal("36.7"))]


# ---- classes found on the second held-out part ----------------------------------------------------------

def test_a_forecast_opening_the_sentence_governs_all_of_it():
    assert rates("预计本周内，园区亿元以上工业企业将实现复工全覆盖，限上服务业企业复工率超过50%。") == []
    assert rates("预计2月10日前，重点企业复工率近70%。") == []


def test_capacity_written_as_a_reopening_word_is_no_rate():
    assert rates("规上工业企业复工率达到94%，产能复产率达86%。") == [(Decimal(94), "规上工业企业")]


def test_risk_compensation_funds_and_entrusted_loans_are_financing():
    assert amounts("设立1000万元风险补偿资金，支持银行扩大信贷投放。") == \
        [("financing_amount", Decimal(10000000), "total")]
    assert amounts("对重点企业给予委贷支持，每户最多2000万元。")[0][0] == "financing_amount"


def test_a_cap_clause_takes_the_kind_of_the_clause_before_it():
    assert amounts("按新购设备投资额的20%给予补助，最高不超过300万元。") == \
        [("subsidy_amount", Decimal(20), "share"), ("subsidy_amount", Decimal(3000000), "per_enterprise_cap")]


def test_kaifaqu_is_the_short_form_of_a_listed_jingkaiqu():
    # the provincial list names it 南京江宁滨江经济开发区
    assert actors("项目签约落户南京市江宁滨江开发区") == [("南京江宁滨江经开区", "经开区")]


def test_an_industrial_park_project_is_no_zone():
    assert actors("医药健康产业园项目、新能源装备产业园项目等19个项目集中签约") == []
    assert actors("济宁新材料产业园区企业全部复工") == [("济宁新材料产业园", "其他")]


def test_a_firms_project_settling_in_a_park_is_the_parks_signed_investment():
    text = "2月21日，华诚机械有限公司总经理在协议上签字，总投资20亿元的医用汽车项目正式签约落户宜州经开区。\n"
    assert doc_facts(text, "signed_investment") == [("宜州经开区", Decimal(2000000000))]


def test_equal_figures_of_listed_subjects_stay_apart():
    text = "其中，东丽区复工率100%，滨海新区、宁河区、西青区复工率分别达到99.3%、99.3%、99.1%。\n"
    assert doc_facts(text) == [("滨海新区", Decimal("99.3"))]


def test_a_total_over_started_and_signed_projects_is_neither():
    assert amounts("该区66个重大项目集中云动工，21个重大项目集中云签约，项目总投资额约1335亿元。") == []


def test_a_place_wide_word_used_as_a_rank_is_no_subject():
    text = ("宜州经开区出台政策\n"
            "宜州经开区出台全国首个区级新基建政策，最高按投资额的15%给予奖励。\n")
    assert doc_facts(text, "subsidy_amount") == [("宜州经开区", Decimal(15))]
