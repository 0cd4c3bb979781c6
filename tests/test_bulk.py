"""Collections of articles in one file (CSV, XLSX, JSON Lines, ZIP) or a folder: columns recognised by name in
Chinese and English, bad rows named by their number and reason while the rest are stored, exact duplicates
skipped and reported, row metadata kept beside each text."""
import io
import json
import zipfile

import pytest
from openpyxl import Workbook

from loaders.articles import bulk, store
from loaders.cli import main
from loaders.articles.read import InputError

A = "2月19日，江门高新区举行项目云签约活动，共签约项目3个，总投资5.8亿元。"
B = "截至2月20日，宁波高新区规上工业企业复工率达86%，组织专车接回员工1200人。"
C = "3月2日，合肥经开区为企业减免房租320万元，发放稳岗补贴86万元。"


def csv_bytes(rows, encoding="utf-8", header="标题,正文,发布时间,来源,链接"):
    lines = [header] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_columns_are_recognised_by_their_names_in_chinese_and_english():
    assert bulk.guess_mapping(["标题", "内容", "发布时间", "媒体", "原文链接"]) == \
        {"text": "内容", "title": "标题", "published": "发布时间", "source": "媒体", "url": "原文链接"}
    assert bulk.guess_mapping(["Title", "Body", "Publish Date", "Source", "URL", "id"]) == \
        {"text": "Body", "title": "Title", "published": "Publish Date", "source": "Source", "url": "URL"}
    assert bulk.guess_mapping(["id", "news_content"])["text"] == "news_content"     # a name holding one
    with pytest.raises(InputError, match="no column holds the article text"):
        bulk.check_mapping(bulk.guess_mapping(["id", "headline"]), ["id", "headline"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_in_any_encoding_gives_its_rows_and_names_the_bad_ones(encoding):
    data = csv_bytes([["江门签约", A, "2020/2/19", "江门日报", "http://a"], ["空的", "", "", "", ""],
                      ["英文", "English only here", "", "", ""], ["宁波复工", B, "2020年2月20日", "", ""]], encoding)
    found = bulk.read("news.csv", data)
    assert [(r.where, r.title, r.published, r.source, r.url) for r in found.rows] == [
        ("news.csv row 2", "江门签约", "2020-02-19", "江门日报", "http://a"),
        ("news.csv row 5", "宁波复工", "2020-02-20", "", "")]
    assert [b.line() for b in found.bad] == ["refused news.csv row 3: empty text (column '正文')",
                                             "refused news.csv row 4: no Chinese text found"]


def test_a_mapping_chosen_by_the_user_wins():
    data = csv_bytes([["x", A, "y"]], header="编号,文字,备注")
    with pytest.raises(InputError):
        bulk.read("a.csv", data)
    [row] = bulk.read("a.csv", data, {"text": "文字", "title": "编号"}).rows
    assert row.text.startswith("2月19日") and row.title == "x"


def test_xlsx_and_jsonl():
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Text", "Date"])
    sheet.append(["宁波", B, "2020-02-20 09:30"])
    sheet.append([None, None, None])                    # a blank row is no article
    sheet.append(["合肥", C, 20200302])
    buffer = io.BytesIO()
    book.save(buffer)
    found = bulk.read("news.xlsx", buffer.getvalue())
    assert [(r.where, r.title, r.published) for r in found.rows] == [("news.xlsx row 2", "宁波", "2020-02-20"),
                                                                     ("news.xlsx row 4", "合肥", "")]
    lines = [json.dumps({"headline": "江门", "content": A, "pubdate": "2020-02-19T08:00:00+08:00"}, ensure_ascii=False),
             "{not json", json.dumps(["a list"]), "", json.dumps({"content": C, "pubdate": 1583107200}, ensure_ascii=False)]
    found = bulk.read("crawl.jsonl", "\n".join(lines).encode("utf-8"))
    assert [(r.where, r.title, r.published) for r in found.rows] == [("crawl.jsonl line 1", "江门", "2020-02-19"),
                                                                     ("crawl.jsonl line 5", "", "2020-03-02")]
    assert [b.where for b in found.bad] == ["crawl.jsonl line 2", "crawl.jsonl line 3"]


def test_an_html_body_is_read_as_a_page():
    found = bulk.read("a.csv", csv_bytes([["t", f"<div><p>{A}</p><script>var x=1;</script></div>", "", "", ""]]))
    assert found.rows[0].text.strip() == A


def zip_of(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buffer.getvalue()


def test_a_zip_of_mixed_files():
    data = zip_of({"a.txt": A.encode("gb18030"), "sub/b.html": f"<html><body><p>{B}</p></body></html>",
                   "items.csv": csv_bytes([["合肥", C, "2020-03-02", "", ""], ["坏", "", "", "", ""]]),
                   "tool.exe": b"MZ\x00\x00", "__MACOSX/._a.txt": b"junk", ".hidden.txt": A})
    found = bulk.read("news.zip", data)
    assert [r.where for r in found.rows] == ["news.zip: a.txt", "news.zip: sub/b.html", "news.zip: items.csv row 2"]
    assert [b.where for b in found.bad] == ["news.zip: items.csv row 3", "news.zip: tool.exe"]
    with pytest.raises(InputError, match="not a ZIP"):
        bulk.read("x.zip", b"PK not really")


def test_the_command_line_stores_a_collection_row_by_row(tmp_path, capsys):
    data = tmp_path / "data"
    news = tmp_path / "news.csv"
    news.write_bytes(csv_bytes([["江门签约", A, "2020/2/19", "江门日报", "http://a"], ["空的", "", "", "", ""],
                                ["又一次", A, "", "", ""], ["宁波复工", B, "", "", ""]]))
    assert main(["add", str(news), "--data", str(data)]) == 2          # one row refused
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{news}: columns text=正文, title=标题, published=发布时间, source=来源, url=链接"
    assert "refused news.csv row 3: empty text (column '正文')" in out
    assert any(line.startswith("duplicate ") and "news.csv row 4" in line for line in out)
    assert out[-1] == f"{news}: added 2 article(s), skipped 1 duplicate(s), refused 1 row(s)"
    index = store.read_index(data)
    assert sorted(e["title"] for e in index.values()) == ["宁波复工", "江门签约"]
    [jiangmen] = [aid for aid, e in index.items() if e["title"] == "江门签约"]
    assert index[jiangmen] | {"added": ""} == index[jiangmen] | {
        "name": "江门签约", "format": "row", "where": "news.csv row 2", "source": "江门日报", "url": "http://a",
        "published": "2020-02-19", "added": ""}
    original = json.loads((data / "articles" / "originals" / f"{jiangmen}.json").read_text(encoding="utf-8"))
    assert original["正文"] == A and original["来源"] == "江门日报"
    # the same file again: everything is a duplicate, nothing is stored twice
    assert main(["add", str(news), "--data", str(data)]) == 2
    assert capsys.readouterr().out.splitlines()[-1].endswith("added 0 article(s), skipped 3 duplicate(s), refused 1 row(s)")
    assert len(store.read_index(data)) == 2


def test_the_command_line_takes_a_folder_and_a_column_mapping(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / "deep").mkdir(parents=True)
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "deep" / "t.csv").write_bytes(csv_bytes([["宁波", B]], header="编号,文字"))
    data = tmp_path / "data"
    assert main(["add", str(folder), "--data", str(data)]) == 2       # t.csv has no text column it knows
    assert "no column holds the article text" in capsys.readouterr().out
    assert main(["add", str(folder), "--column", "text=文字", "--column", "title=编号", "--data", str(data)]) == 0
    assert sorted(e.get("title", e["name"]) for e in store.read_index(data).values()) == ["a.txt", "宁波"]
    assert main(["add", str(folder), "--column", "body=文字", "--data", str(data)]) == 2
    assert "use FIELD=COLUMN" in capsys.readouterr().out


def test_a_built_collection_carries_its_rows_title_source_url_and_date(tmp_path, capsys):
    """Row metadata lands in documents.csv; a date from the column only where the text states none."""
    from conftest import ROOT, read_csv
    data = tmp_path / "data"
    dated = "新华社宁波2月20日电 " + B
    news = tmp_path / "news.csv"
    undated = A.split("，", 1)[1]                   # no date of its own in the text
    news.write_bytes(csv_bytes([["江门签约", undated, "2020/2/19", "江门日报", "http://a"],
                                ["宁波复工", dated, "2020-03-01", "宁波晚报", "http://b"],
                                ["坏行", "", "", "", ""]]))
    assert main(["add", str(news), "--data", str(data)]) == 2
    from loaders.cli import build
    assert build(ROOT / "seeds", data, echo=lambda line: None, with_store=True) == 0
    docs = {d["title"]: d for d in read_csv(data / "documents.csv") if d["origin"] == "imported"}
    assert docs["江门签约"] | {"doc_id": "", "sha256": "", "chars": "", "status": ""} == {
        "doc_id": "", "title": "江门签约", "source": "江门日报", "published": "2020-02-19", "published_basis": "column",
        "url": "http://a", "chars": "", "sha256": "", "origin": "imported", "duplicate_of": "", "status": ""}
    assert (docs["宁波复工"]["published"], docs["宁波复工"]["published_basis"]) == ("2020-02-20", "text")
    seeds = [d for d in read_csv(data / "documents.csv") if d["origin"] == "seed"]
    assert seeds and all(d["published_basis"] == ("text" if d["published"] else "") for d in seeds)
    assert {d["url"] for d in seeds} == {""}
    # facts of the dated-by-column article are dated by it
    facts = [f for f in read_csv(data / "facts.csv") if f["doc_id"] == docs["江门签约"]["doc_id"]]
    assert facts and {(f["as_of"], f["date_basis"]) for f in facts} == {("2020-02-19", "published")}


def test_the_app_says_when_the_store_holds_articles_the_tables_lack(tmp_path, monkeypatch):
    import shutil
    from streamlit.testing.v1 import AppTest
    from conftest import ROOT
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("PARKS_DATA_DIR", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not [i for i in at.info if "还不在数据集中" in i.value]
    news = tmp_path / "news.csv"
    news.write_bytes(csv_bytes([["江门", A, "", "", ""], ["宁波", B, "", "", ""]]))
    assert main(["add", str(news), "--data", str(data)]) == 0           # stored, not built
    at.run()
    assert [i.value for i in at.info if "还不在数据集中" in i.value][0].startswith("另有 2 篇")
