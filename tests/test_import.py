"""Importing articles: every format and encoding, each refusal, the content-addressed store, remove,
incremental builds and concurrent adds. Sentences are from the seed articles."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, read_csv, run_cli
from loaders.articles import store
from loaders.articles.formats import extract
from loaders.articles.read import InputError

NINGBO = ("宁波高新区：“分层结对”助力企业复工复产\n\n"
          "目前，宁波高新区规上（限上）企业762家，复工率100%。"
          "2月24日14时许，随着G9421专列抵达宁波南站，宁波高新区108名安徽阜阳的“老员工”回到了宁波。\n")
DONGLI = ("天津东丽经开区全力帮助企业渡过难关\n\n"
          "目前，经开区在地企业285家，已复工232家，复工率81.4%；“四上企业”138家，复工138家，复工率100%。"
          "天津东丽经开区全力帮助企业渡过难关。\n")
TRADITIONAL_PAGE = """<!DOCTYPE html><html><head><meta charset="big5"><title>寧波高新區：分層結對助力企業復工復產</title>
<style>p { color: red } .x::after { content: "複工率0%" }</style>
<script>var s = "<p>寧波高新區復工率0%</p>"; alert(1);</script></head>
<body><nav>首頁 &gt; 新聞</nav><p>目前，寧波高新區規上（限上）企業762家，復工率100%。</p>
<p>2月24日14時許，隨著G9421專列抵達寧波南站，寧波高新區108名安徽阜陽的「老員工」回到了寧波。</p>
<noscript>請開啟JavaScript</noscript></body></html>"""
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str | None) -> bytes:
    """A PDF with `text` in a text layer (Noto CJK embedded), or with only a drawing when text is None."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    if text is None:
        pdf.rect(20, 20, 100, 60, style="F")  # what a scan looks like to a text extractor: no text
    else:
        pdf.add_font("noto", fname=str(CJK_FONT), collection_font_number=2)
        pdf.set_font("noto", size=12)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


# ---------------------------------------------------------------- formats and encodings

@pytest.mark.parametrize("name, data", [
    ("a.txt", NINGBO.encode("utf-8")),
    ("a.txt", NINGBO.encode("utf-8-sig")),
    ("a.txt", NINGBO.encode("gbk")),
    ("a.txt", NINGBO.encode("gb18030")),
    ("a.txt", NINGBO.encode("utf-16")),
    ("a.md", ("# " + NINGBO).encode("utf-8")),
    ("a.docx", docx_bytes(NINGBO.split("\n\n"))),
])
def test_every_format_gives_the_articles_text(name, data):
    text, _ = extract(data, name)
    assert "宁波高新区规上（限上）企业762家，复工率100%。" in text
    assert "\ufeff" not in text and "\r" not in text


@pytest.mark.skipif(not CJK_FONT.exists(), reason="fonts-noto-cjk is installed by make test")
def test_a_pdf_with_a_text_layer_gives_its_text():
    text, described = extract(pdf_bytes(NINGBO.replace("\n", "")), "report.pdf")
    assert "复工率100%" in text.replace("\n", "") and described.startswith("PDF")


def test_a_traditional_web_page_gives_its_text_without_script_or_style():
    text, described = extract(TRADITIONAL_PAGE.encode("big5"), "news.html")
    assert "寧波高新區規上（限上）企業762家，復工率100%。" in text
    assert "復工率0%" not in text and "複工率0%" not in text and "alert" not in text and "JavaScript" not in text
    assert text.startswith("寧波高新區：分層結對助力企業復工復產")  # the page title leads
    assert "big5" in described.lower()


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"  \n\n ", "empty file"),
    ("big.txt", ("宁波高新区复工率100%。" * 400_000).encode("utf-8"), "larger than 5 MB"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),
    ("english.txt", b"The park reopened all its firms by March.\n", "no Chinese"),
    ("english.html", b"<html><body><p>The park reopened.</p></body></html>", "no Chinese"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable .docx"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    ("table.xlsx", b"PK\x03\x04", "unsupported file type '.xlsx'"),
])
def test_each_refusal_names_its_reason(name, data, reason):
    with pytest.raises(InputError, match=reason):
        extract(data, name)


def test_a_pdf_without_a_text_layer_is_refused_with_that_reason():
    with pytest.raises(InputError, match="no text layer"):
        extract(pdf_bytes(None), "scan.pdf")


# ---------------------------------------------------------------- the store

def test_the_same_text_is_stored_once_whatever_its_encoding(tmp_path):
    data = tmp_path / "data"
    first = store.add(data, [("宁波.txt", NINGBO.encode("utf-8")), ("宁波-gbk.txt", NINGBO.encode("gbk"))])
    assert [o.status for o in first] == ["added", "duplicate"]
    assert first[1].article_id == first[0].article_id and "same text as 宁波.txt" in first[1].detail
    assert list(store.read_index(data)) == [first[0].article_id]


def test_a_file_name_never_becomes_a_path(tmp_path):
    data = tmp_path / "data"
    [outcome] = store.add(data, [("../../../etc/evil.txt", NINGBO.encode("utf-8"))])
    assert outcome.status == "added" and outcome.name == "evil.txt"
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted([".data.lock", "data/articles/index.json", f"data/articles/{outcome.article_id}.txt",
                            f"data/articles/originals/{outcome.article_id}.txt"])
    assert not (tmp_path / "etc").exists()
    assert json.loads((data / "articles" / "index.json").read_text(encoding="utf-8"))[outcome.article_id]["name"] == "evil.txt"


