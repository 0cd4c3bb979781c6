"""Park names: boundaries, aliases, brackets, lists, generic words (sentences from the seeds)."""
from loaders.extract.normalize import to_simplified
from loaders.extract.parks import find_mentions


def actors(sentence):
    return [(m.key, m.park_type) for m in find_mentions(to_simplified(sentence)) if m.role == "actor"]


def test_heading_words_are_not_part_of_a_name():
    assert actors("精准服务为企业解难题苏州工业园区分类制定企业梯次复工方案。") == [("苏州工业园区", "工业园区")]
    assert actors("这是苏州工业园区的做法") == [("苏州工业园区", "工业园区")]


def test_aliases_map_to_one_name():
    for spelling in ("山西省大同市经济技术开发区多个园区", "山西大同经开区：用好“加减乘除”", "大同经开区"):
        assert actors(spelling) == [("大同经开区", "经开区")]
    assert actors("天津东丽经开区全力帮助企业渡过难关") == [("东丽经开区", "经开区")]
    assert actors("一辆复工直通车驶进东丽经济技术开发区") == [("东丽经开区", "经开区")]
    assert actors("在江苏靖江经济技术开发区管委会视频会议室") == [("靖江经开区", "经开区")]


def test_brackets_are_kept_right():
    assert actors("截至目前，长丰（双凤）经开区国家级高新技术企业已达70家") == [("长丰（双凤）经开区", "经开区")]
    s = "为缓解疫情之下企业压力、助推企业发展，芜湖高新区（弋江区）狠抓各项支持政策畅通落地。"
    assert [(m.key, s[m.start:m.end]) for m in find_mentions(s)] == [("芜湖高新区", "芜湖高新区（弋江区）")]


def test_lists_expand():
    s = "厦门、江阴、嘉兴秀洲、徐州、南通、大庆等众多国家高新区开启“云招商”模式"
    assert [k for k, _ in actors(s)] == ["厦门高新区", "江阴高新区", "嘉兴秀洲高新区", "徐州高新区", "南通高新区", "大庆高新区"]
    assert all(m.level == "国家级" for m in find_mentions(s))
    assert [k for k, _ in actors("而杭州、江门、珠海等国家高新区专门出台相关政策助力企业复工复产。")] == \
        ["杭州高新区", "江门高新区", "珠海高新区"]


def test_generic_and_national_words_are_never_parks():
    assert actors("疫情发生以来，国家级经开区主动对接服务、优化服务，落实落细惠企政策") == []
    assert actors("为了避免疫情防控期间人群集聚，众多国家高新区开启“不见面”审批") == []
    assert actors("开发区一手抓帮办服务，协助区内企业有序复工复产") == []
    assert actors("截至2月24日，自贡高新区板仓工业园区239户企业实现复工复产") == [("自贡高新区", "高新区")]


def test_company_and_reference_mentions_are_not_actors():
    s = "中新苏州工业园区开发集团股份有限公司（股票简称：中新集团）已在上海证券交易所A股挂牌上市。"
    assert [m.role for m in find_mentions(s)] == ["company"]
    assert [m.role for m in find_mentions("开发区借鉴苏州工业园经验，优化行政审批制度流程")] == ["reference"]


def test_descriptor_and_gazetteer_names():
    assert actors("陕西航空经济技术开发区施行“上门服务+定点检测”的方式") == [("陕西航空经开区", "经开区")]
    assert actors("杭州湾上虞经开区10天内建成可容纳1500张床位的应急安置点。") == [("杭州湾上虞经开区", "经开区")]
    assert actors("2月26日，中关村科学城党工委、管委会深入贯彻落实") == [("中关村科学城", "高新区")]
    assert actors("哈尔滨新区江北一体发展区制定出台《关于支持企业有效应对疫情安全有序复工复产的政策措施》") == \
        [("哈尔滨新区", "新区")]


def test_sub_parks_are_not_parks():
    s = "其中，百度科技园采用“小脚印”1米线温馨提示控制人员间距；小米移动互联网产业园在电梯等公共区域设立1米线"
    assert actors(s) == []


def test_traditional_characters():
    assert actors("天津東麗經濟技術開發區全力幫助企業渡過難關") == [("东丽经开区", "经开区")]


def test_names_beyond_the_seeds():
    # forms found in other park reports: a district the place table lacks, a nickname in the gazetteer,
    # a gazetteer stem after a city, and a level word that must not start a name
    assert actors("杭州钱塘新区出台支持企业复工复产的政策") == [("杭州钱塘新区", "新区")]
    assert actors("广州开发区为企业开通线上渠道") == [("广州经开区", "经开区")]
    assert actors("上海漕河泾开发区实行分批复工") == [("漕河泾经开区", "经开区")]
    assert actors("成都天府新区推出十条措施") == [("天府新区", "新区")]
    assert actors("江苏省级开发区和全市各开发区") == []


# ---- recognition from the catalogue (issue 17): sentences of our own, names from the official lists

