"""The build's progress: its stages in order from the loaders, a bar or stage lines from the command line, and the
import page's rebuild in a process of its own that reports them (the app goes on serving while it runs)."""
import shutil

import pytest
from filelock import Timeout

from conftest import ROOT, run_cli
from loaders import engines, progress
from loaders.articles import store
from loaders.cli import LOCKED, build


def test_the_build_reports_each_stage_in_order(tmp_path):
    steps = []
    assert build(ROOT / "seeds", tmp_path / "data", echo=lambda line: None, cache=None,
                 progress=lambda *step: steps.append(step)) == 0
    stages = [s for s, _, _ in steps]
    assert list(dict.fromkeys(stages)) == list(progress.STAGES)
    seeds = len(list((ROOT / "seeds").glob("*.txt")))
    assert ("read", seeds, seeds) in steps and ("extract", seeds, seeds) in steps and steps[-1] == ("write", 1, 1)
    extract = [done for s, done, _ in steps if s == "extract"]
    assert extract == sorted(extract) and len(extract) == seeds           # one step per document, never back


def test_documents_are_counted_as_the_pool_finishes_them():
    """Enough documents for the fork pool: the count reaches the total, in order, and the results keep the
    order of the items."""
    text = (ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0]).read_text(encoding="utf-8")
    items = [(f"d{i}", text) for i in range(engines.PARALLEL_FROM)]
    seen = []
    results = engines.map_documents(items, progress=lambda done, total: seen.append((done, total)))
    assert [r.doc_id for r in results] == [i for i, _ in items]
    assert seen == [(n, len(items)) for n in range(1, len(items) + 1)]


def test_the_command_line_writes_stage_lines_for_programs(tmp_path):
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(tmp_path / "data"), "--no-cache",
                   "--progress", "lines")
    assert proc.returncode == 0, proc.stderr
    steps = [progress.parse(line) for line in proc.stderr.splitlines()]
    assert None not in steps and steps[-1] == ("write", 1, 1)
    assert "@progress" not in proc.stdout and "built " in proc.stdout      # results stay on stdout
    plain = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(tmp_path / "again"), "--no-cache")
    assert plain.returncode == 0 and plain.stderr == ""                   # off a terminal: no bar, no lines


@pytest.fixture
def data(tmp_path, monkeypatch):
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out, ignore=shutil.ignore_patterns("extracted"))
    monkeypatch.setenv("LOADERS_CACHE_DIR", str(tmp_path / "cache"))
    return out


def test_the_page_rebuild_runs_apart_and_reports_its_stages(data):
    from dashboard import imports
    (data / "corrections.jsonl").write_bytes(b'{"not json\n')
    steps, warnings = [], []
    built, lines = imports.rebuild(data, ROOT / "seeds", warnings.append, lambda *step: steps.append(step))
    assert built, lines
    assert [s for s in dict.fromkeys(s for s, _, _ in steps)] == list(progress.STAGES)
    assert any(line.startswith("built ") for line in lines) and not any(line.startswith("@") for line in lines)
    assert len(warnings) == 1 and "corrections.jsonl" in warnings[0] and "line 1" in warnings[0]


def test_a_held_lock_is_a_timeout_for_the_page_and_status_75_for_the_command_line(data):
    from dashboard import imports
    before = (data / "facts.csv").read_bytes()
    with store.lock(data):
        with pytest.raises(Timeout):
            imports.rebuild(data, ROOT / "seeds", wait=0.5)
        proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--with-store", "--out", str(data), "--wait", "0.5")
    assert proc.returncode == LOCKED and "holds the lock" in proc.stderr
    assert (data / "facts.csv").read_bytes() == before
