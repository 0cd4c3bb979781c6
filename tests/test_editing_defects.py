"""Editing defects from the issue tracker, each pinned by a test that failed before its fix:

A (item 18) an article with no recognised park is kept (documents.status no_park), readable, searchable, listed on the
  review page, and an editor can name its park (a set_park correction on the document that survives rebuilds);
B (item 11) an imported article is titled by its headline, never by its dateline;
C (item 5)  a park keeps its id through a rename, and a merged park's id redirects to the surviving park;
D (item 4)  rename, merge and set-park are offered on the review and profile pages, to editors only.
"""
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, read_csv, run_cli
from test_app import open_app
from loaders.correct import corrections as c
from loaders.access import hash_password

SEED = "001_138f6120ad557839.txt"
# an article that names no park: only 园区, 管委会 (the passage's park, if anyone says which one)
NO_PARK = ("新华社南京3月5日电（记者 张三）\n\n"
           "今天，园区内规上工业企业复工率达到92%，管委会为企业发放防疫补贴300万元，并开通复工专车接送员工返岗。\n")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(ROOT / "seeds" / SEED, folder)
    (folder / "nopark.txt").write_text(NO_PARK, encoding="utf-8")
    return folder


def build(seeds: Path, out: Path, *extra: str):
    proc = run_cli("build", "--seeds", str(seeds), "--out", str(out), *extra,
                   env={"LOADERS_CACHE_DIR": str(out.parent / "cache")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


# ---------------------------------------------------------------- A: articles with no park are kept

def test_an_article_with_no_park_is_kept_readable_and_searchable(seeds, tmp_path):
    from loaders.publish.search import SearchIndex
    out = tmp_path / "data"
    proc = build(seeds, out)
    docs = {d["doc_id"]: d for d in read_csv(out / "documents.csv")}
    assert docs["nopark"]["status"] == "no_park" and docs[SEED[:-4]]["status"] == "ok"
    assert "no park found in" in proc.stdout and "kept as nopark with status no_park" in proc.stdout
    assert "1 with no park" in proc.stdout and "skipped 0 file(s)" in proc.stdout
    text = (out / "texts" / "nopark.txt").read_text(encoding="utf-8")
    assert int(docs["nopark"]["chars"]) == len(text)
    assert not [f for f in read_csv(out / "facts.csv") if f["doc_id"] == "nopark"]
    # searchable: the index is built over every document of documents.csv
    index = SearchIndex.build({d: (out / "texts" / f"{d}.txt").read_text(encoding="utf-8") for d in docs})
    assert [h.doc_id for h in index.search("复工专车")] == ["nopark"]
    book = (out / "codebook.yaml").read_text(encoding="utf-8")
    assert "document_statuses:" in book and "no_park:" in book


def test_the_data_package_declares_the_document_status(seeds, tmp_path):
    from loaders.publish import package
    out = tmp_path / "data"
    build(seeds, out)
    tables, book, notes = package.load(out)
    assert notes == []
    fields = {f["name"]: f for f in package.schema("documents", book)["fields"]}
    assert fields["status"]["constraints"]["enum"] == ["ok", "no_park"]
    assert "no_park" in fields["status"]["description"]


def test_naming_the_park_of_an_article_extracts_it_for_that_park_and_survives_rebuilds(seeds, tmp_path):
    out = tmp_path / "data"
    build(seeds, out)
    record = {"action": "set_park", "target": {"doc_id": "nopark"}, "set": {"park": "南京经开区"}, "author": "审核员甲"}
    proc = run_cli("corrections", "import", str(write_jsonl(tmp_path / "c.jsonl", [record])), "--data", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "run python -m loaders build" in proc.stdout
    for extra in ((), ("--no-cache",)):            # the next build, and any later one, extracts it for the park
        proc = build(seeds, out, *extra)
        assert "applied 1 of 1 correction(s); 0 orphaned" in proc.stdout
        parks = {p["park_id"]: p for p in read_csv(out / "parks.csv")}
        facts = [f for f in read_csv(out / "facts.csv") if f["doc_id"] == "nopark"]
        assert sorted((parks[f["park_id"]]["name"], f["metric"], f["value"]) for f in facts) == [
            ("南京经开区", "reopening_rate", "92"), ("南京经开区", "subsidy_amount", "3000000")]
        assert all("park_from_editor" in f["flags"].split("|") for f in facts)
        measures = {m["measure_type"] for m in read_csv(out / "measures.csv") if m["doc_id"] == "nopark"}
        assert "worker_return" in measures
        nanjing = next(p for p in parks.values() if p["name"] == "南京经开区")
        assert (nanjing["province"], nanjing["city"]) == ("江苏", "南京")
        assert {d["doc_id"]: d["status"] for d in read_csv(out / "documents.csv")}["nopark"] == "ok"
        assert read_csv(out / "orphaned.csv") == []
    listed = run_cli("corrections", "list", "--data", str(out)).stdout
    assert "set_park 南京经开区 for nopark" in listed and "in force" in listed
    # withdrawn, the article is extracted again without it (a build does that; the command says so)
    rid = c.read(out)[0][0]["id"]
    proc = run_cli("corrections", "withdraw", rid, "--data", str(out))
    assert proc.returncode == 0 and "run python -m loaders build" in proc.stdout
    build(seeds, out)
    assert {d["doc_id"]: d["status"] for d in read_csv(out / "documents.csv")}["nopark"] == "no_park"
    assert not [f for f in read_csv(out / "facts.csv") if f["doc_id"] == "nopark"]


def test_a_new_park_named_for_an_article_takes_the_place_given():
    record = c.check({"action": "set_park", "target": {"doc_id": "nopark"},
                      "set": {"park": "江北某某产业园", "province": "江苏", "city": "南京", "park_type": "工业园区"}})
    assert record["set"]["park"] == "江北某某产业园"
    for bad, reason in [({"target": {"doc_id": "nopark"}, "set": {"province": "江苏"}}, "needs park"),
                        ({"target": {"doc_id": "no park!"}, "set": {"park": "A"}}, "not a document id"),
                        ({"target": {"doc_id": "nopark", "exact": "x"}, "set": {"park": "A"}}, "targets only doc_id"),
                        ({"target": {"doc_id": "nopark"}, "set": {"park": "A", "colour": "red"}}, "cannot set colour")]:
        with pytest.raises(c.CorrectionError, match=reason):
            c.check({"action": "set_park", **bad})


def test_an_article_with_no_park_can_be_kept_from_the_import_preview():
    from dashboard import imports
    p = imports.preview("nopark.txt", NO_PARK.encode("utf-8"))
    assert p.ok and p.note and p.parks.empty and p.doc_id.startswith("imp_")


@pytest.fixture()
def app_data(tmp_path, monkeypatch):
    """A private copy of data/ with the no-park article imported (the dashboard builds seeds/ + the store)."""
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out, ignore=shutil.ignore_patterns("extracted"))
    article = tmp_path / "nopark.txt"
    article.write_text(NO_PARK, encoding="utf-8")
    env = {"LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    proc = run_cli("add", str(article), "--data", str(out), "--build", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    monkeypatch.setenv("PARKS_DATA_DIR", str(out))
    monkeypatch.setenv("LOADERS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PARKS_EDITOR_PASSWORD_HASH", raising=False)
    monkeypatch.setenv("PARKS_AUTHOR", "审核员甲")
    return out


def open_reader(doc: str):
    """The reader on `doc` (open_app's first run, on the overview, drops the reader's own `read` parameter)."""
    at = open_app("reader")
    at.query_params["read"] = doc
    at.run()
    assert at.selectbox(key="w_read").value == doc
    return at


def no_park_id(data: Path) -> str:
    return next(d["doc_id"] for d in read_csv(data / "documents.csv") if d["status"] == "no_park")


def test_the_review_page_lists_articles_with_no_park(app_data):
    doc = no_park_id(app_data)
    at = open_app("review")
    listed = [m.value for m in at.markdown if f"read={doc}" in m.value]
    assert listed and "reader?" in listed[0]
    assert any("未识别出园区的文章（1）" in e.label for e in at.expander)


def test_an_editor_names_the_park_from_the_reader(app_data):
    doc = no_park_id(app_data)
    at = open_reader(doc)
    assert any("没有在这篇文章中识别出园区" in i.value for i in at.info)
    at.text_input(key=f"docpark-reader-{doc}-park").set_value("南京经开区")
    at.button(key="docpark-save-reader").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("南京经开区" in s.value for s in at.success), [e.value for e in at.error]
    [record] = [json.loads(line) for line in (app_data / "corrections.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["action"] == "set_park" and record["target"] == {"doc_id": doc} and record["author"] == "审核员甲"
    parks = {p["park_id"]: p["name"] for p in read_csv(app_data / "parks.csv")}
    facts = [f for f in read_csv(app_data / "facts.csv") if f["doc_id"] == doc]
    assert {(parks[f["park_id"]], f["metric"]) for f in facts} == {("南京经开区", "reopening_rate"),
                                                                  ("南京经开区", "subsidy_amount")}
    # the page shows the new rows at once
    page = next(m.value for m in at.markdown if "class='reader'" in m.value)
    assert page.count("<mark") == 2


def test_readers_without_editor_rights_get_no_park_form(app_data, monkeypatch):
    monkeypatch.setenv("PARKS_EDITOR_PASSWORD_HASH", hash_password("open sesame", iterations=1000))
    doc = no_park_id(app_data)
    at = open_reader(doc)
    assert not [t for t in at.text_input if t.key == f"docpark-reader-{doc}-park"]


# ---------------------------------------------------------------- B: titles are headlines, never datelines

HEADLINE = "南京经开区重点企业复工率超九成"
BODY = "今天，南京经开区规上工业企业复工率达到92%，管委会为企业发放防疫补贴300万元。"


@pytest.mark.parametrize("text", [
    f"新华社南京3月5日电\n\n{HEADLINE}\n\n{BODY}\n",                                  # a dateline line above the headline
    f"新华社南京3月5日电（记者 张三）\n\n{HEADLINE}\n\n{BODY}\n",
    f"中新网南京3月5日电\n{HEADLINE}\n{BODY}\n",
    f"2020-03-05 09:30 来源：新华网\n\n{HEADLINE}\n\n{BODY}\n",                       # a page header's date stamp
    f"发布时间：2020-03-05\n\n{HEADLINE}\n\n{BODY}\n",
    f"{HEADLINE}\n\n新华社南京3月5日电（记者 张三）{BODY}\n",                          # (already right; stays right)
], ids=["dateline-line", "dateline-reporter", "dateline-no-blank", "stamp", "labelled", "headline-first"])
def test_a_text_is_titled_by_its_headline_and_dated_by_its_dateline(text):
    from loaders.extract.pipeline import process
    result = process("x", text)
    assert result.title == HEADLINE
    assert result.published == "2020-03-05"


def test_a_dateline_opening_the_lead_is_not_the_title():
    from loaders.extract.pipeline import process
    result = process("x", f"新华社南京3月5日电（记者 张三）{BODY}\n\n第二段。\n")
    # no headline: the lead without its dateline (cut at 40 characters, as any lead taken for a title)
    assert result.title == BODY[:40] + "…" and result.published == "2020-03-05"


@pytest.mark.parametrize("page", [
    # a dateline block and the site's logo before the <h1>
    f"<html><head><title>{HEADLINE}_新华网</title></head><body><h1>新华网</h1><div>新华社南京3月5日电</div>"
    f"<h1>{HEADLINE}</h1><div>2020-03-05 09:30 来源：新华网</div><p>{BODY}</p></body></html>",
    # no heading in the body: the <title> without the site's name
    f"<html><head><title>{HEADLINE}_新华网</title></head><body><div>新华社南京3月5日电</div><p>{BODY}</p></body></html>",
    f"<html><head><title>{HEADLINE} - 人民网</title></head><body><p>新华社南京3月5日电 {BODY}</p></body></html>",
    # no <title>: the first heading
    f"<html><body><div>新华社南京3月5日电</div><h2>{HEADLINE}</h2><p>{BODY}</p></body></html>",
], ids=["h1-below-dateline", "title-underscore", "title-dash", "h2-no-title"])
def test_a_web_page_is_titled_by_its_title_or_first_heading(page):
    from loaders.articles.formats import extract
    from loaders.extract.pipeline import process
    text, _ = extract(page.encode("utf-8"), "news.html")
    assert text.startswith(HEADLINE + "\n") and text.count(HEADLINE) == 1
    result = process("x", text)
    assert result.title == HEADLINE and result.published == "2020-03-05"


def test_imported_articles_keep_their_headline_as_title_end_to_end(tmp_path):
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out, ignore=shutil.ignore_patterns("extracted"))
    page = tmp_path / "news.html"
    page.write_text(f"<html><head><title>{HEADLINE}_新华网</title></head><body><div>新华社南京3月5日电</div>"
                    f"<h1>{HEADLINE}</h1><p>{BODY}</p></body></html>", encoding="utf-8")
    text = tmp_path / "dateline.txt"
    text.write_text(f"新华社苏州3月6日电\n\n苏州工业园区复工率超过95%\n\n{BODY.replace('南京经开区', '苏州工业园区')}\n",
                    encoding="utf-8")
    proc = run_cli("add", str(page), str(text), "--data", str(out), "--build",
                   env={"LOADERS_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    imported = {d["title"]: d["published"] for d in read_csv(out / "documents.csv") if d["origin"] == "imported"}
    assert imported == {HEADLINE: "2020-03-05", "苏州工业园区复工率超过95%": "2020-03-06"}


# ---------------------------------------------------------------- C: park ids are stable through renames and merges

@pytest.fixture()
def data(built, tmp_path) -> Path:
    """A private copy of the seeds' build (with extracted/), so every test writes its own corrections."""
    out = tmp_path / "data"
    shutil.copytree(built, out)
    return out


def park_ids(folder: Path) -> dict[str, str]:
    return {p["name"]: p["park_id"] for p in read_csv(folder / "parks.csv")}


def quote_of(folder: Path, row: dict) -> dict:
    text = (folder / "texts" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
    return {**c.anchor(text, int(row["start"]), int(row["end"]), row["doc_id"]), "metric": row["metric"]}


def test_a_renamed_park_keeps_its_id_through_rebuilds(data, tmp_path):
    before = park_ids(data)
    ningbo = before["宁波高新区"]
    rows_before = sorted((f["doc_id"], f["start"], f["metric"]) for f in read_csv(data / "facts.csv")
                         if f["park_id"] == ningbo)
    assert rows_before
    fact = next(f for f in read_csv(data / "facts.csv") if f["park_id"] == ningbo)
    records = [{"action": "rename_park", "target": {"park": "宁波高新区"}, "set": {"name": "宁波国家高新技术产业开发区"}},
               # a figure action made after the rename names the park by its new name: still found
               {"action": "split_figure", "target": {**quote_of(data, fact), "park": "宁波国家高新技术产业开发区"}}]
    proc = run_cli("corrections", "import", str(write_jsonl(tmp_path / "c.jsonl", records)), "--data", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for rebuild in (False, True):
        if rebuild:
            assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data), "--no-cache").returncode == 0
        after = park_ids(data)
        assert after["宁波国家高新技术产业开发区"] == ningbo and "宁波高新区" not in after
        assert sorted((f["doc_id"], f["start"], f["metric"]) for f in read_csv(data / "facts.csv")
                      if f["park_id"] == ningbo) == rows_before
        assert {r["park_id"] for r in read_csv(data / "figures.csv")} <= set(after.values())
        assert read_csv(data / "orphaned.csv") == []
        # every other park keeps its id too
        assert {n: i for n, i in after.items() if n != "宁波国家高新技术产业开发区"} == \
            {n: i for n, i in before.items() if n != "宁波高新区"}


def test_a_merged_parks_id_redirects_to_the_surviving_park(data, tmp_path):
    before = park_ids(data)
    records = [{"action": "merge_park", "target": {"park": "陕西航空经开区"}, "set": {"into": "重庆经开区"}, "id": "c_merge1"},
               {"action": "rename_park", "target": {"park": "重庆经开区"}, "set": {"name": "重庆经济技术开发区"}}]
    proc = run_cli("corrections", "import", str(write_jsonl(tmp_path / "c.jsonl", records)), "--data", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for rebuild in (False, True):
        if rebuild:
            assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data)).returncode == 0
        after = park_ids(data)
        assert after["重庆经济技术开发区"] == before["重庆经开区"]
        redirects = {r["old_id"]: r for r in read_csv(data / "park_redirects.csv")}
        merged = redirects[before["陕西航空经开区"]]
        assert (merged["park_id"], merged["how"], merged["old_name"], merged["correction_id"]) == \
            (before["重庆经开区"], "merged", "陕西航空经开区", "c_merge1")
        assert all(r["park_id"] in after.values() and r["old_id"] not in after.values() for r in redirects.values())
    book = (data / "codebook.yaml").read_text(encoding="utf-8")
    assert "park_redirects:" in book and "park_redirects.csv:" in book


@pytest.fixture()
def merged_app(tmp_path, monkeypatch):
    """A private copy of data/ in which 陕西航空经开区 was merged into 重庆经开区 and 遂宁经开区 renamed."""
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out, ignore=shutil.ignore_patterns("extracted"))
    records = [{"action": "merge_park", "target": {"park": "陕西航空经开区"}, "set": {"into": "重庆经开区"}},
               {"action": "rename_park", "target": {"park": "遂宁经开区"}, "set": {"name": "遂宁经济技术开发区"}}]
    assert run_cli("corrections", "import", str(write_jsonl(tmp_path / "c.jsonl", records)), "--data", str(out)).returncode == 0
    env = {"LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli("build", "--out", str(out), env=env).returncode == 0
    for key, value in {"PARKS_DATA_DIR": str(out), "LOADERS_CACHE_DIR": str(tmp_path / "cache"),
                       "PARKS_AUTHOR": "审核员甲"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PARKS_EDITOR_PASSWORD_HASH", raising=False)
    return out


def open_profile(pid: str):
    """The profile page on `pid` (open_app's first run, on the overview, drops the profile's own parameter)."""
    at = open_app("profile")
    at.query_params["profile"] = pid
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_saved_profile_link_follows_a_rename_and_a_merge(merged_app):
    old = {p["name"]: p["park_id"] for p in read_csv(ROOT / "data" / "parks.csv")}
    at = open_profile(old["陕西航空经开区"])
    assert at.selectbox(key="w_profile").value == old["重庆经开区"]
    assert at.query_params["profile"] in (old["重庆经开区"], [old["重庆经开区"]])
    assert any(old["陕西航空经开区"] in i.value and "重庆经开区" in i.value for i in at.info)
    assert any("### 重庆经开区" in m.value for m in at.markdown)
    at = open_profile(old["遂宁经开区"])              # renamed: the same id, the new name
    assert at.selectbox(key="w_profile").value == old["遂宁经开区"]
    assert any("### 遂宁经济技术开发区" in m.value for m in at.markdown)
    # the sidebar's park filter follows a merged park's id as well
    at = open_app("overview", park=old["陕西航空经开区"])
    assert at.multiselect(key="w_park").value == [old["重庆经开区"]]


def test_the_redirects_are_a_table_of_the_data_page_and_of_every_download(merged_app):
    import io
    import zipfile

    from dashboard import dataset, downloads
    old = {p["name"]: p["park_id"] for p in read_csv(ROOT / "data" / "parks.csv")}
    ds = dataset.load(merged_app)
    merged = ds.park_redirects[ds.park_redirects["old_id"] == old["陕西航空经开区"]]
    assert merged[["park_id", "how"]].values.tolist() == [[old["重庆经开区"], "merged"]]
    # a filter keeps the redirects into the parks it selects
    west, east = (dataset.apply(ds, dataset.Filters(region=(r,))) for r in ("西部", "东部"))
    assert old["陕西航空经开区"] in set(west.park_redirects["old_id"])
    assert old["陕西航空经开区"] not in set(east.park_redirects["old_id"])
    body = downloads.to_datapackage({n: west.table(n) for n in dataset.DATA_TABLES}, ds.codebook, {"region": ["西部"]})
    packaged = zipfile.ZipFile(io.BytesIO(body)).read("park_redirects.csv").decode("utf-8")
    assert old["陕西航空经开区"] in packaged and "merged" in packaged
    at = open_app("data")
    assert any(t.label.startswith("园区编号跳转 (") for t in at.tabs)
    assert any(old["陕西航空经开区"] in df.value.to_csv() for df in at.dataframe)


# ---------------------------------------------------------------- D: park actions on the review and profile pages

@pytest.fixture()
def editor_data(tmp_path, monkeypatch):
    """A private copy of data/ as a fresh checkout has it (the first correction builds once)."""
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out, ignore=shutil.ignore_patterns("extracted"))
    for key, value in {"PARKS_DATA_DIR": str(out), "LOADERS_CACHE_DIR": str(tmp_path / "cache"),
                       "PARKS_AUTHOR": "审核员甲"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PARKS_EDITOR_PASSWORD_HASH", raising=False)
    return out


def stored(folder: Path) -> list[dict]:
    path = folder / "corrections.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_an_editor_merges_renames_and_sets_a_park_on_its_profile(editor_data):
    ids = park_ids(editor_data)
    shaanxi, chongqing = ids["陕西航空经开区"], ids["重庆经开区"]
    at = open_profile(shaanxi)
    assert not [b for b in at.button if b.key and b.key.startswith("parkedit")]     # drawn when asked for
    at.toggle(key="parkedit-open-profile").set_value(True).run()
    at.selectbox(key=f"parkedit-profile-{shaanxi}-into").set_value(chongqing)
    at.button(key="parkedit-merge-profile").click().run()
    assert not at.exception and any("并入“重庆经开区”" in s.value for s in at.success), [e.value for e in at.error]
    assert at.selectbox(key="w_profile").value == chongqing        # the profile goes on with the park that stays
    assert at.query_params["profile"] in (chongqing, [chongqing])
    at.text_input(key=f"parkedit-profile-{chongqing}-name").set_value("重庆经济技术开发区")
    at.button(key="parkedit-rename-profile").click().run()
    assert any("### 重庆经济技术开发区" in m.value for m in at.markdown)
    at.selectbox(key=f"parkedit-profile-{chongqing}-level").set_value("省级")
    at.text_input(key=f"parkedit-profile-{chongqing}-city").set_value("重庆市")
    at.button(key="parkedit-set-profile").click().run()
    assert not at.exception and any("已更新" in s.value for s in at.success), [e.value for e in at.error]
    assert [(r["action"], r["target"], r["set"], r["author"]) for r in stored(editor_data)] == [
        ("merge_park", {"park": "陕西航空经开区"}, {"into": "重庆经开区"}, "审核员甲"),
        ("rename_park", {"park": "重庆经开区"}, {"name": "重庆经济技术开发区"}, "审核员甲"),
        ("set_park", {"park": "重庆经济技术开发区"}, {"level": "省级", "city": "重庆市"}, "审核员甲")]
    parks = {p["park_id"]: p for p in read_csv(editor_data / "parks.csv")}
    assert shaanxi not in parks and (parks[chongqing]["name"], parks[chongqing]["level"], parks[chongqing]["city"]) == \
        ("重庆经济技术开发区", "省级", "重庆市")
    assert {r["old_id"]: r["park_id"] for r in read_csv(editor_data / "park_redirects.csv")}[shaanxi] == chongqing
    # nothing changed is refused with the reason, and nothing is stored
    at.button(key="parkedit-set-profile").click().run()
    assert any("没有修改" in e.value for e in at.error) and len(stored(editor_data)) == 3


def test_the_review_page_offers_the_park_actions_for_the_row_under_review(editor_data):
    at = open_app("review")
    at.toggle(key="parkedit-open-review").set_value(True).run()
    row_park = next(s for s in at.selectbox if s.key and s.key.startswith("review-park-"))
    pid = row_park.value
    name = {p["park_id"]: p["name"] for p in read_csv(editor_data / "parks.csv")}[pid]
    assert f"**{name}**" in next(m.value for m in at.markdown if "review-sentence" not in m.value and "<b>" in m.value)
    at.text_input(key=f"parkedit-review-{pid}-name").set_value(name + "（改）")
    at.button(key="parkedit-rename-review").click().run()
    assert not at.exception and any("改名为" in s.value for s in at.success), [e.value for e in at.error]
    assert {p["park_id"]: p["name"] for p in read_csv(editor_data / "parks.csv")}[pid] == name + "（改）"
    assert stored(editor_data)[0]["action"] == "rename_park"


def test_park_actions_are_for_editors_only(editor_data, monkeypatch):
    monkeypatch.setenv("PARKS_EDITOR_PASSWORD_HASH", hash_password("open sesame", iterations=1000))
    ids = park_ids(editor_data)
    at = open_profile(ids["重庆经开区"])
    at.toggle(key="parkedit-open-profile").set_value(True).run()         # a reader who opens the editor …
    assert not [b for b in at.button if b.key and b.key.startswith("parkedit")]
    assert [t for t in at.text_input if t.key == "editor_password"]       # … is asked for the password
    at.switch_page("pages/review.py").run()
    assert not [t for t in at.toggle if t.key == "parkedit-open-review"]
    assert not [b for b in at.button if b.key and b.key.startswith("parkedit")]
    at.text_input(key="editor_password").input("open sesame").run()
    at.button(key="editor_unlock").click().run()
    at.toggle(key="parkedit-open-review").set_value(True).run()
    assert [b for b in at.button if b.key == "parkedit-rename-review"]
    at.switch_page("pages/profile.py").run()
    at.toggle(key="parkedit-open-profile").set_value(True).run()
    assert [b for b in at.button if b.key == "parkedit-merge-profile"]
