"""Files we read back (the correction store, the article index, the editor password setting, the result cache)
may hold a bad byte: each bad input is one line naming the file and the reason, the rest is used, and nothing
is lost (set aside byte for byte, never dropped by the next rewrite). A build leaves data/ readable to the
machine's other users."""
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, read_csv, run_cli
from loaders.correct import correction_store
from loaders.correct import corrections as c

BAD = b"\xff\n"


@pytest.fixture()
def data(built, tmp_path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(built, out)
    return out


def a_record(data: Path) -> dict:
    """A confirm of the first reopening rate, anchored on its text."""
    row = next(f for f in read_csv(data / "facts.csv") if f["metric"] == "reopening_rate")
    text = (data / "texts" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
    target = c.anchor(text, int(row["start"]), int(row["end"]), row["doc_id"])
    return {"action": "confirm", "target": {**target, "metric": "reopening_rate"}, "note": "kept"}


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


# ---------------------------------------------------------------- the correction store

def test_a_bad_line_of_the_correction_store_is_set_aside_by_the_build_and_the_rest_applied(data):
    correction_store.record(data, [a_record(data)], echo=lambda line: None)
    store = data / "corrections.jsonl"
    with open(store, "ab") as f:
        f.write(BAD + b'{"action": "confirm", broken\n')
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout
    side = data / "corrections.unreadable.jsonl"
    lines = proc.stdout.splitlines()
    assert f"{store} line 2: not valid UTF-8 (byte 0xff at column 1) — set aside in {side}" in lines
    assert any(l.startswith(f"{store} line 3: not JSON (") and l.endswith(f"set aside in {side}") for l in lines)
    assert "applied 1 of 1 correction(s); 0 orphaned, 0 row(s) rejected" in proc.stdout
    assert side.read_bytes() == BAD + b'{"action": "confirm", broken\n'       # verbatim
    records, problems = c.read(data)
    assert problems == [] and [r["note"] for r in records] == ["kept"]
    assert "confirmed" in {f["status"] for f in read_csv(data / "facts.csv")}
    listed = run_cli("corrections", "list", "--data", str(data))
    assert listed.returncode == 0 and f"2 unreadable line(s) kept in {side}" in listed.stdout


def test_corrections_list_and_export_name_the_bad_line_and_go_on(data, tmp_path):
    correction_store.record(data, [a_record(data)], echo=lambda line: None)
    store = data / "corrections.jsonl"
    with open(store, "ab") as f:
        f.write(BAD)
    before = store.read_bytes()
    proc = run_cli("corrections", "list", "--data", str(data))
    no_traceback(proc)
    assert proc.returncode == 2
    assert f"unreadable: {store}: line 2: not valid UTF-8 (byte 0xff at column 1)" in proc.stdout.splitlines()
    assert proc.stdout.count("in force") == 1 and "1 correction(s)" in proc.stdout
    out = tmp_path / "out.jsonl"
    proc = run_cli("corrections", "export", str(out), "--data", str(data))
    no_traceback(proc)
    assert proc.returncode == 2 and "not exported:" in proc.stdout and "line 2: not valid UTF-8" in proc.stdout
    assert [json.loads(l)["note"] for l in out.read_text(encoding="utf-8").splitlines()] == ["kept"]
    assert store.read_bytes() == before                   # reading never rewrites the store


def test_a_new_correction_sets_the_bad_line_aside_and_loses_nothing(data):
    store, side = data / "corrections.jsonl", data / "corrections.unreadable.jsonl"
    store.write_bytes(b"\xfe\xff not text\n")
    warned = []
    [stored] = correction_store.record(data, [a_record(data)], echo=lambda line: None, warn=warned.append)
    assert warned == [f"{store} line 1: not valid UTF-8 (byte 0xfe at column 1) — set aside in {side}"]
    assert side.read_bytes() == b"\xfe\xff not text\n"
    assert [r["id"] for r in c.read(data)[0]] == [stored["id"]] and c.read(data)[1] == []
    # a second bad line later is added to the side file, the first stays there
    with open(store, "ab") as f:
        f.write(b"{not json\n")
    assert correction_store.withdraw(data, [stored["id"]], echo=lambda line: None, warn=warned.append) == [stored["id"]]
    assert side.read_bytes() == b"\xfe\xff not text\n{not json\n" and c.read(data) == ([], [])


def test_a_bad_line_that_cannot_be_set_aside_stays_in_the_store_through_a_rewrite(data):
    store = data / "corrections.jsonl"
    store.write_bytes(BAD)
    (data / "corrections.unreadable.jsonl").mkdir()           # the side file cannot be written
    warned = []
    correction_store.record(data, [a_record(data)], echo=lambda line: None, warn=warned.append)
    assert len(warned) == 1 and "line 1: not valid UTF-8" in warned[0] and "left in the store" in warned[0]
    assert store.read_bytes().startswith(BAD) and len(c.read(data)[0]) == 1


def test_confirm_on_the_review_page_with_a_bad_store_warns_and_saves(tmp_path, monkeypatch):
    from test_app import open_app
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("extracted"))
    monkeypatch.setenv("PARKS_DATA_DIR", str(data))
    monkeypatch.setenv("LOADERS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PARKS_EDITOR_PASSWORD_HASH", raising=False)
    monkeypatch.setenv("PARKS_AUTHOR", "审核员甲")
    (data / "corrections.jsonl").write_bytes(BAD)
    at = open_app("review")
    at.button(key="confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning if "line 1: not valid UTF-8" in w.value and "set aside" in w.value]
    assert (data / "corrections.unreadable.jsonl").read_bytes() == BAD
    assert [r["action"] for r in c.read(data)[0]] == ["confirm"]


# ---------------------------------------------------------------- the article store's index

def test_an_unreadable_article_index_is_read_from_the_texts_and_set_aside_by_the_next_writer(tmp_path):
    data = tmp_path / "data"
    article = tmp_path / "园区.txt"
    article.write_text("测试通报\n截至2月20日，潍坊高新区规上工业企业复工率达到87.5%。\n", encoding="utf-8")
    assert run_cli("add", str(article), "--data", str(data)).returncode == 0
    index = data / "articles" / "index.json"
    [aid] = json.loads(index.read_text(encoding="utf-8"))
    damaged = index.read_bytes()[:20] + BAD
    index.write_bytes(damaged)
    listed = run_cli("list", "--data", str(data))
    no_traceback(listed)
    assert listed.returncode == 0 and aid in listed.stdout
    assert [l for l in listed.stdout.splitlines() if l.startswith(f"{index}: not valid UTF-8 (byte 0xff at byte 21)")]
    assert index.read_bytes() == damaged                  # listing never rewrites it
    env = {"LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    proc = run_cli("build", "--out", str(data), env=env)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout
    side = data / "articles" / "index.unreadable.json"
    assert f"— set aside in {side}" in proc.stdout and side.read_bytes() == damaged
    assert aid in {d["doc_id"] for d in read_csv(data / "documents.csv") if d["origin"] == "imported"}
    assert list(json.loads(index.read_text(encoding="utf-8"))) == [aid]
    # the side file outlives the last article's removal
    assert run_cli("remove", aid, "--data", str(data)).returncode == 0
    assert side.read_bytes() == damaged


def test_an_index_entry_that_is_no_article_is_refused_whole(tmp_path):
    from loaders.articles import store
    folder = tmp_path / "data" / "articles"
    folder.mkdir(parents=True)
    (folder / "index.json").write_text(json.dumps({"../../etc/passwd": {"name": "x"}}), encoding="utf-8")
    warned = []
    assert store.read_index(tmp_path / "data", warn=warned.append) == {}
    assert len(warned) == 1 and "is not an article of the store" in warned[0]


# ---------------------------------------------------------------- the result cache

@pytest.mark.parametrize("damage", [BAD, b"", b"Ixyz\n.", b"cnosuch\nX\n.", b"\x80\x05K", b"\x80\x02}q\x00(K\x01h\x05u."])
def test_a_damaged_cache_entry_is_a_miss(tmp_path, damage):
    from loaders.cache import ResultCache
    cache = ResultCache(tmp_path)
    cache._path("doc", "text").write_bytes(damage)
    assert cache.get("doc", "text") is None


def test_a_build_over_a_damaged_cache_makes_the_entries_again(tmp_path):
    env = {"LOADERS_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "data"
    assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out), env=env).returncode == 0
    entries = sorted((tmp_path / "cache").rglob("*.pickle"))
    assert len(entries) == 5
    for entry in entries:
        entry.write_bytes(b"cnosuch\nX\n.")                  # unpickles to an import of a module that is not there
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out), env=env)
    no_traceback(proc)
    assert proc.returncode == 0 and "processed 5 document(s), 0 unchanged" in proc.stdout
    assert run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out), env=env).stdout.count(
        "processed 0 document(s), 5 unchanged") == 1