def test_cli_add_list_remove(tmp_path):
    (tmp_path / "ningbo.txt").write_bytes(NINGBO.encode("gbk"))
    (tmp_path / "again.txt").write_bytes(NINGBO.encode("utf-16"))
    (tmp_path / "empty.txt").write_bytes(b"")
    data = str(tmp_path / "data")
    proc = run_cli("add", str(tmp_path / "ningbo.txt"), str(tmp_path / "again.txt"), str(tmp_path / "empty.txt"),
                   str(tmp_path / "missing.txt"), "--data", data)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 2 and not proc.stderr
    assert lines[0].startswith("refused ") and "missing.txt" in lines[0] and "cannot read file" in lines[0]
    assert lines[1].startswith("added imp_") and lines[1].endswith("ningbo.txt: text, gb18030")
    assert lines[2].startswith("duplicate imp_") and "again.txt" in lines[2]
    assert lines[3] == "refused empty.txt: empty file"
    aid = lines[1].split()[1]
    listed = run_cli("list", "--data", data)
    assert listed.returncode == 0 and aid in listed.stdout and "ningbo.txt" in listed.stdout
    assert run_cli("remove", aid, "nope", "--data", data).stdout.splitlines() == [
        f"removed {aid} ningbo.txt", "not found nope"]
    assert "0 imported article(s)" in run_cli("list", "--data", data).stdout
    assert run_cli("add", str(tmp_path / "ningbo.txt"), "--data", data).returncode == 0


# ---------------------------------------------------------------- builds

def test_build_reads_seeds_and_the_store_and_marks_the_origin(tmp_path):
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    for name in ("001_138f6120ad557839.txt", "004_dbdbb6d4f2f9da5e.txt"):  # 东丽 is in 001, 宁波 in 004
        (root / "seeds" / name).write_bytes((ROOT / "seeds" / name).read_bytes())
    (tmp_path / "dongli.html").write_bytes(f"<html><body><p>{DONGLI}</p></body></html>".encode("utf-8"))
    (tmp_path / "ningbo.html").write_bytes(TRADITIONAL_PAGE.encode("big5"))
    env = {"LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli("add", str(tmp_path / "dongli.html"), str(tmp_path / "ningbo.html"), cwd=root, env=env).returncode == 0
    proc = run_cli("build", cwd=root, env=env)
    assert proc.returncode == 0, proc.stdout
    docs = {d["doc_id"]: d for d in read_csv(root / "data" / "documents.csv")}
    assert [d["origin"] for d in docs.values()].count("imported") == 2
    parks = {p["name"]: p for p in read_csv(root / "data" / "parks.csv")}
    assert parks["东丽经开区"]["origin"] == "seed|imported"   # named in a seed and in an import
    assert parks["宁波高新区"]["province"] == "浙江"            # the traditional page's park, placed
    facts = read_csv(root / "data" / "facts.csv")
    imported = [f for f in facts if f["origin"] == "imported"]
    assert ("宁波高新区", "reopening_rate", "100") in {
        (next(p for p in parks.values() if p["park_id"] == f["park_id"])["name"], f["metric"], f["value"]) for f in imported}
    assert all(docs[f["doc_id"]]["origin"] == f["origin"] for f in facts)
    # --seeds alone builds only that folder; the store is kept
    only = run_cli("build", "--seeds", "seeds", cwd=root, env=env)
    assert only.returncode == 0 and "2 documents" in only.stdout
    assert {d["origin"] for d in read_csv(root / "data" / "documents.csv")} == {"seed"}
    assert len(store.read_index(root / "data")) == 2


def test_rebuilds_process_only_changed_documents(tmp_path):
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    for path in (ROOT / "seeds").glob("*.txt"):
        (root / "seeds" / path.name).write_bytes(path.read_bytes())
    env = {"LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    assert "processed 5 document(s), 0 unchanged" in run_cli("build", cwd=root, env=env).stdout
    first = (root / "data" / "facts.csv").read_bytes()
    assert "processed 0 document(s), 5 unchanged" in run_cli("build", cwd=root, env=env).stdout
    assert (root / "data" / "facts.csv").read_bytes() == first    # the cache gives the same dataset
    (tmp_path / "ningbo.txt").write_text(NINGBO, encoding="utf-8")
    proc = run_cli("add", str(tmp_path / "ningbo.txt"), "--build", cwd=root, env=env)
    assert proc.returncode == 0 and "processed 1 document(s), 5 unchanged" in proc.stdout
    assert "processed 6 document(s)" in run_cli("build", "--no-cache", cwd=root, env=env).stdout


def test_two_processes_adding_and_building_at_once_both_land(tmp_path):
    data = tmp_path / "data"
    files = []
    for i in range(2):
        folder = tmp_path / f"batch{i}"
        folder.mkdir()
        for j in range(6):
            path = folder / f"a{j}.txt"
            path.write_text(f"第{i}批第{j}篇。\n" + (NINGBO if i else DONGLI), encoding="utf-8")
            files.append(path)
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    procs = [subprocess.Popen([sys.executable, "-m", "loaders", "add", *map(str, files[i * 6:(i + 1) * 6]),
                               "--data", str(data), "--build"], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
             for i in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    index = store.read_index(data)
    assert len(index) == 12
    for aid in index:
        assert (data / "articles" / f"{aid}.txt").exists()
    # the builds took turns: the dataset holds the seeds and all twelve imports, and no temporary folder is left
    documents = read_csv(data / "documents.csv")
    assert sorted(d["doc_id"] for d in documents if d["origin"] == "imported") == sorted(index)
    assert len(documents) == 5 + 12
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data.") and p.name != ".data.lock"]
