"""`build --engine dask`: the per-article step on a dask.distributed cluster gives the same data/, byte for byte, as
the default local engine; an engine or scheduler that cannot be used is one line and exit 2, data/ untouched."""
import logging
import shutil
import socket
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

distributed = pytest.importorskip("distributed")

from loaders import engines  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, as a shared cluster would have; started once for this module."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, **engines.QUIET,
                                  silence_logs=logging.ERROR) as c:
        yield c


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dask_build_writes_the_same_bytes_as_the_local_build(cluster, tmp_path):
    local, dask = tmp_path / "local" / "data", tmp_path / "dask" / "data"
    seeds = str(ROOT / "seeds")
    proc = run_cli("build", "--seeds", seeds, "--out", str(local), "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_cli("build", "--seeds", seeds, "--out", str(dask), "--no-cache", "--engine", "dask",
                   "--scheduler", cluster.scheduler_address)
    assert proc.returncode == 0 and proc.stderr == "", proc.stdout + proc.stderr
    assert "processed 5 document(s), 0 unchanged" in proc.stdout
    assert "process_batch" in cluster.scheduler.task_prefixes       # the cluster's workers did the processing
    built, again = files(local), files(dask)
    assert {"documents.csv", "parks.csv", "facts.csv", "measures.csv", "figures.csv", "park_totals.csv",
            "codebook.yaml"} <= set(built)
    assert sorted(built) == sorted(again)
    for name in built:
        assert built[name] == again[name], f"{name} differs between --engine local and --engine dask"


def test_without_an_address_the_build_starts_its_own_cluster(built, cluster, tmp_path):
    """`--engine dask` alone: a LocalCluster for the build (a cluster already running beside it, as here, is no
    reason for a warning)."""
    out = tmp_path / "data"
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out), "--no-cache", "--engine", "dask")
    assert proc.returncode == 0 and proc.stderr == "", proc.stdout + proc.stderr
    assert files(out) == files(built)


def test_the_same_results_in_the_same_order(cluster):
    """DocResults equal to the local ones, in the order given, batches or not: a named park, an article with no
    park, and one that extraction fails on (its reason) included."""
    items = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    items += [("no_park", "今天天气很好，我们去公园散步。\n"), ("broken", None),
              ("named", "园区复工率达到95%，规上企业全部复工。\n", "南京经开区")]
    items = items[::-1] + items
    local = engines.map_documents(items, "local")
    seen = []
    assert engines.map_documents(items, "dask", cluster.scheduler_address,
                                 progress=lambda done, total: seen.append((done, total))) == local
    # by batch as they finish: counts that only grow, up to every item
    assert seen[-1] == (len(items), len(items)) and [d for d, _ in seen] == sorted({d for d, _ in seen})
    assert [r[0] if isinstance(r, tuple) else r.doc_id for r in local] == [item[0] for item in items]
    assert ("broken", "extraction failed (AttributeError: 'NoneType' object has no attribute 'replace')") in local


def test_workers_with_other_rules_are_refused(cluster, monkeypatch):
    import loaders.cache
    monkeypatch.setattr(loaders.cache, "rules_version", lambda: "not-these-rules")
    with pytest.raises(engines.EngineError, match=r"^2 worker\(s\) of the dask scheduler at .* run other loaders "
                                                  r"rules than this copy"):
        engines.map_documents([("a", "南京经开区复工率95%。")], "dask", cluster.scheduler_address)


def test_a_scheduler_without_workers_is_one_line(monkeypatch):
    monkeypatch.setattr(engines, "WAIT_FOR_WORKERS", 1)
    with distributed.LocalCluster(n_workers=0, processes=True, **engines.QUIET,
                                  silence_logs=logging.ERROR) as empty:
        with pytest.raises(engines.EngineError) as e:
            engines.map_documents([("a", "南京经开区复工率95%。")], "dask", empty.scheduler_address)
    assert str(e.value) == (f"the dask scheduler at {empty.scheduler_address} has no worker (none joined in 1 s): "
                            f"start one in a copy of this repository (PYTHONPATH=. dask worker "
                            f"{empty.scheduler_address})")


def test_batches_keep_the_order_and_bound_the_tasks():
    items = list(range(20_000))
    cut = engines.batches(items, workers=2)
    assert [i for batch in cut for i in batch] == items
    assert len(cut) == 100 and max(map(len, cut)) == engines.MAX_BATCH
    assert [len(b) for b in engines.batches(items[:5], workers=2)] == [1] * 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_and_data_is_left_as_it_was(built, tmp_path):
    out = tmp_path / "data"
    shutil.copytree(built, out)
    before = files(out)
    address = f"tcp://127.0.0.1:{free_port()}"
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out), "--no-cache", "--engine", "dask",
                   "--scheduler", address, env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert proc.returncode == 2
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == [f"error: cannot reach the dask scheduler at {address} (Timed out trying to "
                                        f"connect to {address} after 2 s); {out} left unchanged"]
    assert files(out) == before


@pytest.mark.parametrize("args, line", [
    (["--engine", "spark"], "error: --engine spark: use local or dask"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "error: --scheduler ADDRESS is for --engine dask"),
    (["--engine", "dask", "--scheduler", "nonsense"],
     "error: cannot reach the dask scheduler at nonsense (missing port number in address 'nonsense'); {out} left "
     "unchanged"),
])
def test_bad_engine_arguments_are_one_line(tmp_path, args, line):
    out = tmp_path / "data"
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out), "--no-cache", *args)
    assert proc.returncode == 2
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == [line.format(out=out)]
    assert not out.exists()
