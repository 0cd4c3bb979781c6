"""loaders.extract.dates.published_date: the page's own publication date, never an event date of its body.

Every text here is written for these tests in the style of the 2020 articles (a title, a header line, a dateline,
a body); none is copied from a real page. Texts go through `normalize` first, as the build does."""
import pytest

from loaders.extract.dates import published_date
from loaders.extract.normalize import normalize

BODY = "某某经开区坚持防控和生产两手抓，园区规上工业企业复工率达到90%。\n"


def date_of(raw: str) -> str:
    return published_date(normalize(raw))


# ---- forms that give the page's date ---------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    # labelled header lines
    ("某某高新区多举措助企复工\n发布时间：2020-03-03 录入：管委会办公室\n" + BODY, "2020-03-03"),
    ("园区复工进展\n来源：某某日报 发布日期：2020-02-21【字体：大 中 小】\n" + BODY, "2020-02-21"),
    ("某某园区动态\n时间：2020-02-21 浏览次数：12\n" + BODY, "2020-02-21"),
    ("某某园区动态\n日期：2020/2/21\n" + BODY, "2020-02-21"),
    ("开发区新闻\n发布时间：2020年03月01日\n" + BODY, "2020-03-01"),
    ("开发区新闻\n作者：佚名 发表于：2020-3-6 18:02:11\n" + BODY, "2020-03-06"),
    ("開發區新聞\n發佈時間：2020-03-03\n" + BODY, "2020-03-03"),               # traditional script
    # a date stamped with a clock time under the title
    ("某某新区复工复产按下快进键\n2020-03-01 09:30\n" + BODY, "2020-03-01"),
    ("某某新区复工复产按下快进键\n2020-03-01 09:30:15 来源：某某网\n" + BODY, "2020-03-01"),
    ("某某新区复工复产\n2020年03月05日 08:12 | 来源：某某日报\n" + BODY, "2020-03-05"),
    ("某某新区复工复产\n作者：未知 来源：某某网 2020/2/24 12:13:00 点击数：3\n" + BODY, "2020-02-24"),
    ("某某新区复工复产\n编辑：王某 2020-03-04 09:22:03\n" + BODY, "2020-03-04"),
    ("某某新区复工复产\n09.02.2020 13:50\n" + BODY, "2020-02-09"),                  # day first, year last
    ("某某新区复工复产\n20-03-01 08:35 来源：某某网\n" + BODY, "2020-03-01"),          # two-digit year
    # a newspaper's edition line
    ("2020年03月16日 星期一\n第A05版：经济\n园区稳步复工\n" + BODY, "2020-03-16"),
    ("园区稳步复工\n" + BODY + "某某日报 经济 00003 园区稳步复工 2020年03月04日 星期三\n", "2020-03-04"),
    # a date on a line of its own, with a source after it or a headline before it
    ("园区复工通报\n来源：互联网\n2020-02-19\n" + BODY, "2020-02-19"),
    ("甲开发区上半年指标回升\n2020-07-13甲开发区\n" + BODY, "2020-07-13"),
    ("乙高新区普惠贷款再上台阶2020年08月03日\n" + BODY, "2020-08-03"),
    ("园区减免租金\n来源：某某网 | 2020-03-05\n" + BODY, "2020-03-05"),
    # an editor's sign-off at the foot
    ("园区稳步复工\n" + BODY + "（编辑：王某某）2020-03-05\n", "2020-03-05"),
    # datelines
    ("某某开发区规上企业全部复工\n新华社南京3月5日电（记者 张某）" + BODY, "2020-03-05"),
    ("标题\n中新网3月5日电 某某经开区近日出台措施，支持园区企业复工。\n", "2020-03-05"),
    ("标题\n人民网北京2月24日电（记者 李某）某某科技园复工率达到八成。\n", "2020-02-24"),
    ("標題\n人民網北京2月24日電（記者 李某）某某科技園復工率達到八成。\n", "2020-02-24"),
    ("标题\n本报某市3月1日电（记者 赵某）园区十二个项目同日开工。\n", "2020-03-01"),
    ("标题\n某某网2月25日讯（某某日报记者 周某）昨日，园区最后两家企业恢复生产。\n", "2020-02-25"),
    ("标题\n央视新闻3月12日消息，丙片区规上企业复工率已接近九成五。\n", "2020-03-12"),
    ("标题\n新华社某地2021年5月21日电（记者 王某）丁新区一季度投资回升。\n", "2021-05-21"),  # a stated year wins
    # an aggregator's month.day title prefix
    ("02.26戊园区再推三项纾困举措\n园区对入驻小微企业免收一个月租金。\n", "2020-02-26"),
])
def test_forms_give_the_page_date(raw, expected):
    assert date_of(raw) == expected


def test_full_width_forms_are_folded_before_matching():
    assert date_of("园区复工\n２０２０－０３－０１　０９：３０\n" + BODY) == "2020-03-01"
    assert date_of("园区复工\n发布时间：２０２０年３月１日\n" + BODY) == "2020-03-01"


