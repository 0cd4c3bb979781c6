"""Corrections are records: anchored by quote, applied by every build, shared as JSON Lines, refused with
a reason when malformed, never lost when two processes write at once."""
import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, read_csv, run_cli
from loaders.correct import correction_store
from loaders.correct import corrections as c
from loaders.access import Throttle, hash_password, verify_password

DOC = "000_4c439f997b1ef6c3"


@pytest.fixture()
def data(built, tmp_path) -> Path:
    """A private copy of the seeds' build, so every test writes its own corrections."""
    out = tmp_path / "data"
    shutil.copytree(built, out)
    return out


def fact(data: Path, **match) -> list[dict]:
    return [r for r in read_csv(data / "facts.csv") if all(r[k] == v for k, v in match.items())]


def quote_of(data: Path, row: dict, kind: str = "metric") -> dict:
    text = (data / "texts" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
    target = c.anchor(text, int(row["start"]), int(row["end"]), row["doc_id"])
    target[kind] = row[kind]
    return target


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in records), encoding="utf-8")
    return path


# ---------------------------------------------------------------- anchors

def test_a_quote_is_found_again_after_the_text_moves():
    text = "甲园区复工率达到80%。乙园区复工率达到80%。"
    target = c.anchor(text, text.index("80%", 12), text.index("80%", 12) + 3, "d")
    assert target["exact"] == "80%" and target["prefix"].endswith("乙园区复工率达到")
    moved = "新增的导语一句。" + text               # offsets shift by 8; the second 80% is still found by context
    start, end = c.locate(moved, target)
    assert moved[start - 8:start] == "乙园区复工率达到" and end - start == 3
    assert c.locate(moved.replace("80%", "85%"), target) is None


def test_an_ambiguous_quote_without_context_takes_the_occurrence_nearest_the_hint():
    text = "100%。" * 5
    assert c.locate(text, {"exact": "100%", "start": 10}) == (10, 14)


# ---------------------------------------------------------------- validation

@pytest.mark.parametrize("record, reason", [
    ({"action": "destroy", "target": {}}, "action 'destroy' is not one of"),
    ({"action": "correct", "target": {"doc_id": DOC, "exact": "80%", "metric": "reopening_rate"}, "set": {"value": 120}},
     "outside 0–100"),
    ({"action": "correct", "target": {"doc_id": DOC, "exact": "300元", "metric": "subsidy_amount"},
      "set": {"value": -5, "unit": "元"}}, "must be positive"),
    ({"action": "correct", "target": {"doc_id": DOC, "exact": "300元", "metric": "subsidy_amount"},
      "set": {"value": 5, "unit": "美元"}}, "is not 元, 万元 or 亿元"),
    ({"action": "correct", "target": {"doc_id": DOC, "exact": "300元", "metric": "subsidy_amount"},
      "set": {"date": "2020-02-30"}}, "is not a date"),
    ({"action": "correct", "target": {"doc_id": DOC, "exact": "300元", "metric": "subsidy_amount"},
      "set": {"value": "三百"}}, "is not a number"),
    ({"action": "correct", "target": {"doc_id": DOC, "exact": "300元", "metric": "subsidy_amount"},
      "set": {"colour": "red"}}, "cannot set colour"),
    ({"action": "reject", "target": {"doc_id": DOC, "exact": "300元"}}, "exactly one of metric"),
    ({"action": "reject", "target": {"doc_id": DOC, "exact": "300元", "metric": "happiness"}}, "unknown metric"),
    ({"action": "reject", "target": {"doc_id": DOC, "metric": "subsidy_amount"}}, "exact"),
    ({"action": "reject", "target": {"doc_id": DOC, "exact": "300元", "start": 5, "end": 99,
                                     "metric": "subsidy_amount"}}, "do not span"),
    ({"action": "add", "target": {"doc_id": DOC, "exact": "300元", "metric": "subsidy_amount"},
      "set": {"value": 300}}, "add needs park"),
    ({"action": "set_park", "target": {"park": "苏州工业园区"}, "set": {"province": "Atlantis"}}, "is not a province"),
    ({"action": "set_park", "target": {"park": "苏州工业园区"}, "set": {"level": "宇宙级"}}, "level"),
    ({"action": "merge_park", "target": {"park": "A"}, "set": {"into": "A"}}, "into itself"),
    ({"action": "confirm", "target": {"doc_id": DOC, "exact": "x", "metric": "subsidy_amount"}, "set": {"value": 1}},
     "takes no set fields"),
])
def test_bad_values_are_refused_with_the_reason(record, reason):
    with pytest.raises(c.CorrectionError, match=reason):
        c.check(record)


