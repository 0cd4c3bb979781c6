"""The command line end to end on seeds/: contract, bad files, determinism, atomic writes."""
import filecmp
import shutil
from decimal import Decimal

import yaml

from conftest import ROOT, read_csv, run_cli

CONTRACT = {
    "documents": ["doc_id", "title", "source", "published", "published_basis", "url", "chars", "sha256", "origin",
                  "duplicate_of", "status"],
    "parks": ["park_id", "name", "aliases", "park_type", "level", "province", "city", "region", "lat", "lon", "flags",
              "origin"],
    "measures": ["park_id", "measure_type", "doc_id", "evidence", "start", "end", "cue", "flags", "status", "origin"],
    "facts": ["park_id", "metric", "value", "unit", "basis", "scope", "date", "as_of", "date_basis", "doc_id", "evidence",
              "start", "end", "raw", "flags", "status", "origin", "figure_id"],
    "figures": ["figure_id", "park_id", "metric", "basis", "scope", "value", "unit", "as_of", "role", "part_of",
                "mentions", "reports", "doc_ids", "flags"],
    "park_totals": ["total_id", "park_id", "metric", "basis", "scope", "value", "unit", "how", "figures", "reports", "doc_ids",
                    "first_as_of", "last_as_of", "flags"],
    "park_redirects": ["old_id", "old_name", "park_id", "how", "correction_id"],
}


def test_columns_follow_the_contract(built):
    for name, columns in CONTRACT.items():
        with open(built / f"{name}.csv", encoding="utf-8") as f:
            assert f.readline().rstrip("\n").split(",") == columns


def test_codes_types_and_references(built, tables):
    book = yaml.safe_load((built / "codebook.yaml").read_text(encoding="utf-8"))
    assert len(book["measure_types"]) == 17
    assert {m["measure_type"] for m in tables["measures"]} <= set(book["measure_types"])
    assert {f["metric"] for f in tables["facts"]} <= set(book["metrics"])
    assert {f["basis"] for f in tables["facts"]} <= set(book["bases"])
    assert {m["family"] for m in book["measure_types"].values()} <= set(book["families"])
    park_ids = {p["park_id"] for p in tables["parks"]}
    doc_ids = {d["doc_id"] for d in tables["documents"]}
    assert len(park_ids) == len(tables["parks"])
    for row in tables["measures"] + tables["facts"]:
        assert row["park_id"] in park_ids and row["doc_id"] in doc_ids
    for p in tables["parks"]:
        assert p["park_type"] in book["park_types"] and p["level"] in book["levels"]
        assert p["region"] in ("东部", "中部", "西部", "东北")
        float(p["lat"]), float(p["lon"])
    for f in tables["facts"]:
        value = Decimal(f["value"])
        if f["metric"] == "reopening_rate":
            assert 0 <= value <= 100 and f["unit"] == "%"
        assert f["date"] == "" or len(f["date"]) in (7, 10)


def test_evidence_holds_raw_and_offsets_point_into_the_text(built, tables):
    texts = {d["doc_id"]: (built / "texts" / f"{d['doc_id']}.txt").read_text(encoding="utf-8")
             for d in tables["documents"]}
    for f in tables["facts"]:
        text = texts[f["doc_id"]]
        assert f["raw"] in f["evidence"]
        assert text[int(f["start"]):int(f["end"])] == f["raw"]
        assert f["evidence"] in text
    for m in tables["measures"]:
        assert texts[m["doc_id"]][int(m["start"]):int(m["end"])] == m["evidence"]
    for d in tables["documents"]:
        assert int(d["chars"]) == len(texts[d["doc_id"]])


def test_documents_have_titles_and_sources(tables):
    docs = {d["doc_id"][:3]: d for d in tables["documents"]}
    assert docs["002"]["title"] == "国家高新区：疫情防控与经济发展“两手抓、两不误”"
    assert docs["002"]["source"] == "刘琴"
    assert docs["000"]["source"] == "商务部外资司"
    assert docs["004"]["source"] == "李华、秦羽"


def test_same_input_gives_identical_bytes(built, tmp_path):
    again = tmp_path / "again"
    assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(again)).returncode == 0
    cmp = filecmp.dircmp(built, again)
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    for name in CONTRACT:
        assert (built / f"{name}.csv").read_bytes() == (again / f"{name}.csv").read_bytes()


def test_committed_data_is_a_fresh_build(built):
    for name in [*CONTRACT, "codebook"]:
        suffix = "yaml" if name == "codebook" else "csv"
        assert (ROOT / "data" / f"{name}.{suffix}").read_bytes() == (built / f"{name}.{suffix}").read_bytes(), \
            f"data/{name}.{suffix} is stale: run `python -m loaders build` and commit"


