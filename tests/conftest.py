import csv
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **(env or {})})


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """data/ built from seeds/ by the command line, once per test session."""
    out = tmp_path_factory.mktemp("build") / "data"
    proc = run_cli("build", "--seeds", str(ROOT / "seeds"), "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def tables(built) -> dict[str, list[dict]]:
    return {name: read_csv(built / f"{name}.csv") for name in ("documents", "parks", "measures", "facts")}


@pytest.fixture(scope="session")
def park_names(tables) -> dict[str, str]:
    return {p["park_id"]: p["name"] for p in tables["parks"]}