def test_amounts_are_kept_in_yuan_and_dates_accept_a_month():
    r = c.check({"action": "correct", "target": {"doc_id": DOC, "exact": "300元", "metric": "subsidy_amount"},
                 "set": {"value": "1.5", "unit": "亿元", "date": "2020-03"}})
    assert r["set"] == {"value": "150000000", "unit": "元", "date": "2020-03"}
    assert r["id"].startswith("c_") and r["time"]


# ---------------------------------------------------------------- every action, from the command line

def test_each_action_from_the_cli_and_all_stay_in_force_after_a_rebuild(data, tmp_path):
    subsidy = fact(data, metric="subsidy_amount", raw="300元")[0]
    rates = fact(data, metric="reopening_rate")
    rate = rates[0]
    returned = fact(data, metric="returned_workers")[0]
    measure = read_csv(data / "measures.csv")[0]
    shaanxi_id = next(p["park_id"] for p in read_csv(data / "parks.csv") if p["name"] == "陕西航空经开区")
    shaanxi = [(m["doc_id"], m["start"], m["measure_type"]) for m in read_csv(data / "measures.csv")
               if m["park_id"] == shaanxi_id]
    text = (data / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    missed = text.index("150家重点企业")
    records = [
        {"action": "reject", "target": quote_of(data, subsidy), "author": "tester", "note": "a per-person rate"},
        {"action": "correct", "target": quote_of(data, rate), "set": {"value": 55, "scope": "规上企业"}},
        {"action": "confirm", "target": quote_of(data, returned)},
        {"action": "correct", "target": quote_of(data, measure, "measure_type"), "set": {"measure_type": "logistics_pass"}},
        {"action": "add", "target": {**c.anchor(text, missed, missed + 4, DOC), "metric": "reopened_enterprises"},
         "set": {"park": "遂宁经开区", "value": 150, "unit": "家", "scope": "重点企业"}},
        {"action": "set_park", "target": {"park": "苏州工业园区"}, "set": {"level": "国家级"}},
        {"action": "rename_park", "target": {"park": "遂宁经开区"}, "set": {"name": "遂宁经济技术开发区"}},
        {"action": "merge_park", "target": {"park": "陕西航空经开区"}, "set": {"into": "重庆经开区"}},
    ]
    proc = run_cli("corrections", "import", str(write_jsonl(tmp_path / "c.jsonl", records)), "--data", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr

    def check_tables(folder: Path):
        facts = read_csv(folder / "facts.csv")
        assert not [f for f in facts if f["doc_id"] == DOC and f["raw"] == "300元"]
        rejected = read_csv(folder / "rejected.csv")
        assert [(r["raw"], r["author"], r["note"]) for r in rejected] == [("300元", "tester", "a per-person rate")]
        corrected = [f for f in facts if (f["doc_id"], f["start"], f["metric"]) == (rate["doc_id"], rate["start"], "reopening_rate")]
        assert [(f["value"], f["scope"], f["status"]) for f in corrected] == [("55", "规上企业", "corrected")]
        assert [f["status"] for f in facts if (f["start"], f["metric"]) == (returned["start"], "returned_workers")
                and f["doc_id"] == returned["doc_id"]] == ["confirmed"]
        m = [r for r in read_csv(folder / "measures.csv") if (r["doc_id"], r["start"], r["status"]) ==
             (measure["doc_id"], measure["start"], "corrected")]
        assert [r["measure_type"] for r in m] == ["logistics_pass"]
        parks_now = {p["park_id"]: p for p in read_csv(folder / "parks.csv")}
        names = {p["name"]: p for p in parks_now.values()}
        added = [f for f in facts if f["status"] == "added"]
        assert [(parks_now[f["park_id"]]["name"], f["value"], f["raw"], f["scope"]) for f in added] == \
            [("遂宁经济技术开发区", "150", "150家", "重点企业")]
        assert "遂宁经开区" in names["遂宁经济技术开发区"]["aliases"].split("|") and "遂宁经开区" not in names
        assert names["苏州工业园区"]["level"] == "国家级"
        assert "陕西航空经开区" not in names and "陕西航空经开区" in names["重庆经开区"]["aliases"].split("|")
        now = {(m["doc_id"], m["start"], m["measure_type"]): parks_now[m["park_id"]]["name"]
               for m in read_csv(folder / "measures.csv") if m["park_id"] in parks_now}
        assert shaanxi and all(now[key] == "重庆经开区" for key in shaanxi)
        assert {"extracted", "confirmed", "corrected", "added"} == {f["status"] for f in facts}
        assert read_csv(folder / "orphaned.csv") == []

    check_tables(data)
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data), "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "applied 8 of 8 correction(s); 0 orphaned, 1 row(s) rejected" in proc.stdout
    check_tables(data)
    listed = run_cli("corrections", "list", "--data", str(data)).stdout
    assert listed.count("in force") == 8


def test_a_build_and_a_republish_write_the_same_bytes(data, tmp_path):
    rate = fact(data, metric="reopening_rate")[0]
    correction_store.record(data, [{"action": "correct", "target": quote_of(data, rate), "set": {"value": 42}}],
                            echo=lambda line: None)
    published = {n: (data / f"{n}.csv").read_bytes() for n in ("parks", "facts", "measures", "rejected", "orphaned")}
    assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data)).returncode == 0
    assert published == {n: (data / f"{n}.csv").read_bytes() for n in published}


