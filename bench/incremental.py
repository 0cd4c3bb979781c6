"""Benchmark: adding one article to a thousand, side by side with building that one article alone.

Makes the synthetic corpus of bench/build_speed.py (1,000 articles), builds it with an empty cache,
adds one article and builds again (only the new one is processed), and builds the one article on its
own, each as a user runs it: `python -m loaders build` in a new process. Prints the three times and
the ratio of the incremental build to the one-article build.

    python bench/incremental.py [--articles 1000]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_speed import corpus  # noqa: E402


def timed(seeds: Path, out: Path, cache: Path | None) -> float:
    """Seconds of `python -m loaders build --seeds seeds --out out` with that cache (None: no cache)."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LOADERS_CACHE_DIR": str(cache) if cache else ""}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "loaders", "build", "--seeds", str(seeds), "--out", str(out)],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds, one, cache = tmp / "seeds", tmp / "one", tmp / "cache"
        seeds.mkdir()
        one.mkdir()
        corpus(args.articles + 1, seeds)
        newest = sorted(seeds.iterdir())[-1]
        shutil.move(newest, one / newest.name)
        cold = timed(seeds, tmp / "data", cache)
        shutil.copy(one / newest.name, seeds / newest.name)
        warm = timed(seeds, tmp / "data", cache)
        alone = timed(one, tmp / "data-one", None)
        print(f"build {args.articles} articles, empty cache: {cold:.2f} s")
        print(f"add one and rebuild (cache):     {warm:.2f} s")
        print(f"build that one article alone:    {alone:.2f} s")
        print(f"incremental / one article = {warm / alone:.2f}x; incremental / cold = {warm / cold:.2f}x")


if __name__ == "__main__":
    main()
