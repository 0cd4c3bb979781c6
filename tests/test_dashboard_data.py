"""The dashboard's query layer, labels and evidence HTML, on the dataset the loaders built from the seeds."""
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from dashboard import dataset, text
from dashboard.dataset import Filters
from dashboard.i18n import Labels, _strings


@pytest.fixture(scope="module")
def ds(built):
    return dataset.load(built)


def test_region_filter_keeps_only_that_regions_parks_and_their_rows(ds):
    view = dataset.apply(ds, Filters(region=("西部",)))
    assert len(view.parks) and set(view.parks["region"]) == {"西部"}
    assert set(view.facts["region"]) == {"西部"} and set(view.measures["region"]) == {"西部"}
    assert len(view.parks) < len(ds.parks)
    # documents are those that still have a row
    assert set(view.documents["doc_id"]) == set(view.facts["doc_id"]) | set(view.measures["doc_id"])


def test_measure_filter_keeps_the_parks_that_used_it(ds):
    view = dataset.apply(ds, Filters(measure=("quarantine_facility",)))
    assert set(view.measures["measure_type"]) == {"quarantine_facility"}
    assert set(view.parks["park_id"]) == set(view.measures["park_id"])
    # their figures follow the parks
    assert set(view.facts["park_id"]) <= set(view.parks["park_id"])


def test_doc_filter_keeps_rows_of_that_article(ds):
    doc = ds.documents["doc_id"].iloc[4]
    view = dataset.apply(ds, Filters(doc=(doc,)))
    assert list(view.documents["doc_id"]) == [doc]
    assert set(view.facts["doc_id"]) | set(view.measures["doc_id"]) == {doc}
    assert "宁波高新区" in set(view.parks["name"])


def test_filters_that_match_nothing_give_empty_tables_not_errors(ds):
    view = dataset.apply(ds, Filters(region=("东北",), park_type=("工业园区",)))
    assert view.parks.empty and view.facts.empty and view.measures.empty and view.documents.empty


def test_a_park_without_a_reopening_rate_is_missing_not_zero(ds):
    missing = dataset.parks_without(ds, "reopening_rate")
    assert "中关村科学城" in set(missing["name"])
    rates = dataset.metric_rows(ds, "reopening_rate")
    assert not (rates["park_id"].isin(missing["park_id"])).any()
    medians = dataset.median_by(rates, "region")
    assert (medians["median"] > 0).all() and "东北" not in set(medians["region"])


def test_money_unit_is_chosen_for_readability():
    assert dataset.money_unit(pd.Series([3e9, 5e8])) == ("亿元", 1e8)
    assert dataset.money_unit(pd.Series([1e6, 5e6])) == ("万元", 1e4)
    assert dataset.money_unit(pd.Series([300.0])) == ("元", 1.0)


def test_signed_investment_totals_by_park_with_project_counts(ds):
    totals = dataset.signed_investment_by_park(ds).set_index("park_name")
    # 江阴高新区 signed two named projects: 50亿 + 30亿
    assert totals.at["江阴高新区", "amount"] == 8e9 and totals.at["江阴高新区", "figures"] == 2
    # "济南高新区…6个项目…约60亿元": the count comes from the scope
    assert totals.at["济南高新区", "projects"] == 6
    assert dataset.month_start(pd.Series(["2020-02-20", "2020-03", ""])).dt.strftime("%Y-%m-%d").fillna("").tolist() == \
        ["2020-02-20", "2020-03-01", ""]


def test_crosstab_counts_distinct_parks_and_keeps_empty_cells(ds):
    codes = list(ds.codebook["measure_types"])
    table = dataset.crosstab_parks(ds.measures, "region", ["东部", "中部", "西部", "东北"], codes)
    assert table.shape == (4, 17)
    eastern = ds.measures[(ds.measures["region"] == "东部") & (ds.measures["measure_type"] == "investment_promotion")]
    assert table.at["东部", "investment_promotion"] == eastern["park_id"].nunique()


def test_parks_in_the_same_article_are_linked(ds):
    pid = ds.parks.loc[ds.parks["name"] == "苏州工业园区", "park_id"].item()
    related = dataset.cooccurring_parks(ds, pid)
    assert "大同经开区" in set(related["park_name"]) and pid not in set(related["park_id"])
    # only articles that name the park: 大同 is in the 商务部 article, not in the 高新区 ones
    docs = set(ds.facts.loc[ds.facts["park_id"] == pid, "doc_id"]) | set(ds.measures.loc[ds.measures["park_id"] == pid, "doc_id"])
    assert set(related["doc_id"]) <= docs and "中关村科学城" not in set(related["park_name"])


