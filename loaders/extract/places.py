"""Place names: the adcodes table shipped in the cpca package (MIT), read as a file.

`import cpca` breaks with new setuptools, so only its CSV is read. Each place gets a full name
(大同市), a short name (大同) and its province and city in short form.
"""
from __future__ import annotations

import csv
import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from loaders import lexicon

SUFFIXES = ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "省", "市",
            "县", "区", "盟", "旗"]


@dataclass(frozen=True)
class Place:
    code: str            # 12-digit adcode
    name: str            # 大同市
    short: str           # 大同
    level: int           # 1 province, 2 city, 3 county
    province: str        # 山西
    city: str            # 大同 (the county-level city itself for 省直辖 units, e.g. 阿拉尔)
    lat: str
    lon: str


def adcodes_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package is not installed (its adcodes.csv is the place table)")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


# the 55 minority nationalities as autonomous areas name them (黔东南苗族侗族自治州, 博尔塔拉蒙古自治州)
NATIONALITIES = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|"
                 "柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|"
                 "京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各族")
AUTONOMOUS = re.compile(f"(?:(?:{NATIONALITIES})族?)+(?:自治州|自治县|自治旗)$")


def short_name(name: str) -> str:
    """黔东南苗族侗族自治州 -> 黔东南, 长阳土家族自治县 -> 长阳, 南京市 -> 南京."""
    autonomous = AUTONOMOUS.search(name)
    if autonomous and autonomous.start() >= 2:
        return name[:autonomous.start()]
    if name.endswith(("自治州", "自治县")) and len(name) > 4:
        return name[:2]
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def province_short(name: str) -> str:
    full = {v: k for k, v in lexicon.regions()["province_full_names"].items()}
    return full.get(name, short_name(name))


@functools.cache
def table() -> "PlaceTable":
    with open(adcodes_path(), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f)]
    return PlaceTable(rows)


class PlaceTable:
    def __init__(self, rows: list[dict]):
        by_code = {r["adcode"]: r for r in rows}
        self.places: list[Place] = []
        self.by_name: dict[str, list[Place]] = {}
        provinces = {r["adcode"][:2]: province_short(r["name"]) for r in rows if r["adcode"][2:] == "0" * 10}
        for r in rows:
            code, name = r["adcode"], r["name"]
            if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or not r["latitude"]:
                continue
            if code[2:] == "0" * 10:
                level = 1
            elif code[4:] == "0" * 8:
                level = 2
            else:
                level = 3
            province = provinces.get(code[:2], "")
            city_row = by_code.get(code[:4] + "0" * 8)
            if level == 1 or (city_row and city_row["name"] == "市辖区") or code[:2] in ("11", "12", "31", "50"):
                city = province if code[:2] in ("11", "12", "31", "50") else short_name(name)
            elif city_row is None or city_row["name"].endswith("直辖县级行政区划") or code[2:4] == "90":
                city = short_name(name)
            else:
                city = short_name(city_row["name"])
            if level == 2 and code[2:4] == "90":
                continue
            place = Place(code, name, short_name(name) if level > 1 else province, level, province, city,
                          r["latitude"], r["longitude"])
            self.places.append(place)
            keys = {name, place.short}
            if name.endswith("自治州"):
                keys.add(place.short + "州")            # 黔南州, 恩施州: how articles write an autonomous prefecture
            for key in keys:
                if len(key) >= 2:
                    self.by_name.setdefault(key, []).append(place)
        for cands in self.by_name.values():
            cands.sort(key=lambda p: (p.level, p.code))
        self.max_len = max(len(k) for k in self.by_name)

    def names(self) -> set[str]:
        return set(self.by_name)

    def lookup(self, name: str, within: str = "") -> Place | None:
        """The place called `name` inside adcode prefix `within`; higher levels win (大同 -> 大同市)."""
        for place in self.by_name.get(name, []):
            if place.code.startswith(within):
                return place
        return None

    def resolve(self, parts: list[str], within: str = "") -> Place | None:
        """Most specific place named by a sequence of parts (江苏, 靖江 -> 靖江市 in 泰州), inside the adcode
        prefix `within` when the article settled which of several same-named places it is."""
        found = None
        for part in parts:
            place = self.lookup(part, within)
            if place is None and len(part) > 2:
                # a gazetteer stem that begins with a place (南京江北 -> 南京)
                prefix = next((part[:k] for k in range(len(part) - 1, 1, -1) if part[:k] in self.by_name), None)
                place = self.lookup(prefix, within) if prefix else None
            if place is None and within:
                continue
            if place is None:
                continue
            found = place
            within = place.code[: {1: 2, 2: 4, 3: 6}[place.level]]
        return found

    @functools.cached_property
    def region_names_re(self):
        """Provinces and cities by full and short name, for counting what an article talks about."""
        names = {n for p in self.places if p.level <= 2 for n in (p.name, p.short) if len(n) >= 2}
        return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))

    def context(self, text: str) -> dict[str, int]:
        """How often an article names each province and city, by name: {name: count}."""
        counts: dict[str, int] = {}
        for m in self.region_names_re.finditer(text):
            counts[m.group()] = counts.get(m.group(), 0) + 1
        return counts

    def disambiguate(self, parts: list[str], context: dict[str, int]) -> tuple[str, bool]:
        """(adcode prefix, ambiguous) for a name whose first place exists more than once (海州区 in 连云港 and
        in 阜新; 朝阳 a city and two districts): the candidate whose city, then province, the rest of the
        article names most; ambiguous when the article does not tell them apart."""
        everywhere = self.by_name.get(parts[0], []) if parts else []
        candidates = [p for p in everywhere if p.level >= 2]
        if len({p.code[:4] for p in candidates}) < 2 or any(p.level == 1 for p in everywhere):
            return "", False
        prefix_counts: dict[str, int] = {}
        for name, n in context.items():
            if name == parts[0]:
                continue                    # the ambiguous name itself tells nothing
            for place in self.by_name.get(name, []):
                if place.level <= 2:
                    key = place.code[:2] if place.level == 1 else place.code[:4]
                    prefix_counts[key] = prefix_counts.get(key, 0) + n
        score = lambda p: (prefix_counts.get(p.code[:4], 0) if p.level == 3 else 0, prefix_counts.get(p.code[:2], 0))
        ranked = sorted(candidates, key=score, reverse=True)
        if score(ranked[0]) == score(ranked[1]):
            return "", True
        best = ranked[0]
        return best.code[:{2: 4, 3: 6}[best.level]], False

    def city_place(self, province: str, city: str) -> Place | None:
        """The place row of a city named in the gazetteer (for its coordinates)."""
        for place in self.by_name.get(city, []):
            if place.province == province:
                return place
        return None


@functools.cache
def province_regions() -> dict[str, str]:
    return {p: region for region, provinces in lexicon.regions()["regions"].items() for p in provinces}


def region_of(province: str) -> str:
    return province_regions().get(province, "")


def is_province(name: str) -> bool:
    return name in province_regions() or name in set(lexicon.regions()["province_full_names"].values()) \
        or (name.endswith("省") and name[:-1] in province_regions()) \
        or (name.endswith("市") and name[:-1] in ("北京", "天津", "上海", "重庆"))
