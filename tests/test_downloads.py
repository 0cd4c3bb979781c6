"""Download bytes: CSV with BOM, XLSX sheets, JSON, and formula injection neutralised."""
import csv
import io
import json

import openpyxl
import pandas as pd
import pytest

from dashboard import dataset, downloads
from dashboard.dataset import Filters

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+86 10 1234", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture(scope="module")
def ds(built):
    return dataset.load(built)


@pytest.fixture(scope="module")
def hostile_facts(ds):
    """Real fact rows whose evidence has been replaced by text a spreadsheet would run."""
    facts = downloads.export_frame("facts", ds.facts.head(len(HOSTILE))).copy()
    facts["evidence"] = HOSTILE
    return facts


def test_csv_has_a_bom_decodes_and_keeps_the_columns(ds):
    view = dataset.apply(ds, Filters(region=("东部",)))
    data = downloads.to_csv(downloads.export_frame("parks", view.parks))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == downloads.EXPORT_COLUMNS["parks"]
    assert len(rows) == len(view.parks) and {r["region"] for r in rows} == {"东部"}
    assert "苏州工业园区" in {r["name"] for r in rows}


def test_csv_neutralises_formulas(hostile_facts):
    rows = list(csv.DictReader(io.StringIO(downloads.to_csv(hostile_facts).decode("utf-8-sig"), newline="")))
    assert [r["evidence"] for r in rows] == ["'" + h for h in HOSTILE]  # one row each: the CR is quoted
    # ordinary text and numbers are untouched
    assert rows[0]["park_name"] == hostile_facts["park_name"].iloc[0] and rows[0]["value"] == hostile_facts["value"].iloc[0]


def test_xlsx_has_a_sheet_per_table_the_codebook_and_the_filters(ds, hostile_facts):
    view = dataset.apply(ds, Filters(park_type=("高新区",)))
    tables = {name: downloads.export_frame(name, view.table(name)) for name in dataset.TABLES}
    tables["facts"] = pd.concat([tables["facts"], hostile_facts])
    filters = {"park_type": ["高新区"]}
    book = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(tables, ds.codebook, filters)))
    assert book.sheetnames == ["parks", "measures", "facts", "documents", "codebook", "filters"]
    parks = list(book["parks"].values)
    assert list(parks[0]) == downloads.EXPORT_COLUMNS["parks"] and len(parks) == len(view.parks) + 1
    facts = list(book["facts"].values)
    header = facts[0]
    evidence = [row[header.index("evidence")] for row in facts[1:]]
    # (read back without lxml, XML turns a CR into a LF; with lxml it stays a CR)
    assert [e.replace("\r", "\n") for e in evidence[-len(HOSTILE):]] == ["'" + h.replace("\r", "\n") for h in HOSTILE]
    # no cell is a formula, and values are numbers
    assert all(c.data_type != "f" for row in book["facts"].iter_rows() for c in row)
    assert isinstance(facts[1][header.index("value")], (int, float))
    codes = {row[1] for row in book["codebook"].values}
    assert {"worker_return", "reopening_rate", "per_person"} <= codes
    described = {row[0]: row[1] for row in book["filters"].values}
    assert described["filter: park_type"] == "高新区" and described["rows: parks"] == str(len(view.parks))


def test_json_keeps_chinese_and_says_which_filters(ds):
    view = dataset.apply(ds, Filters(province=("江苏",)))
    tables = {"parks": downloads.export_frame("parks", view.parks)}
    data = downloads.to_json(tables, {"province": ["江苏"]})
    assert "苏州工业园区".encode() in data
    body = json.loads(data)
    assert body["filters"] == {"province": ["江苏"]}
    assert {p["province"] for p in body["tables"]["parks"]} == {"江苏"}


def test_json_of_several_tables_is_one_valid_document_with_every_value():
    """Tables are written as pandas' own JSON, joined: the whole must still parse, every cell as it was."""
    hard = 'say "复工" \\ then\nnext line\t😀 </script>'
    tables = {"facts": pd.DataFrame({"park": ["苏州工业园区", hard], "value": [95.5, float("nan")],
                                     "count": pd.array([3, None], dtype="Int64")}),
              "empty": pd.DataFrame({"park": pd.Series([], dtype=object)}),
              'odd "name"': pd.DataFrame({"x": [1]})}
    body = json.loads(downloads.to_json(tables, {"province": ["江苏"], "q": ['"引号"']}))
    assert body["filters"] == {"province": ["江苏"], "q": ['"引号"']}
    assert body["tables"] == {"facts": [{"park": "苏州工业园区", "value": 95.5, "count": 3},
                                        {"park": hard, "value": None, "count": None}],
                              "empty": [], 'odd "name"': [{"x": 1}]}


def test_file_names_say_what_they_hold():
    assert downloads.file_name("facts", {}, "csv") == "parks-reopening_facts_all.csv"
    name = downloads.file_name("reopening-rates", {"region": ["东部", "西部"], "park_type": ["高新区"]}, "xlsx")
    assert name == "parks-reopening_reopening-rates_region-东部+西部_park_type-高新区.xlsx"
    assert "/" not in downloads.file_name("x", {"doc": ["../../etc/passwd"]}, "csv")


def test_xlsx_keeps_text_as_text_and_missing_cells_empty():
    frame = pd.DataFrame({"doc_id": ["0012", "https://example.cn/a"], "value": ["12.5", "约三成"],
                          "lat": [30.5, float("nan")], "evidence": ["第一行\r\n第二行", "=1+1"],
                          "when": pd.to_datetime(["2020-02-10", None])})
    book = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx({"facts": frame}, {}, {})))
    sheet = book["facts"]
    rows = list(sheet.values)
    assert rows[1][:3] == ("0012", 12.5, 30.5)             # an id that looks like a number stays text
    assert rows[2][:3] == ("https://example.cn/a", "约三成", None)
    assert rows[1][3] == "第一行\n第二行" and rows[2][3] == "'=1+1"
    assert (rows[1][4], rows[2][4]) == ("2020-02-10", None)    # a date as the CSV writes it, not a serial number
    assert not sheet._hyperlinks and all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_refuses_a_table_longer_than_a_sheet_in_one_line(monkeypatch):
    monkeypatch.setattr(downloads, "EXCEL_ROWS", 3)
    frame = pd.DataFrame({"doc_id": ["a", "b", "c"]})
    with pytest.raises(ValueError, match="facts: 3 rows, more than a sheet holds .2.; download it as CSV or Parquet"):
        downloads.to_xlsx({"facts": frame}, {}, {})
