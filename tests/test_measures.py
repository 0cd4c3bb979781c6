"""Measure types from cue lists (YAML) through jieba tokens, on seed sentences."""
from loaders.extract.measures import measure_hits


def codes(sentence):
    return set(measure_hits(sentence))


def test_one_sentence_can_carry_several_types():
    s = ("并且制定了中小企业应对疫情保运营降成本稳发展10条措施，在税费缴纳、租金减免、产业扶持资金、"
         "运输车辆通行及贷款贴息、科研经费、法律援助等方面建立帮扶机制")
    assert {"tax_rent_relief", "subsidy_reward", "logistics_pass", "finance_support", "talent_innovation"} <= codes(s)


def test_context_cue_needs_its_context():
    assert "logistics_pass" in codes("银川经开区开辟交通运输“绿色通道”。")
    assert "logistics_pass" not in codes("一是开辟“绿色通道”。")
    assert "worker_return" not in codes("由一名管委会领导联系一家企业，开展“点对点”精准服务。")


def test_examples_from_each_family():
    assert "online_services" in codes("全面推广“一网通办”，全面推行政务事项网上办理和“不见面审批”")
    assert "worker_return" in codes("开发区各相关部门积极协调对接复工直通车，解决外地务工人员返岗的出行难题。")
    assert "quarantine_facility" in codes("杭州湾上虞经开区10天内建成可容纳1500张床位的应急安置点。")
    assert "phased_reopening" in codes("拟复工复产企业只要落实疫情防控主体责任，即可实现“承诺即复工”。")
    assert "enterprise_liaison" in codes("宁波高新区采用“分层结对”复工工作法，通过选派驻企联企服务员、成立工作专班等")
    assert "trade_customs" in codes("杭州经开区帮助企业快速通关，保障货物顺利出口。")
    assert "supply_chain" in codes("复工复产的难点不仅在于员工返岗、原材料、物流等因素，更在于产业链上下游是否都跟得上。")
    assert "business_reform" in codes("深入推进“证照分离”改革，有效解决“办照容易办证难”“准入不准营”等问题。")


def test_cues_do_not_fire_inside_other_words():
    assert "trade_customs" not in codes("针对园区入口、楼宇、企业、园区内部等重点区域，从出入口体温检测")


def test_a_head_count_before_a_cue_is_an_outcome_not_a_measure():
    assert "worker_return" not in codes("目前，园区重点项目已全面复工，29300多名工人返岗工作。")
    assert "worker_return" in codes("开发区开通复工直通车，组织包车接员工返岗。")


def test_figures_and_problems_are_not_measures():
    assert "worker_return" not in codes("全区返岗人数21.75万人，日增1.08万人。")
    assert "protective_supplies" not in codes("防疫物资不足，是企业复工普遍存在的问题之一。")


def test_a_difficulty_a_few_characters_after_a_cue_is_a_problem():
    assert "worker_return" not in codes("节后不少企业面临招工及返岗困难等问题。")
    assert "protective_supplies" not in codes("部分中小企业遇到防疫物资采购短缺的情况。")
    assert "supply_chain" not in codes("开工难、招工难、产业链衔接难，是企业的共同烦恼。")
    # a problem the park solves is a measure; 困难企业 is a kind of firm, not a difficulty
    assert "finance_support" in codes("管委会主动出击，为企业解决融资困难。")
    assert "worker_return" in codes("为缓解员工返岗难，园区开通了专线大巴。")
    assert "finance_support" in codes("园区对受疫情影响的困难企业给予贷款贴息。")


def test_workers_who_already_returned_are_an_outcome():
    assert "worker_return" not in codes("某科技园区八成员工已返岗，生产线全部开动。")
    assert "worker_return" not in codes("该企业职工均已到岗。")
    assert "worker_return" in codes("园区为员工返岗提供包车服务。")


def test_the_forecast_flag_marks_only_forecast_or_target_words():
    from loaders.extract.pipeline import process

    def flagged(sentence):
        r = process("own", "某某经开区复工情况\n" + sentence + "\n")
        rows = [x for x in r.facts + r.measures if x["park"] == "苏州工业园区"]
        assert rows, sentence
        return all("forecast_nearby" in x["flags"].split("|") for x in rows)

    assert flagged("苏州工业园区预计3月底前规上企业将全面复工，并为企业发放口罩5万只。")
    assert flagged("下一步，苏州工业园区将继续组织包车接员工返岗。")
    assert flagged("苏州工业园区签约项目12个，总投资86亿元，全部建成投产后可实现年产值200亿元。")
    # ensure, obtain, a project's planned size and a rule are what was done, not a forecast
    assert not flagged("苏州工业园区为企业配送口罩5万只，确保员工安全返岗。")
    assert not flagged("苏州工业园区帮助企业争取专项贷款2亿元。")
    assert not flagged("苏州工业园区签约项目12个，计划总投资86亿元。")
    assert not flagged("苏州工业园区推行承诺制，企业承诺即可复工。")


def test_cue_tokens_are_the_cue_tokens_of_a_whole_segmentation():
    """Only runs holding a cue are segmented: every cue token jieba.lcut gives is found at its offset."""
    from pathlib import Path

    from loaders.extract.measures import cue_table, cue_tokens, tokens
    from loaders.extract.normalize import normalize, sentences, to_simplified
    cues, context_cues, _ = cue_table()
    for path in sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt")):
        text = normalize(path.read_text(encoding="utf-8"))
        for sent in sentences(text, to_simplified(text)):
            whole, pos = [], 0
            for token in tokens(sent.match):
                if token in cues or token in context_cues:
                    whole.append((token, pos))
                pos += len(token)
            found = [(t, at) for t, at in cue_tokens(sent.match) if t in cues or t in context_cues]
            assert found == whole, sent.match