def test_a_header_outranks_a_dateline_and_an_event():
    raw = ("某省开发区复工率超九成\n2020年03月02日 10:12 来源：某某日报\n"
           "本报某市3月1日电（记者 胡某）前天，园区与五家企业签下合作协议。\n")
    assert date_of(raw) == "2020-03-02"
    # the e-paper edition line at the foot dates the page; the dateline gives the day the story was filed
    raw = "本报某市3月3日电（记者 沈某）己园区为小微企业延后收租。\n" + BODY + "某某日报 要闻 00004 2020年03月04日 星期三\n"
    assert date_of(raw) == "2020-03-04"


# ---- dates that are not the page's ------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    # an event date opening the first sentence, with or without a reporter's credit before it
    "2月16日，庚经开区负责人到三家配套企业察看开工准备。\n" + BODY,
    "本报讯（记者 李某）2月20日，辛高新区在线签下四个项目。\n" + BODY,
    "【本报讯】（记者 马某）2月17日，园区召集企业代表商量返岗包车。\n" + BODY,
    "6月2日，壬经济开发区第二批重点项目线上落地，合计投资12亿元。\n",
    # cut-offs, periods, updates
    "截至2月20日 癸园区恢复生产企业百余家\n截至2月20日\n" + BODY,
    "园区复工情况一览\n表中数字统计于2020年2月19日\n" + BODY,
    "优惠期为2020年2月1日至4月30日，园区厂房租金按半数收取。\n" + BODY,
    "企业2020年2月1日起申请的贴息可追溯计算。\n",
    # a full date inside a body sentence, and a 2019 year in the body
    "外省的十名技术员已在2020年3月6日乘园区安排的大巴返岗。\n",
    "2019年12月20日，园区第三座标准厂房完成验收。节后，入驻企业陆续复工。\n",
    # a cited report, a cited story, a cited document
    "据《某某日报》2月20日报道，子新区在产企业过千家。\n" + BODY,
    "标题\n园区负责人介绍，据新华社3月5日电，多地开发区复工过半。\n",
    "园区执行《关于帮扶小微企业的九条意见》（某政发〔2020〕3号），文件2020年2月10日下发。\n",
    # a month.day that is not at the very start of the text
    "某某园区动态\n园区12.50万元补贴已发放。02.26起接受申请。\n",
])
def test_body_dates_are_not_the_page_date(raw):
    assert date_of(raw) == ""


def test_dates_outside_the_corpus_years_are_repost_stamps():
    # a mirror's repost stamp and a site's "today" widget, on pages about early-2020 reopening
    assert date_of("丑园区规上企业全部复工\n2022/9/29 来源：不详\n" + BODY) == ""
    assert date_of("园区复工\n时间：2024-05-01 22:51:09 来源：某某资讯\n" + BODY) == ""
    # … but a real header after the widget still counts
    assert date_of("2023年03月29日 星期三\n园区租金补助\n发布日期：2020-04-03\n" + BODY) == "2020-04-03"


def test_impossible_dates_are_refused():
    assert date_of("园区复工\n发布时间：2020-02-30\n" + BODY) == ""
    assert date_of("园区复工\n2020年13月01日 星期一\n" + BODY) == ""
    assert date_of("标题\n新华社某地2月30日电（记者 某某）园区企业复工。\n") == ""
    assert date_of("园区复工\n发布时间：2020-02-29\n" + BODY) == "2020-02-29"      # 2020 is a leap year


def test_the_head_and_the_tail_only():
    # a dateline deep in the body (a quoted story) is not the page's
    raw = "园区动态\n" + BODY * 20 + "中新网3月5日电 园区企业复工率达到95%。\n" + BODY * 20
    assert date_of(raw) == ""


def test_empty_text():
    assert published_date("") == ""
    assert published_date("   \n") == ""
    assert date_of("园区企业有序复工。\n") == ""


# ---- the benchmark's date score ---------------------------------------------------------------------

def test_the_benchmark_counts_right_wrong_missed_and_spurious_dates():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import realworld
    import datetime

    articles = [{"id": "a", "published": datetime.date(2020, 3, 5)},     # YAML reads a bare date as a date
                {"id": "b", "published": "2020-03-06"},
                {"id": "c", "published": "2020-03-07"},
                {"id": "d", "published": None},
                {"id": "e", "published": None},
                {"id": "f"}]                                            # not annotated: not counted
    got = {"a": "2020-03-05", "b": "2020-03-01", "c": "", "d": "2020-03-08", "e": "", "f": "2020-01-01"}
    t = realworld.score_published(articles, got)
    assert (t.hit, t.wrong, t.missed, t.spurious, t.empty, t.n) == (1, 1, 1, 1, 1, 5)
    assert (t.pred, t.want) == (3, 3)
    assert t.precision == 1 / 3 and t.recall == 1 / 3 and t.accuracy == 2 / 5
    assert t.wrongs == ["b: 2020-03-01, is 2020-03-06", "d: 2020-03-08, gives none"]
    assert t.misses == ["c: 2020-03-07"]