def test_an_orphaned_correction_is_reported_kept_and_back_in_force_with_its_article(data, tmp_path):
    article = tmp_path / "园区.txt"
    article.write_text("测试经开区通报\n截至2月20日，潍坊高新区规上工业企业复工率达到87.5%。\n", encoding="utf-8")
    assert run_cli("add", str(article), "--data", str(data)).returncode == 0
    env = {"LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli("build", "--out", str(data), env=env).returncode == 0
    row = fact(data, value="87.5")[0]
    assert run_cli("corrections", "import", str(write_jsonl(tmp_path / "r.jsonl", [
        {"action": "reject", "target": quote_of(data, row)}])), "--data", str(data)).returncode == 0
    assert fact(data, value="87.5") == []
    removed = run_cli("remove", row["doc_id"], "--data", str(data), "--build", env=env)
    assert removed.returncode == 0
    assert f"orphaned correction" in removed.stdout and "the document is not in the dataset" in removed.stdout
    orphans = read_csv(data / "orphaned.csv")
    assert [(o["doc_id"], o["exact"], o["action"]) for o in orphans] == [(row["doc_id"], "87.5%", "reject")]
    assert "orphaned: the document is not in the dataset" in run_cli("corrections", "list", "--data", str(data)).stdout
    assert run_cli("add", str(article), "--data", str(data), "--build", env=env).returncode == 0
    assert read_csv(data / "orphaned.csv") == [] and fact(data, value="87.5") == []
    assert [r["raw"] for r in read_csv(data / "rejected.csv")] == ["87.5%"]


def test_a_malformed_corrections_file_is_refused_line_by_line(data, tmp_path):
    rate = fact(data, metric="reopening_rate")[0]
    path = write_jsonl(tmp_path / "bad.jsonl", [
        {"action": "confirm", "target": quote_of(data, rate)},
        "{not json",
        {"action": "correct", "target": quote_of(data, rate), "set": {"value": 250}},
        "[1, 2]",
        {"action": "reject", "target": {"park": "x"}},
        "",
    ])
    proc = run_cli("corrections", "import", str(path), "--data", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any(l.endswith("line 2: refused: not JSON (Expecting property name enclosed in double quotes at column 2)")
               for l in lines)
    assert any("line 3: refused: reopening_rate 250 is outside 0–100" in l for l in lines)
    assert any("line 4: refused: a record must be a JSON object" in l for l in lines)
    assert any("line 5: refused: target doc_id is missing" in l for l in lines)
    assert "imported 1 correction(s)" in proc.stdout
    assert len(c.read(data)[0]) == 1
    again = run_cli("corrections", "import", str(tmp_path / "missing.jsonl"), "--data", str(data))
    assert again.returncode == 2 and "cannot read" in again.stdout


def test_export_then_import_elsewhere_gives_the_same_tables(data, built, tmp_path):
    rate = fact(data, metric="reopening_rate")[1]
    correction_store.record(data, [{"action": "reject", "target": quote_of(data, rate), "author": "a"}],
                            echo=lambda line: None)
    out = tmp_path / "shared.jsonl"
    assert run_cli("corrections", "export", str(out), "--data", str(data)).returncode == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0]["action"] == "reject" and records[0]["target"]["exact"] == rate["raw"]
    other = tmp_path / "other"
    shutil.copytree(built, other)
    assert run_cli("corrections", "import", str(out), "--data", str(other)).returncode == 0
    assert (other / "facts.csv").read_bytes() == (data / "facts.csv").read_bytes()
    proc = run_cli("corrections", "import", str(out), "--data", str(other))     # importing twice adds nothing
    assert proc.returncode == 0 and "1 already in the store" in proc.stdout
    assert len(c.read(other)[0]) == 1


def _write_many(args) -> None:
    data, rows, tag = args
    for i, row in enumerate(rows):
        correction_store.record(Path(data), [{"action": "confirm", "target": row, "note": f"{tag}-{i}"}],
                                echo=lambda line: None)


def test_two_processes_writing_corrections_at_once_lose_nothing(data):
    facts = read_csv(data / "facts.csv")
    targets = [quote_of(data, f) for f in facts[:24]]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pool.map(_write_many, [(str(data), targets[:12], "a"), (str(data), targets[12:], "b")])
    records, problems = c.read(data)
    assert problems == []
    assert sorted(r["note"] for r in records) == sorted([f"a-{i}" for i in range(12)] + [f"b-{i}" for i in range(12)])
    statuses = [f["status"] for f in read_csv(data / "facts.csv")]
    assert statuses.count("confirmed") >= 20        # rows sharing a span are confirmed together


def test_on_an_unbuilt_checkout_a_correction_waits_for_the_build(data, tmp_path):
    shutil.rmtree(data / "extracted")                 # a fresh clone: data/ holds the published tables only
    rate = fact(data, metric="reopening_rate")[0]
    path = write_jsonl(tmp_path / "c.jsonl", [{"action": "correct", "target": quote_of(data, rate), "set": {"value": 44}}])
    proc = run_cli("corrections", "import", str(path), "--data", str(data))
    assert proc.returncode == 0 and "run python -m loaders build to apply them" in proc.stdout
    assert fact(data, metric="reopening_rate")[0]["value"] == rate["value"]
    assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data)).returncode == 0
    assert [f["value"] for f in fact(data, status="corrected")] == ["44"]


