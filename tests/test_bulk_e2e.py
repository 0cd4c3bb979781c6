"""Collections end to end: a 20,000-row CSV, a ZIP of mixed files and a JSON Lines file with bad rows go through
`python -m loaders add` and the build; the bad rows are named, the good ones are in the dataset, and an import
cut off half way leaves a store that reads and finishes on the next run."""
import csv
import io
import json
import random
import zipfile

import pytest

from conftest import ROOT, read_csv
from loaders import lexicon
from loaders.articles import store
from loaders.cli import build, main

TEMPLATES = [
    "{d}，{park}规上工业企业复工率达{rate}%，组织专车接回员工{n}人。",
    "{d}，{park}举行项目云签约活动，共签约项目{k}个，总投资{amount}亿元。",
    "{d}，{park}为中小企业减免房租{rent}万元，发放稳岗补贴{sub}万元。",
]


def parks(n: int) -> list[str]:
    names = sorted(name for section in lexicon.gazetteer().values() for name in section)
    return random.Random(7).sample(names, n)


def article(rng: random.Random, park: str, i: int) -> str:
    d = f"2月{rng.randint(1, 29)}日"
    return "".join(t.format(d=d, park=park, rate=rng.randint(50, 100), n=rng.randint(10, 3000) + i,
                            k=rng.randint(2, 20), amount=rng.randint(1, 90), rent=rng.randint(10, 900),
                            sub=rng.randint(5, 300)) for t in TEMPLATES)


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    rng = random.Random(2020)
    folder = tmp_path_factory.mktemp("big")
    names = parks(200)
    path = folder / "crawl.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["标题", "正文", "发布时间", "来源", "链接"])
        for i in range(20_000):
            park = names[i % len(names)]
            body = article(rng, park, i)
            if i == 777:
                body = ""                                  # a bad row: no text
            if i == 12_345:
                body = "Only English in this row."          # a bad row: no Chinese
            w.writerow([f"{park}复工复产 {i}", body, f"2020-03-{i % 28 + 1:02d}", "测试日报", f"http://example.org/{i}"])
    return path


def test_a_20000_row_csv_is_imported_and_built(big_csv, tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["add", str(big_csv), "--data", str(data)]) == 2              # two rows refused
    out = capsys.readouterr().out.splitlines()
    assert "refused crawl.csv row 779: empty text (column '正文')" in out     # data row 777 is sheet row 779
    assert "refused crawl.csv row 12347: no Chinese text found" in out
    assert out[-1].endswith("added 19998 article(s), skipped 0 duplicate(s), refused 2 row(s)")
    assert len(store.read_index(data)) == 19_998
    assert build(ROOT / "seeds", data, echo=lambda line: None, with_store=True) == 0
    documents = read_csv(data / "documents.csv")
    imported = [d for d in documents if d["origin"] == "imported"]
    assert len(imported) == 19_998
    assert {d["source"] for d in imported} == {"测试日报"} and all(d["url"].startswith("http://example.org/")
                                                               for d in imported)
    facts = read_csv(data / "facts.csv")
    assert len({f["doc_id"] for f in facts if f["origin"] == "imported"}) > 19_000


def zip_of(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buffer.getvalue()


def test_a_zip_of_mixed_files_and_a_jsonl_with_bad_rows_end_to_end(tmp_path, capsys):
    rng = random.Random(3)
    a, b, c, d, e = parks(5)
    table = "标题,正文\n" + f"{c}签约,{article(rng, c, 1)}\n" + "空行,\n"
    archive = tmp_path / "news.zip"
    archive.write_bytes(zip_of({"a.txt": article(rng, a, 2).encode("gb18030"),
                                "pages/b.html": f"<html><head><title>{b}复工</title></head><body><h1>{b}复工</h1>"
                                                f"<p>{article(rng, b, 3)}</p></body></html>",
                                "more/items.csv": table.encode("utf-8"), "notes.exe": b"MZ"}))
    lines = [json.dumps({"title": f"{d}动态", "content": article(rng, d, 4), "date": "2020-03-02"}, ensure_ascii=False),
             "{broken", json.dumps({"title": "空", "content": ""}, ensure_ascii=False),
             json.dumps({"title": f"{e}动态", "content": article(rng, e, 5)}, ensure_ascii=False)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = tmp_path / "data"
    assert main(["add", str(archive), str(feed), "--data", str(data)]) == 2
    out = capsys.readouterr().out
    for bad in ("refused news.zip: more/items.csv row 3: empty text", "refused news.zip: notes.exe: unsupported",
                "refused feed.jsonl line 2: not JSON", "refused feed.jsonl line 3: empty text"):
        assert bad in out, out
    assert build(ROOT / "seeds", data, echo=lambda line: None, with_store=True) == 0
    imported = [doc for doc in read_csv(data / "documents.csv") if doc["origin"] == "imported"]
    assert len(imported) == 5
    parks_built = {p["name"] for p in read_csv(data / "parks.csv")}
    assert {a, b, c, d, e} <= parks_built
    assert [(doc["published"], doc["published_basis"]) for doc in imported if doc["title"] == f"{d}动态"] == \
        [("2020-03-02", "column")]


def test_an_import_cut_off_half_way_leaves_a_store_that_reads_and_finishes(big_csv, tmp_path, monkeypatch):
    from loaders.articles import bulk
    found = bulk.read(big_csv.name, big_csv.read_bytes())
    rows = found.rows[:2500]
    data = tmp_path / "data"

    def cut(done, total):
        if done == 1500:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.add_rows(data, rows, progress=cut)
    index = store.read_index(data, warn=lambda line: pytest.fail(line))     # valid: written every 1,000 rows
    assert len(index) == 1000 and all((data / "articles" / f"{aid}.txt").exists() for aid in index)
    outcomes = store.add_rows(data, rows)
    assert [o.status for o in outcomes].count("duplicate") == 1000 and len(store.read_index(data)) == 2500