def test_seeds_are_the_shared_seeds_unchanged():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        return
    for path in shared.iterdir():
        assert (ROOT / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_bad_files_get_one_line_each_and_the_build_goes_on(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "001_138f6120ad557839.txt", seeds)
    gbk = "天津东丽经开区全力帮助企业渡过难关。目前，经开区在地企业285家，已复工232家，复工率81.4%。\n"
    (seeds / "gbk.txt").write_bytes(gbk.encode("gbk"))
    (seeds / "utf16.txt").write_bytes("宁波高新区规上（限上）企业762家，复工率100%。\n".encode("utf-16"))
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (seeds / "noparks.txt").write_text("今天天气很好，我们去公园散步。\n", encoding="utf-8")
    (seeds / "latin1.txt").write_bytes("caf\xe9 and cr\xe8me only".encode("latin-1"))
    out = tmp_path / "data"
    proc = run_cli("build", "--seeds", str(seeds), "--out", str(out))
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert "Traceback" not in proc.stdout + proc.stderr
    skipped = {l.split(":")[0] for l in lines if l.startswith("skipped ") and ":" in l and "file(s)" not in l}
    assert skipped == {f"skipped {seeds / n}" for n in ("empty.txt", "binary.txt", "latin1.txt")}
    assert any("empty.txt: empty file" in l for l in lines)
    # an article with no park is no bad file: it is kept (readable, searchable) with status no_park
    assert f"no park found in {seeds / 'noparks.txt'}: kept as noparks with status no_park" in lines
    assert "built" in lines[-2] and "4 documents" in lines[-2] and "1 with no park" in lines[-2]
    assert lines[-1].startswith("skipped 3 file(s)")
    assert {d["doc_id"]: d["status"] for d in read_csv(out / "documents.csv")}["noparks"] == "no_park"
    facts = read_csv(out / "facts.csv")
    parks = {p["park_id"]: p["name"] for p in read_csv(out / "parks.csv")}
    assert ("宁波高新区", "reopening_rate", "100") in {(parks[f["park_id"]], f["metric"], f["value"]) for f in facts}


def test_a_failed_build_leaves_data_as_it_was(tmp_path):
    out = tmp_path / "data"
    assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out)).returncode == 0
    (out / "articles").mkdir()
    (out / "articles" / "keep.txt").write_text("存档", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "noparks.txt").write_text("今天天气很好。\n", encoding="utf-8")
    proc = run_cli("build", "--seeds", str(empty), "--out", str(out))
    assert proc.returncode == 2 and "left unchanged" in proc.stdout
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    # a successful rebuild keeps what the build does not own
    assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out)).returncode == 0
    assert (out / "articles" / "keep.txt").read_text(encoding="utf-8") == "存档"
    # no temporary build folder is left behind (the lock file beside data/ stays, by design)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".data.lock"]


def test_missing_seed_folder_is_one_line(tmp_path):
    proc = run_cli("build", "--seeds", str(tmp_path / "nope"), "--out", str(tmp_path / "data"))
    assert proc.returncode == 2
    assert proc.stdout.strip() == f"error: {tmp_path / 'nope'}: no such folder of articles"


def test_traditional_article_gives_the_same_parks_and_facts(tmp_path):
    import opencc
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = (ROOT / "seeds" / "001_138f6120ad557839.txt").read_text(encoding="utf-8")
    (seeds / "trad.txt").write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    shutil.copy(ROOT / "seeds" / "001_138f6120ad557839.txt", seeds / "simp.txt")
    out = tmp_path / "data"
    assert run_cli("build", "--seeds", str(seeds), "--out", str(out)).returncode == 0
    parks = {p["park_id"]: p["name"] for p in read_csv(out / "parks.csv")}
    by_doc = {}
    for f in read_csv(out / "facts.csv"):
        by_doc.setdefault(f["doc_id"], []).append((parks[f["park_id"]], f["metric"], f["value"], f["basis"]))
    assert sorted(by_doc["trad"]) == sorted(by_doc["simp"]) and by_doc["trad"]
    trad_evidence = [f["evidence"] for f in read_csv(out / "facts.csv") if f["doc_id"] == "trad"]
    assert any("復工率" in e for e in trad_evidence)      # evidence stays in the article's own script


def test_two_files_with_one_document_id(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "001_138f6120ad557839.txt", seeds / "a.md")
    shutil.copy(ROOT / "seeds" / "004_dbdbb6d4f2f9da5e.txt", seeds / "a.txt")
    proc = run_cli("build", "--seeds", str(seeds), "--out", str(tmp_path / "data"))
    assert proc.returncode == 0
    assert f"skipped {seeds / 'a.txt'}: same document id as a.md" in proc.stdout.splitlines()
    assert [d["doc_id"] for d in read_csv(tmp_path / "data" / "documents.csv")] == ["a"]