def test_full_official_names_with_guojia_inside():
    assert actors("黔南州国家高新技术产业开发区出台十条措施") == [("黔南高新区", "高新区")]
    assert actors("株洲国家高新技术产业开发区规上企业全部复工") == [("株洲高新区", "高新区")]
    assert actors("株洲市国家高新区组织企业有序复工") == [("株洲高新区", "高新区")]
    assert actors("郑洛新国家自主创新示范区发布支持政策") == [("郑洛新国家自主创新示范区", "其他")]


def test_autonomous_prefectures_as_articles_write_them():
    assert actors("恩施州经开区为企业协调防疫物资") == [("恩施经开区", "经开区")]
    from loaders.extract.places import short_name, table
    assert short_name("黔东南苗族侗族自治州") == "黔东南" and short_name("博尔塔拉蒙古自治州") == "博尔塔拉"
    assert table().by_name["黔南州"][0].name == "黔南布依族苗族自治州"


def test_special_customs_border_and_airport_zones_from_the_lists():
    assert actors("宁波梅山保税港区帮助企业解决用工难题") == [("宁波梅山保税港区", "其他")]
    assert actors("秦皇岛出口加工区企业陆续复工") == [("秦皇岛出口加工区", "其他")]
    assert actors("瑞丽边境经济合作区企业复工复产有序推进") == [("瑞丽边境经济合作区", "其他")]
    assert actors("青岛胶东临空经济示范区签约项目8个") == [("青岛胶东临空经济示范区", "其他")]
    assert actors("郑州航空港经济综合实验区规上企业复工率达95%") == [("郑州航空港经济综合实验区", "其他")]


def test_zone_kinds_of_the_grammar_for_unlisted_zones():
    assert actors("成都青白江工业集中区推动企业复工") == [("成都青白江工业集中区", "工业园区")]
    assert actors("宜兴环保科技城企业复工率达90%") == [("宜兴环保科技城", "其他")]
    assert actors("许昌市长葛产业集聚区规上企业全部复工") == [("长葛产业集聚区", "其他")]
    assert actors("厦门火炬高技术产业开发区规上企业复工率达98%") == [("厦门高新区", "高新区")]


def test_a_zone_named_only_by_its_bare_word_is_the_listed_zone_of_the_place_flagged():
    from loaders.extract.pipeline import process
    text = ("开发区多措并举助企业复工\n来源：天水日报\n连日来，开发区组织规上企业有序复工。"
            "截至2月18日，开发区规上工业企业复工率达到92%。\n")
    r = process("own", text)
    assert [m["key"] for m in r.mentions] == ["天水经开区"]
    [rate] = [f for f in r.facts if f["metric"] == "reopening_rate"]
    assert rate["park"] == "天水经开区" and "park_from_context" in rate["flags"].split("|")
    # an article that names its park anywhere is about that park: nothing is inferred
    named = text + "天水高新区也出台了支持政策。\n"
    assert "天水经开区" not in [m["key"] for m in process("own", named).mentions]
    # and a place with no listed zone of that kind makes up no zone
    assert process("own", text.replace("天水", "某某")).mentions == []
    # a place the article names less than another (a trip elsewhere) is not where its zone is
    away = ("高新区调研重点项目\n来源：某某日报\n连日来，河南省某某市高新区组织企业有序复工。"
            "河南省领导到高新区调研。会上要求为深圳专题招商作好准备。\n")
    assert "深圳高新区" not in [m["key"] for m in process("own", away).mentions]


def test_parks_named_one_by_one_before_a_category_word_share_a_figure_that_holds_for_each():
    from loaders.extract.pipeline import process
    s = "其中，全省国家级经开区规上工业企业复工率97.1%，苏州工业园区、南京经济技术开发区、徐州经济技术开发区等经开区规上工业企业复工率100%。"
    rates = [(f["park"], f["value"]) for f in process("own", s).facts if f["metric"] == "reopening_rate"]
    assert sorted(rates) == sorted([("苏州工业园区", 100), ("南京经开区", 100), ("徐州经开区", 100)])
    # a figure that need not hold for each (no 均, not 100%, no floor) stays the list's
    s2 = "苏州工业园区、南京经济技术开发区等经开区规上工业企业复工率合计93%。"
    assert not [f for f in process("own", s2).facts if f["metric"] == "reopening_rate"]


def test_airport_economy_zones_by_the_grammar():
    assert actors("广州空港经济区管委会出台暖企措施") == [("广州空港经济区", "其他")]
    assert actors("大连长兴岛经济区组织银企对接") == [("大连长兴岛经开区", "经开区")]


def test_a_zone_no_list_names_is_named_by_its_county_without_the_city_before_it():
    assert actors("扬州高邮高新区规上企业复工率97.7%") == [("高邮高新区", "高新区")]
    assert actors("高邮高新区规上企业复工率97.7%") == [("高邮高新区", "高新区")]
    # a listed name keeps the list's form
    assert actors("项目签约落户南京市江宁滨江开发区") == [("南京江宁滨江经开区", "经开区")]
