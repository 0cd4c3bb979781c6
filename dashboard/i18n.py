"""Labels in the user's language: `strings.yaml` for the interface, the codebook for measures and metrics.

Park names and article text stay Chinese in both languages; their type gets an English label.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent / "data"
LANGS = ("zh", "en")


@lru_cache(maxsize=None)
def _strings() -> dict:
    return yaml.safe_load((HERE / "strings.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def style() -> dict:
    return yaml.safe_load((HERE / "style.yaml").read_text(encoding="utf-8"))


class Labels:
    def __init__(self, lang: str, codebook: dict):
        self.lang = lang if lang in LANGS else "zh"
        self.codebook = codebook

    def t(self, key: str, **fmt) -> str:
        entry = _strings()[key]
        text = entry[self.lang] if isinstance(entry, dict) else entry
        return text.format(**fmt) if fmt else text

    def reason(self, text: str) -> str:
        """Why the loaders refused a file or a row, in this language (strings.yaml `input_reasons`); the
        loaders' English as it is where no pattern matches, or in English."""
        if self.lang == "en":
            return text
        for entry in _strings()["input_reasons"]:
            m = re.fullmatch(entry["pattern"], text)
            if m:
                return entry["zh"].format(*m.groups())
        return text

    def has(self, key: str) -> bool:
        return key in _strings()

    def _group(self, group: str, value: str) -> str:
        entry = _strings()[group].get(value)
        if not value:
            return self.t("unknown")
        if entry is None or self.lang == "zh":
            return value
        return entry[self.lang] if isinstance(entry, dict) else entry

    def region(self, value: str) -> str:
        return self._group("region", value)

    def province(self, value: str) -> str:
        return self._group("province", value)

    def province_short(self, value: str) -> str:
        """A province as a tile of the map holds it: its short name, or its ISO 3166-2:CN code in English."""
        return value if self.lang == "zh" else style()["province_codes"].get(value, value)

    def park_type(self, value: str) -> str:
        return self._group("park_type", value)

    def _code(self, section: str, code: str) -> str:
        entry = self.codebook.get(section, {}).get(code)
        return entry[self.lang] if entry else code

    def measure(self, code: str) -> str:
        return self._code("measure_types", code)

    def family(self, code: str) -> str:
        return self._code("families", code)

    def metric(self, code: str) -> str:
        return self._code("metrics", code)

    def basis(self, code: str) -> str:
        return self._code("bases", code)

    def how(self, code: str) -> str:
        return self._code("hows", code)

    def role(self, code: str) -> str:
        return self._code("roles", code)

    def status(self, code: str) -> str:
        """extracted | confirmed | corrected | added in the user's language; corrected and added carry ✎."""
        label = self._code("statuses", code)
        return f"{label} ✎" if code in ("corrected", "added") else label

    def park(self, name: str, park_type: str) -> str:
        """A park as shown: its Chinese name, plus the English type in English."""
        return name if self.lang == "zh" or not park_type else f"{name} ({self.park_type(park_type)})"