# ---------------------------------------------------------------- the editor password setting

def test_a_damaged_password_hash_locks_editing_with_one_line(tmp_path, monkeypatch):
    from test_app import open_app
    monkeypatch.setenv("PARKS_DATA_DIR", str(ROOT / "data"))
    monkeypatch.setenv("PARKS_EDITOR_PASSWORD_HASH", "pbkdf2_sha256$240000$not base64!$AAAA")
    at = open_app("review")
    assert [w.value for w in at.warning if "PARKS_EDITOR_PASSWORD_HASH: the salt is not base64" in w.value]
    assert not [b for b in at.button if b.key in ("confirm", "editor_unlock")]


def test_a_secrets_file_with_a_bad_byte_locks_editing_with_one_line(tmp_path, monkeypatch):
    import streamlit
    from streamlit import config
    from streamlit.runtime.secrets import Secrets
    from test_app import open_app
    secrets = tmp_path / "secrets.toml"
    secrets.write_bytes(b'editor_password_hash = "x"\n' + BAD)
    monkeypatch.setenv("PARKS_DATA_DIR", str(ROOT / "data"))
    monkeypatch.delenv("PARKS_EDITOR_PASSWORD_HASH", raising=False)
    monkeypatch.delenv("PARKS_AUTHOR", raising=False)
    monkeypatch.setattr(streamlit, "secrets", Secrets())
    old = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(secrets)])
    try:
        at = open_app("review")
    finally:
        config.set_option("secrets.files", old)
    assert [w.value for w in at.warning if f"{secrets}: not valid UTF-8 (byte 0xff at byte 28)" in w.value]
    assert not [b for b in at.button if b.key in ("confirm", "editor_unlock")]     # locked, not open