def test_withdrawing_a_correction_undoes_it(data):
    rate = fact(data, metric="reopening_rate")[0]
    stored = correction_store.record(data, [{"action": "reject", "target": quote_of(data, rate)}], echo=lambda l: None)
    assert len(read_csv(data / "rejected.csv")) >= 1
    proc = run_cli("corrections", "withdraw", stored[0]["id"], "--data", str(data))
    assert proc.returncode == 0 and f"withdrawn {stored[0]['id']}" in proc.stdout
    assert read_csv(data / "rejected.csv") == [] and c.read(data)[0] == []


# ---------------------------------------------------------------- the editor password

def test_password_hash_verifies_only_the_password():
    stored = hash_password("correct horse", iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$") and "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert not verify_password("correct horse", "garbage")


def test_repeated_failures_make_every_attempt_wait_longer():
    stored = hash_password("pw-12345", iterations=1000)
    waits = []
    throttle = Throttle()
    for _ in range(6):
        assert not throttle.attempt("wrong", stored, sleep=waits.append)
    assert waits == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0]
    assert throttle.attempt("pw-12345", stored, sleep=waits.append) and throttle.delay() == 0.0


def test_password_command_prints_a_hash(tmp_path):
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "loaders", "password"], input="s3cret-pass\n", capture_output=True,
                          text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert verify_password("s3cret-pass", proc.stdout.strip())
