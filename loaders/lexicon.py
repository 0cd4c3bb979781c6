"""Loads the YAML data files once per process: the extraction rules are data, not code."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"


@functools.cache
def load(name: str) -> dict:
    """Return the parsed YAML file `loaders/data/{name}.yaml` (cached)."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def measures() -> dict:
    return load("measures")


def metrics() -> dict:
    return load("metrics")


def parks() -> dict:
    return load("parks")


def gazetteer() -> dict:
    return load("gazetteer")


def regions() -> dict:
    return load("regions")


def longest_first(words) -> list[str]:
    """Words sorted for regex alternation: longer first so 经济技术开发区 wins over 开发区."""
    return sorted(set(words), key=lambda w: (-len(w), w))