# ---------------------------------------------------------------- modes after a build

def cli(*args: str, umask: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, umask=umask, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                                         "LOADERS_CACHE_DIR": ""})


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask, folder, file", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_a_new_data_folder_and_its_files_get_the_modes_the_umask_gives(tmp_path, umask, folder, file):
    out = tmp_path / "data"
    proc = cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out), umask=umask)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert mode(out) == folder
    for sub in ("texts", "extracted"):
        assert mode(out / sub) == folder
    for path in [*out.glob("*.csv"), out / "codebook.yaml", *(out / "texts").iterdir(), *(out / "extracted").iterdir()]:
        assert mode(path) == file, path


def test_a_rebuild_keeps_the_folders_mode_and_rewritten_files_stay_readable(data, tmp_path):
    data.chmod(0o750)
    proc = cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data), umask=0o022)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert mode(data) == 0o750
    data.chmod(0o755)
    assert cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(data), umask=0o022).returncode == 0
    assert mode(data) == 0o755
    # a correction rewrites the store and republishes tables through temporary files; an import writes the index
    records = tmp_path / "c.jsonl"
    records.write_text(json.dumps(a_record(data), ensure_ascii=False) + "\n", encoding="utf-8")
    assert cli("corrections", "import", str(records), "--data", str(data), umask=0o022).returncode == 0
    article = tmp_path / "园区.txt"
    article.write_text("测试通报\n截至2月20日，潍坊高新区规上工业企业复工率达到87.5%。\n", encoding="utf-8")
    assert cli("add", str(article), "--data", str(data), umask=0o022).returncode == 0
    for path in [data / "corrections.jsonl", data / "facts.csv", data / "parks.csv", data / "articles" / "index.json",
                 *(data / "articles").glob("*.txt"), *(data / "articles" / "originals").iterdir()]:
        assert mode(path) == 0o644, path
    assert mode(data) == 0o755