def test_options_follow_the_data_in_a_stable_order(ds):
    opts = dataset.options(ds, list(ds.codebook["regions"]))
    assert opts["region"] == ["东部", "中部", "西部", "东北"]
    assert opts["province"].index("北京") < opts["province"].index("山西") < opts["province"].index("黑龙江")
    assert len(opts["measure"]) == 17 and len(opts["park"]) == len(ds.parks)


def test_evidence_is_escaped_and_cue_words_marked():
    html = text.highlight("开发区<script>alert(1)</script>实行“一企一案”复工", ["一企一案", "script"])
    assert "<script>" not in html and "&lt;" in html
    assert "“<mark>一企一案</mark>”" in html


def test_traditional_evidence_keeps_its_script_and_is_marked_by_simplified_cues():
    html = text.highlight("園區實行「一企一案」復工，發放防疫物資。", ["一企一案", "防疫物资"])
    assert "<mark>一企一案</mark>" in html and "<mark>防疫物資</mark>" in html


def test_every_label_the_code_asks_for_exists_in_both_languages():
    strings = _strings()
    used = set()
    for path in [ROOT / "app.py", *Path(ROOT / "pages").glob("*.py"), *Path(ROOT / "dashboard").glob("*.py")]:
        used |= set(re.findall(r"""\bt\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 40
    missing = sorted(k for k in used if k not in strings)
    assert not missing, missing
    for key, entry in strings.items():
        if isinstance(entry, dict) and {"zh", "en"} & set(entry):
            assert entry.get("zh") and entry.get("en"), key


def test_codebook_labels_in_english(ds):
    en = Labels("en", ds.codebook)
    assert en.measure("worker_return") == "Worker return and hiring"
    assert en.region("东北") == "Northeast" and en.province("黑龙江") == "Heilongjiang"
    assert en.park("宁波高新区", "高新区") == "宁波高新区 (High-tech zone)"
    assert Labels("zh", ds.codebook).park("宁波高新区", "高新区") == "宁波高新区"


def test_park_total_rows_takes_the_largest_counted_figures_sentence():
    """Each total once, in the totals' order, with the sentence of its largest figure counted (the first listed
    on a tie), the date of that figure when it alone is counted, else the total's last date; figures the rows
    do not hold are not counted, and a total with none of them is left out."""
    rows = pd.DataFrame({"figure_id": ["a", "b", "c", "d"], "park_id": ["P1", "P1", "P2", "P3"],
                         "value_num": [5.0, 5.0, 9.0, 1.0], "evidence": ["sa", "sb", "sc", "sd"],
                         "date": ["2020-02-01", "2020-02-02", "2020-03-01", ""], "reports": [1, 1, 1, 1]})
    totals = pd.DataFrame({"metric": "subsidy_amount", "basis": "total", "park_id": ["P1", "P2", "P4"],
                           "value_num": [10.0, 9.0, 3.0], "value": ["10", "9", "3"], "reports_num": [2, 1, 1],
                           "figures": ["b|a", "c|zz", "yy"], "doc_ids": ["D1|D2", "D3", "D4"],
                           "how": ["sum", "stated", "stated"], "last_as_of": ["2020-02-09", "2020-03-05", ""]})
    ds = dataset.Dataset(parks=pd.DataFrame(), measures=pd.DataFrame(), facts=pd.DataFrame(), documents=pd.DataFrame(),
                         codebook={}, totals=totals)
    out = dataset.park_total_rows(ds, "subsidy_amount", rows)
    assert out["park_id"].tolist() == ["P1", "P2"]
    assert out["evidence"].tolist() == ["sb", "sc"]                 # a tie: the first listed
    assert out["date"].tolist() == ["2020-02-09", "2020-03-01"]     # two counted: the total's date
    assert out["value_num"].tolist() == [10.0, 9.0] and out["reports"].tolist() == [2, 1]
    assert out["figure_id"].tolist() == ["b|a", "c|zz"] and out["how"].tolist() == ["sum", "stated"]
    assert list(out.index) == [0, 1]
    assert dataset.park_total_rows(ds, "subsidy_amount", rows[rows["figure_id"] == "d"]).empty
