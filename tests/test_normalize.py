"""Normalization of real seed text: column breaks joined, widths folded, offsets kept."""
from loaders.extract.normalize import fold_width, normalize, sentences, to_simplified


def test_column_break_inside_word_is_joined():
    raw = "国家级经济技术开发区作为重要的开\n放平台和产业集聚区，统筹兼顾疫情防控\n和经济运行，坚持一手抓防控、一手抓发\n展。\n" * 4
    assert "开放平台" in normalize(raw)
    assert "开\n放" not in normalize(raw)


def test_page_break_inside_date_and_spaces_inside_numbers():
    seed = open("seeds/000_4c439f997b1ef6c3.txt", encoding="utf-8").read()
    text = normalize(seed)
    assert "开发区于2月28日正式启动“包车接员工行动”" in text
    assert "总投资248.26亿元的43个续建项目，复工率达100%" in text
    assert "20394名职工已全部到岗" in text


def test_heading_is_not_glued_to_the_next_sentence():
    seed = open("seeds/000_4c439f997b1ef6c3.txt", encoding="utf-8").read()
    lines = normalize(seed).split("\n")
    assert "精准服务为企业解难题" in lines
    assert "创新提升 为企业复工复产护航" in lines


def test_caption_inside_a_sentence_is_moved_out():
    seed = open("seeds/002_b5beb1ab183b50cc.txt", encoding="utf-8").read()
    text = normalize(seed)
    assert "国家高新区在抓好疫情防控措施落实的情况下，通过出台助力企业复工复产政策" in text
    assert "济宁高新区行政审批服务局全面推行政务事项网上办理和“不见面审批”\n" in text


def test_full_width_forms_fold_and_chinese_punctuation_stays():
    assert fold_width("复工率达到１００％") == "复工率达到100%"
    assert fold_width("河北邯郸经开区:10条措施,真金白银") == "河北邯郸经开区：10条措施，真金白银"
    assert fold_width("长丰(双凤)经开区") == "长丰（双凤）经开区"
    assert fold_width("14:30 与 1,000") == "14:30 与 1,000"


def test_traditional_text_is_matched_in_simplified_with_the_same_offsets():
    text = "天津東麗經開區全力幫助企業渡過難關。目前，經開區在地企業285家，已復工232家，復工率81.4%。\n"
    simple = to_simplified(text)
    assert len(simple) == len(text)
    assert "东丽经开区" in simple
    for s in sentences(text, simple):
        assert text[s.start:s.end] == s.text


def test_sentence_offsets_point_into_the_text():
    seed = open("seeds/004_dbdbb6d4f2f9da5e.txt", encoding="utf-8").read()
    text = normalize(seed)
    for s in sentences(text):
        assert text[s.start:s.end] == s.text
        assert "\n" not in s.text
