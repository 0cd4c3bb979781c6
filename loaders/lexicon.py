"""Loads the YAML data files once per process: the extraction rules are data, not code."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

# libyaml's loader when PyYAML was built with it (the gazetteer files load 7x faster), else the Python one
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DATA_DIR = Path(__file__).parent / "data"


@functools.cache
def load(name: str) -> dict:
    """Return the parsed YAML file `loaders/data/{name}.yaml` (cached)."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=SafeLoader)


def measures() -> dict:
    return load("measures")


def metrics() -> dict:
    return load("metrics")


def parks() -> dict:
    return load("parks")


# The gazetteer is gazetteer.yaml (hand-kept: nicknames and aliases the lists lack) followed by the files
# built from public lists (gazetteer_*.yaml, each naming its source). The first file to name a park wins;
# later files only add aliases to it.
GAZETTEER_FILES = ["gazetteer", "gazetteer_jingkai", "gazetteer_gaoxin", "gazetteer_special", "gazetteer_provincial"]
# sections of national-level zones; a park is 国家级 only from these or from the text
PROVINCIAL_SECTIONS = {"省级开发区"}


@functools.cache
def gazetteer() -> dict:
    """{section: {canonical name: {province, city, type?, aliases?}}} merged over GAZETTEER_FILES."""
    merged: dict[str, dict] = {}
    where: dict[str, dict] = {}           # canonical name -> the entry that holds it
    for name in GAZETTEER_FILES:
        if not (DATA_DIR / f"{name}.yaml").exists():
            continue
        for section, entries in (load(name) or {}).items():
            target = merged.setdefault(section, {})
            for park, entry in (entries or {}).items():
                entry = dict(entry or {})
                if park in where:
                    held = where[park]
                    held["aliases"] = list(dict.fromkeys([*held.get("aliases", []), *entry.get("aliases", [])]))
                    continue
                target[park] = entry
                where[park] = entry
    return merged


def regions() -> dict:
    return load("regions")


def longest_first(words) -> list[str]:
    """Words sorted for regex alternation: longer first so 经济技术开发区 wins over 开发区."""
    return sorted(set(words), key=lambda w: (-len(w), w))
