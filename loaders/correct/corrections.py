"""The correction store, `data/corrections.jsonl`: what analysts confirmed, rejected, corrected and added.

One JSON record a line, in the order they were made (the interchange format of
`python -m loaders corrections export|import`):

    {"id": "c_…", "time": "2026-11-23T10:00:00+00:00", "author": "…", "note": "…",
     "action": "reject",
     "target": {"doc_id": "…", "start": 273, "end": 277, "exact": "300元", "prefix": "…", "suffix": "…",
                "metric": "subsidy_amount", "park": "苏州工业园区"},
     "set": {}}

A row is anchored the way web annotations are (W3C Web Annotation text-quote selector): the exact text of
its span with up to 32 characters either side, and its offsets only as a hint. `park` in a target is
optional: it picks one park's row when a span holds several (a list of parks sharing one figure).
Park actions target `{"park": name}`; `set_park` may instead target a document, `{"doc_id": "…"}`, with
`set: {"park": name}` (and optionally park_type, level, province, city): the editor names the park an article is
about (one with no park the loaders recognise, documents.csv status no_park), and the next build extracts the
article for that park (`document_parks`, read by the build before extraction).

The store lives beside the rebuilt tables (a build carries it over, like the article store) and is written
atomically under the same lock as builds and imports. The build applies it after extraction, every time
(`apply`); a record whose target the build no longer produces is an orphan: reported, listed in
`orphaned.csv`, never dropped, and in force again once its article is back.
"""
from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from loaders import lexicon
from loaders.assemble.asof import date_facts
from loaders.assemble.dataset import ROW_KEYS
from loaders.extract.facts import AMOUNT_METRICS, fmt_number
from loaders.files import aside_path, utf8_reason

CONTEXT = 32                      # characters of prefix and suffix kept around a quote
FILE = "corrections.jsonl"
ASIDE = aside_path(Path(FILE)).name          # corrections.unreadable.jsonl: lines that are not UTF-8 JSON
ROW_ACTIONS = ("confirm", "reject", "correct", "add")
PARK_ACTIONS = ("rename_park", "merge_park", "set_park")
# figure actions are anchored on facts and read by the resolution stage (loaders/resolve/review.py)
FIGURE_ACTIONS = ("merge_figure", "split_figure", "part_of", "not_part")
FIGURE_FIELDS = {"merge_figure": "with", "part_of": "of"}
ACTIONS = ROW_ACTIONS + PARK_ACTIONS + FIGURE_ACTIONS
STATUSES = ("extracted", "confirmed", "corrected", "added")
FACT_FIELDS = ("value", "unit", "basis", "scope", "date", "metric", "park")
MEASURE_FIELDS = ("measure_type", "park")
PARK_FIELDS = {"rename_park": ("name",), "merge_park": ("into",),
               "set_park": ("park_type", "level", "province", "city")}
DOCUMENT_PARK_FIELDS = ("park", *PARK_FIELDS["set_park"])       # set_park on a document: its park, described
MONEY = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
PARK_TYPES = ("经开区", "高新区", "新区", "工业园区", "自贸区", "其他")
LEVELS = ("国家级", "省级", "未知")
ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
# rejected.csv: the rejected row as it was, then the correction that rejected it
REJECTED_COLUMNS = ["table", "park_id", "park_name", "metric", "measure_type", "value", "unit", "basis", "scope",
                    "date", "doc_id", "evidence", "start", "end", "raw", "flags", "origin",
                    "correction_id", "author", "note", "time"]
ORPHAN_COLUMNS = ["correction_id", "action", "doc_id", "exact", "kind", "park", "reason", "author", "time"]
# park_redirects.csv: park ids that no longer name a park of their own, and the park they lead to. A park keeps its
# id through a rename; a merged park's id leads to the park it was merged into (`how` merged, `old_name` the merged
# park's name), and the id a rename gave before ids were kept (P + hash of the new name) leads to the renamed park
# (`how` renamed, `old_name` that new name)
REDIRECT_COLUMNS = ["old_id", "old_name", "park_id", "how", "correction_id"]


class CorrectionError(ValueError):
    """A record that cannot be used; the message is the reason, one line (English, for the command line). A
    reason a form can meet also has a `code` and its `params`, so the dashboard says it in the user's language."""

    def __init__(self, message: str, code: str = "", **params):
        super().__init__(message)
        self.code = code
        self.params = params


# ---------------------------------------------------------------- anchors

def anchor(text: str, start: int, end: int, doc_id: str) -> dict:
    """A text-quote selector for text[start:end] of a document."""
    return {"doc_id": doc_id, "start": start, "end": end, "exact": text[start:end],
            "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT]}


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate(text: str, target: dict) -> tuple[int, int] | None:
    """(start, end) of the quote in `text`: every occurrence is scored by how much of its prefix and suffix
    still match, ties go to the one nearest the offsets' hint; None when the quote is gone."""
    exact = target["exact"]
    hint = target.get("start")
    best, best_key = None, None
    pos = text.find(exact)
    while pos != -1:
        end = pos + len(exact)
        context = (_common_suffix(text[max(0, pos - CONTEXT):pos], target.get("prefix", ""))
                   + _common_prefix(text[end:end + CONTEXT], target.get("suffix", "")))
        key = (context, -abs(pos - hint) if isinstance(hint, int) else 0)
        if best_key is None or key > best_key:
            best, best_key = (pos, end), key
        pos = text.find(exact, pos + 1)
    return best


# ---------------------------------------------------------------- validation

@dataclass(frozen=True)
class Vocabulary:
    """Codes a record may use, from the loaders' YAML."""
    metrics: dict
    bases: tuple
    measure_types: tuple
    provinces: tuple

    @classmethod
    def load(cls) -> "Vocabulary":
        from loaders.extract.places import province_regions
        k, m = lexicon.metrics(), lexicon.measures()
        return cls(metrics=k["metrics"], bases=tuple(k["bases"]), measure_types=tuple(m["measure_types"]),
                   provinces=tuple(province_regions()))


def _text(value, what: str, limit: int, empty_ok: bool = False) -> str:
    if value is None:
        raise CorrectionError(f"{what} is missing", "missing", what=what)
    if not isinstance(value, str):
        raise CorrectionError(f"{what} must be text")
    value = value.strip()
    if not value and not empty_ok:
        raise CorrectionError(f"{what} is empty", "empty", what=what)
    if len(value) > limit:
        raise CorrectionError(f"{what} is longer than {limit} characters", "too_long", what=what, limit=limit)
    return value


def _number(value, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CorrectionError(f"{what} must be a number")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise CorrectionError(f"{what} {value!r} is not a number", "not_a_number", what=what, value=value) from None
    if not number.is_finite():
        raise CorrectionError(f"{what} {value!r} is not a number", "not_a_number", what=what, value=value)
    return number


def check_date(value) -> str:
    """'' or a real calendar date as YYYY-MM-DD or YYYY-MM."""
    value = _text(value, "date", 10, empty_ok=True)
    if not value:
        return ""
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if len(value) in (7, 10):
            return value
    raise CorrectionError(f"date {value!r} is not a date (YYYY-MM-DD or YYYY-MM)", "not_a_date", value=value)


def check_value(metric: str, value, unit: str | None, basis: str | None, vocab: Vocabulary) -> tuple[str, str]:
    """(value, unit) as the tables hold them: a rate is 0–100 %, an amount is positive and kept in 元
    (given in 元, 万元 or 亿元), a share of a subsidy 0–100 %, a count is not negative."""
    number = _number(value, "value")
    natural = vocab.metrics[metric]["unit"]
    unit = (unit or natural).strip()
    if natural == "%" or (metric == "subsidy_amount" and (unit == "%" or basis == "share")):
        if unit != "%":
            raise CorrectionError(f"unit {unit!r} does not fit {metric} (a share in %)", "unit_share", unit=unit, metric=metric)
        if not 0 <= number <= 100:
            raise CorrectionError(f"{metric} {number} is outside 0–100", "outside_0_100", metric=metric, number=number)
        return fmt_number(number), "%"
    if metric in AMOUNT_METRICS:
        if unit not in MONEY:
            raise CorrectionError(f"unit {unit!r} is not 元, 万元 or 亿元", "unit_money", unit=unit)
        if number <= 0:
            raise CorrectionError(f"an amount must be positive, not {number}", "not_positive", number=number)
        return fmt_number(number * MONEY[unit]), "元"
    if unit != natural:
        raise CorrectionError(f"unit {unit!r} does not fit {metric} (counted in {natural})", "unit_count", unit=unit, metric=metric, natural=natural)
    if number < 0:
        raise CorrectionError(f"{metric} cannot be negative ({number})", "negative", metric=metric, number=number)
    return fmt_number(number), natural


def _check_target(target, action: str, vocab: Vocabulary) -> dict:
    if not isinstance(target, dict):
        raise CorrectionError("target must be an object")
    if action == "set_park" and "doc_id" in target:
        unknown = set(target) - {"doc_id"}
        if unknown:
            raise CorrectionError(f"set_park on a document targets only doc_id, not {', '.join(sorted(unknown))}")
        doc_id = _text(target.get("doc_id"), "target doc_id", 100)
        if not ID_RE.match(doc_id):
            raise CorrectionError(f"target doc_id {doc_id!r} is not a document id")
        return {"doc_id": doc_id}
    if action in PARK_ACTIONS:
        unknown = set(target) - {"park"}
        if unknown:
            raise CorrectionError(f"target of {action} takes only park, not {', '.join(sorted(unknown))}")
        return {"park": _text(target.get("park"), "target park", 100)}
    allowed = {"doc_id", "start", "end", "exact", "prefix", "suffix", "metric", "measure_type", "park"}
    unknown = set(target) - allowed
    if unknown:
        raise CorrectionError(f"unknown target field {', '.join(sorted(unknown))}")
    out = {"doc_id": _text(target.get("doc_id"), "target doc_id", 100)}
    if not ID_RE.match(out["doc_id"]):
        raise CorrectionError(f"target doc_id {out['doc_id']!r} is not a document id")
    exact = target.get("exact")
    if not isinstance(exact, str) or not exact:
        raise CorrectionError("target exact (the quoted text) is missing")
    out["exact"] = exact
    for key in ("start", "end"):
        if key in target:
            if isinstance(target[key], bool) or not isinstance(target[key], int) or target[key] < 0:
                raise CorrectionError(f"target {key} must be a whole number ≥ 0")
            out[key] = target[key]
    if "start" in out and "end" in out and out["end"] - out["start"] != len(exact):
        raise CorrectionError("target start and end do not span the quoted text")
    for key in ("prefix", "suffix"):
        value = target.get(key, "")
        if not isinstance(value, str):
            raise CorrectionError(f"target {key} must be text")
        out[key] = value[-CONTEXT:] if key == "prefix" else value[:CONTEXT]
    has_metric, has_measure = "metric" in target, "measure_type" in target
    if has_metric == has_measure:
        raise CorrectionError("target needs exactly one of metric (a fact) or measure_type (a measure)")
    if has_metric:
        if target["metric"] not in vocab.metrics:
            raise CorrectionError(f"unknown metric {target['metric']!r}")
        out["metric"] = target["metric"]
    else:
        if target["measure_type"] not in vocab.measure_types:
            raise CorrectionError(f"unknown measure_type {target['measure_type']!r}")
        out["measure_type"] = target["measure_type"]
    if "park" in target:
        out["park"] = _text(target["park"], "target park", 100)
    return out


def _check_set(values, action: str, target: dict, vocab: Vocabulary) -> dict:
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise CorrectionError("set must be an object")
    if action in ("confirm", "reject", "split_figure", "not_part"):
        if values:
            raise CorrectionError(f"{action} takes no set fields")
        return {}
    if action in FIGURE_FIELDS:
        name = FIGURE_FIELDS[action]
        unknown = [k for k in values if k != name]
        if unknown or name not in values:
            raise CorrectionError(f"{action} takes exactly one set field, {name} (the other fact's anchor)")
        if "metric" not in target:
            raise CorrectionError(f"{action} targets a fact (metric), not a measure")
        other = _check_target(values[name], "correct", vocab)
        if "metric" not in other:
            raise CorrectionError(f"set {name} must anchor a fact (metric)")
        if (other["doc_id"], other["exact"], other.get("start")) == (target["doc_id"], target["exact"], target.get("start")):
            raise CorrectionError(f"set {name} anchors the target itself")
        return {name: other}
    if action == "set_park" and "doc_id" in target:
        allowed = DOCUMENT_PARK_FIELDS
    elif action in PARK_ACTIONS:
        allowed = PARK_FIELDS[action]
    else:
        allowed = FACT_FIELDS if "metric" in target else MEASURE_FIELDS
    unknown = [k for k in values if k not in allowed]
    if unknown:
        raise CorrectionError(f"{action} cannot set {', '.join(unknown)} (it sets {', '.join(allowed)})")
    if not values:
        raise CorrectionError(f"{action} needs at least one field in set")
    out: dict = {}
    if action == "rename_park":
        out["name"] = _text(values.get("name"), "new name", 100)
        if out["name"] == target["park"]:
            raise CorrectionError("the new name is the park's name", "same_name")
    elif action == "merge_park":
        out["into"] = _text(values.get("into"), "into", 100)
        if out["into"] == target["park"]:
            raise CorrectionError("a park cannot be merged into itself", "merge_itself")
    elif action == "set_park":
        if "doc_id" in target and "park" not in values:
            raise CorrectionError("set_park on a document needs park (the park's name) in set")
        if "park_type" in values and values["park_type"] not in PARK_TYPES:
            raise CorrectionError(f"park_type {values['park_type']!r} is not one of {', '.join(PARK_TYPES)}")
        if "level" in values and values["level"] not in LEVELS:
            raise CorrectionError(f"level {values['level']!r} is not one of {', '.join(LEVELS)}")
        if "province" in values and values["province"] not in vocab.provinces:
            raise CorrectionError(f"province {values['province']!r} is not a province (e.g. 江苏, 北京)")
        out = {k: values[k] for k in values}
        if "city" in out:
            out["city"] = _text(out["city"], "city", 40, empty_ok=True)
        if "park" in out:
            out["park"] = _text(out["park"], "park", 100)
    elif "metric" in target:
        metric = values.get("metric", target["metric"])
        if metric not in vocab.metrics:
            raise CorrectionError(f"unknown metric {metric!r}")
        if "metric" in values:
            out["metric"] = metric
        if "basis" in values:
            if values["basis"] not in vocab.bases:
                raise CorrectionError(f"basis {values['basis']!r} is not one of {', '.join(vocab.bases)}")
            out["basis"] = values["basis"]
        if "value" in values:
            out["value"], out["unit"] = check_value(metric, values["value"], values.get("unit"),
                                                    values.get("basis"), vocab)
        elif "unit" in values:
            raise CorrectionError("a unit is corrected together with its value")
        if "scope" in values:
            out["scope"] = _text(values["scope"], "scope", 100, empty_ok=True)
        if "date" in values:
            out["date"] = check_date(values["date"])
        if "park" in values:
            out["park"] = _text(values["park"], "park", 100)
        if action == "add":
            missing = [k for k in ("park", "value") if k not in out]
            if missing:
                raise CorrectionError(f"add needs {' and '.join(missing)} in set")
    else:
        if "measure_type" in values:
            if values["measure_type"] not in vocab.measure_types:
                raise CorrectionError(f"unknown measure_type {values['measure_type']!r}")
            out["measure_type"] = values["measure_type"]
        if "park" in values:
            out["park"] = _text(values["park"], "park", 100)
        if action == "add" and "park" not in out:
            raise CorrectionError("add needs park in set")
    return out


def check(record, vocab: Vocabulary | None = None) -> dict:
    """A record made complete and canonical (id and time assigned when absent); CorrectionError says why not."""
    vocab = vocab or Vocabulary.load()
    if not isinstance(record, dict):
        raise CorrectionError("a record must be a JSON object")
    unknown = set(record) - {"id", "time", "author", "note", "action", "target", "set"}
    if unknown:
        raise CorrectionError(f"unknown field {', '.join(sorted(unknown))}")
    action = record.get("action")
    if action not in ACTIONS:
        raise CorrectionError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
    target = _check_target(record.get("target"), action, vocab)
    out = {"id": record.get("id") or "c_" + uuid.uuid4().hex[:16],
           "time": record.get("time") or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "author": _text(record.get("author", ""), "author", 80, empty_ok=True),
           "note": _text(record.get("note", ""), "note", 1000, empty_ok=True),
           "action": action, "target": target,
           "set": _check_set(record.get("set"), action, target, vocab)}
    if not isinstance(out["id"], str) or not ID_RE.match(out["id"]):
        raise CorrectionError(f"id {out['id']!r} is not an id (letters, digits, _ . : -; at most 64)")
    if not isinstance(out["time"], str):
        raise CorrectionError("time must be text")
    try:
        dt.datetime.fromisoformat(out["time"])
    except ValueError:
        raise CorrectionError(f"time {out['time']!r} is not an ISO 8601 time") from None
    return out


# ---------------------------------------------------------------- the store

def store_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE


def split(data: bytes) -> tuple[list[tuple[int, str]], list[tuple[int, bytes, str]]]:
    """The store's non-blank lines: (line number, text) of each that is UTF-8 JSON, and (line number, bytes as
    they were, reason) of each that is not, which is set aside (ASIDE), never read as a record nor dropped.
    Lines end at \\n (JSON escapes it in strings; U+2028, which str.splitlines breaks at, may be in a quote)."""
    good, bad = [], []
    for number, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), 1):
        line = raw.removesuffix(b"\r")
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
            json.loads(text)
        except UnicodeDecodeError as e:
            bad.append((number, line, utf8_reason(e, "column")))
        except json.JSONDecodeError as e:
            bad.append((number, line, f"not JSON ({e.msg} at column {e.colno})"))
        except RecursionError:
            bad.append((number, line, "not JSON (nested too deep)"))
        else:
            good.append((number, text))
    return good, bad


def parse(data: bytes, vocab: Vocabulary | None = None) -> tuple[list[dict], list[str]]:
    """(records, problems) of JSON Lines bytes: each bad line is one problem "line N: reason"."""
    vocab = vocab or Vocabulary.load()
    good, bad = split(data)
    records, problems = [], [(number, reason) for number, _, reason in bad]
    for number, line in good:
        try:
            records.append(check(json.loads(line), vocab))
        except CorrectionError as e:
            problems.append((number, str(e)))
    return records, [f"line {number}: {reason}" for number, reason in sorted(problems)]


def read(data_dir: Path) -> tuple[list[dict], list[str]]:
    """The store's records in the order they were made, and one line per unusable line (read only: a line
    that is not UTF-8 JSON is skipped here and set aside by the next writer, correction_store.set_aside)."""
    path = store_path(data_dir)
    if not path.exists():
        return [], []
    records, problems = parse(path.read_bytes())
    return records, [f"{path}: {p}" for p in problems]


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


def write_store(data_dir: Path, lines: list[bytes | str]) -> None:
    """The store as `lines` (a line kept as bytes is written as it was)."""
    from loaders.files import write_atomic
    body = b"".join((line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines)
    write_atomic(store_path(data_dir), body)


# ---------------------------------------------------------------- applying

@dataclass
class Applied:
    parks: list[dict]
    measures: list[dict]
    facts: list[dict]
    rejected: list[dict] = field(default_factory=list)
    orphans: list[dict] = field(default_factory=list)
    redirects: list[dict] = field(default_factory=list)        # park_redirects.csv rows (REDIRECT_COLUMNS)


def document_parks(records: list[dict]) -> dict[str, str]:
    """{doc_id: park name} of the `set_park` records on documents, the latest for each document: the park the
    build extracts the article for (pipeline.process `park`)."""
    return {r["target"]["doc_id"]: r["set"]["park"] for r in records if is_document_park(r)}


def is_document_park(record: dict) -> bool:
    """A `set_park` on a document (it takes a build to extract the article for the park), not on a park."""
    return record["action"] == "set_park" and "doc_id" in record["target"]


def describe(record: dict) -> str:
    t = record["target"]
    if is_document_park(record):
        return f"set_park {record['set']['park']} for {t['doc_id']}"
    if "park" in t and len(t) == 1:
        return f"{record['action']} {t['park']}"
    return f"{record['action']} {t.get('metric') or t.get('measure_type')} “{t['exact'][:24]}” in {t['doc_id']}"


def orphan_line(orphan: dict) -> str:
    """One line for the build's report."""
    what = orphan["exact"][:24]
    where = f" “{what}” in {orphan['doc_id']}" if what else (
        f" {orphan['park']} for {orphan['doc_id']}" if orphan["doc_id"] else f" {orphan['park']}")
    return f"orphaned correction {orphan['correction_id']} ({orphan['action']}{where}): {orphan['reason']}"


class _Parks:
    """The park table under edit: names and aliases lead to ids. A renamed park keeps its id (a saved link or a join
    on park_id still finds it); a merged park's id moves to the park it was merged into (`moved`, the redirects)."""

    def __init__(self, parks: list[dict]):
        from loaders.assemble.dataset import park_id
        self.park_id = park_id
        self.rows = {p["park_id"]: dict(p) for p in parks}
        self.moved: dict[str, str] = {}          # old park id -> new
        self.redirects: dict[str, dict] = {}     # old park id -> {old_name, how, correction_id}

    def find(self, name: str) -> dict | None:
        for p in self.rows.values():
            if p["name"] == name:
                return p
        for p in self.rows.values():
            if name in p["aliases"].split("|"):
                return p
        return None

    def current(self, pid: str) -> str:
        while pid in self.moved:
            pid = self.moved[pid]
        return pid

    def merge(self, source: dict, into: dict, correction_id: str = "") -> None:
        names = {source["name"], *filter(None, source["aliases"].split("|")), *filter(None, into["aliases"].split("|"))}
        into["aliases"] = "|".join(sorted(names - {into["name"]}, key=lambda a: (len(a), a)))
        origins = set(source["origin"].split("|")) | set(into["origin"].split("|"))
        into["origin"] = "|".join(o for o in ("seed", "imported") if o in origins)
        del self.rows[source["park_id"]]
        self.moved[source["park_id"]] = into["park_id"]
        self.redirects[source["park_id"]] = {"old_name": source["name"], "to": into["park_id"], "how": "merged",
                                             "correction_id": correction_id}

    def rename(self, park: dict, name: str, correction_id: str = "") -> None:
        other = self.find(name)
        if other is not None and other is not park:
            self.merge(park, other, correction_id)     # renamed to another park's name: the two are one park
            return
        aliases = set(filter(None, park["aliases"].split("|"))) | {park["name"]}
        park["aliases"] = "|".join(sorted(aliases - {name}, key=lambda a: (len(a), a)))
        park["name"] = name                            # the id stays: links and joins on park_id keep working
        hashed = self.park_id(name)
        if hashed != park["park_id"]:                  # the id a rename used to give: it leads here too
            self.redirects.setdefault(hashed, {"old_name": name, "to": park["park_id"], "how": "renamed",
                                               "correction_id": correction_id})

    def redirect_rows(self) -> list[dict]:
        """park_redirects.csv: every id that no longer names a park, to the park it leads to now (a chain of merges
        followed to its end); an id a park of the table holds again is no redirect."""
        rows = []
        for old, info in self.redirects.items():
            target = self.current(info["to"])
            if old in self.rows or target == old or target not in self.rows:
                continue
            rows.append({"old_id": old, "old_name": info["old_name"], "park_id": target, "how": info["how"],
                         "correction_id": info["correction_id"]})
        return sorted(rows, key=lambda r: r["old_id"])

    def set(self, park: dict, values: dict) -> None:
        from loaders.extract.places import region_of, table
        park.update(values)
        if "province" in values or "city" in values:
            park["region"] = region_of(park["province"])
            place = table().city_place(park["province"], park["city"]) if park["city"] else None
            park["lat"], park["lon"] = (place.lat, place.lon) if place else ("", "")
            park["flags"] = "|".join(f for f in park["flags"].split("|") if f and f != "place_ambiguous")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end] (a paragraph break always ends one)."""
    from loaders.extract.normalize import sentences
    for s in sentences(text):
        if s.start <= start < s.end or (s.start < end <= s.end):
            return s.start, max(s.end, end)
    return start, end


def apply(parks: list[dict], measures: list[dict], facts: list[dict], texts: dict[str, str],
          origins: dict[str, str], records: list[dict], published: dict[str, str] | None = None) -> Applied:
    """The published tables: the extracted rows with every record applied in the order it was made.

    Rows come in with string or int offsets; rows out have int `start`/`end` and `status`. Park actions
    go first (a later row action may name a park by its new name), then row actions. `origins` is
    {doc_id: seed|imported} for added rows; `published` {doc_id: date} dates the facts (asof.py) once the
    records have set their dates."""
    table = _Parks(parks)
    rows = {"facts": [dict(r, start=int(r["start"]), end=int(r["end"]), status="extracted") for r in facts],
            "measures": [dict(r, start=int(r["start"]), end=int(r["end"]), status="extracted") for r in measures]}
    out = Applied([], [], [])

    def orphan(record: dict, reason: str) -> None:
        t = record["target"]
        out.orphans.append({"correction_id": record["id"], "action": record["action"], "doc_id": t.get("doc_id", ""),
                            "exact": t.get("exact", ""), "kind": t.get("metric") or t.get("measure_type") or "park",
                            "park": t.get("park") or record["set"].get("park", ""), "reason": reason,
                            "author": record["author"], "time": record["time"]})

    for record in records:
        if record["action"] not in PARK_ACTIONS:
            continue
        if is_document_park(record):
            # the build extracted the article for the park (document_parks); here only its description applies
            values = {k: v for k, v in record["set"].items() if k != "park"}
            if record["target"]["doc_id"] not in texts:
                orphan(record, "the document is not in the dataset")
                continue
            park = table.find(record["set"]["park"])
            if park is None:
                orphan(record, f"no park named {record['set']['park']} yet: the next build extracts the article for it")
            elif values:
                table.set(park, values)
            continue
        park = table.find(record["target"]["park"])
        if park is None:
            orphan(record, f"no park named {record['target']['park']}")
            continue
        values = record["set"]
        if record["action"] == "rename_park":
            table.rename(park, values["name"], record["id"])
        elif record["action"] == "merge_park":
            into = table.find(values["into"])
            if into is None:
                orphan(record, f"no park named {values['into']} to merge into")
            elif into is not park:
                table.merge(park, into, record["id"])
        else:
            table.set(park, values)
    for kind in rows.values():
        for r in kind:
            r["park_id"] = table.current(r["park_id"])
    names = {pid: p["name"] for pid, p in table.rows.items()}

    for record in records:
        if record["action"] in PARK_ACTIONS or record["action"] in FIGURE_ACTIONS:
            continue                     # figure actions: the resolution stage (loaders/resolve/review.py)
        t, values = record["target"], record["set"]
        kind, key = ("facts", "metric") if "metric" in t else ("measures", "measure_type")
        text = texts.get(t["doc_id"])
        if text is None:
            orphan(record, "the document is not in the dataset")
            continue
        span = locate(text, t)
        if span is None:
            orphan(record, "the quoted text is no longer in the document")
            continue
        named = {role: table.find(name) for role, name in (("target", t.get("park")), ("set", values.get("park")))
                 if name}
        missing = [(t if role == "target" else values)["park"] for role, park in named.items() if park is None]
        if missing:
            orphan(record, f"no park named {missing[0]}")
            continue
        wanted_park = named["target"]["park_id"] if "target" in named else None
        new_park = named["set"]["park_id"] if "set" in named else None
        if record["action"] == "add":
            _add(rows[kind], kind, key, t, values, span, text, new_park, origins.get(t["doc_id"], "seed"))
            continue
        hits = _matching(rows[kind], t["doc_id"], key, t[key], span, wanted_park)
        if not hits:
            gone = _matching([r for r in out.rejected if r["table"] == kind], t["doc_id"], key, t[key], span, None)
            orphan(record, f"the row was rejected by {gone[0]['correction_id']}" if gone else
                   f"the build no longer extracts this {'fact' if kind == 'facts' else 'measure'}")
            continue
        if record["action"] == "reject":
            for r in hits:
                rows[kind].remove(r)
                out.rejected.append(_rejected_row(r, kind, names, record))
        elif record["action"] == "confirm":
            for r in hits:
                if r["status"] == "extracted":
                    r["status"] = "confirmed"
        else:
            for r in hits:
                for field_name, value in values.items():
                    if field_name == "park":
                        r["park_id"] = new_park
                    else:
                        r[field_name] = value
                if r["status"] != "added":
                    r["status"] = "corrected"
    out.parks = sorted(table.rows.values(), key=lambda p: p["name"])
    out.redirects = table.redirect_rows()
    date_facts(rows["facts"], published or {})
    rows = {kind: _one_per_key(kind_rows, ROW_KEYS[kind]) for kind, kind_rows in rows.items()}
    out.facts = sorted(rows["facts"], key=lambda f: (f["doc_id"], f["start"], f["park_id"], f["metric"]))
    out.measures = sorted(rows["measures"], key=lambda m: (m["doc_id"], m["start"], m["park_id"], m["measure_type"]))
    return out


def _one_per_key(rows: list[dict], key: list[str]) -> list[dict]:
    """One row per key (ROW_KEYS). Corrections can make two rows one: a merge of two parks named in one sentence,
    a park or code set to one the span already has. The reviewed row stands for both (added, corrected,
    confirmed, then extracted); the other is the same figure or measure of the same park and sentence."""
    rank = {"added": 0, "corrected": 1, "confirmed": 2}
    kept: dict[tuple, dict] = {}
    for r in sorted(rows, key=lambda r: rank.get(r["status"], 3)):
        kept.setdefault(tuple(r[k] for k in key), r)
    return list(kept.values())


def _matching(rows: list[dict], doc_id: str, key: str, code: str, span: tuple[int, int],
              park: str | None) -> list[dict]:
    """The rows a located span points at: the same span, else (the rules moved it) the rows overlapping it most."""
    same = [r for r in rows if r["doc_id"] == doc_id and r[key] == code and (park is None or r["park_id"] == park)]
    exact = [r for r in same if (r["start"], r["end"]) == span]
    if exact:
        return exact
    overlap = lambda r: min(r["end"], span[1]) - max(r["start"], span[0])
    near = [r for r in same if overlap(r) > 0]
    if not near:
        return []
    most = max(map(overlap, near))
    return [r for r in near if overlap(r) == most]


def _add(rows: list[dict], kind: str, key: str, target: dict, values: dict, span: tuple[int, int], text: str,
         park_id: str, origin: str) -> None:
    s_start, s_end = _sentence_around(text, *span)
    code = values.get(key, target[key])
    row = {"park_id": park_id, key: code, "doc_id": target["doc_id"], "evidence": text[s_start:s_end],
           "start": span[0], "end": span[1], "flags": "", "origin": origin, "status": "added"}
    if kind == "facts":
        row.update({"value": values["value"], "unit": values["unit"], "basis": values.get("basis") or default_basis(
                    code, values["unit"]), "scope": values.get("scope", ""), "date": values.get("date", ""),
                    "raw": text[span[0]:span[1]]})
    else:
        row["cue"] = ""
    for r in list(rows):            # the loaders' own row for the same thing gives way
        if r["doc_id"] == row["doc_id"] and r[key] == code and r["park_id"] == park_id \
                and (r["start"], r["end"]) == span:
            rows.remove(r)
    rows.append(row)


def default_basis(metric: str, unit: str) -> str:
    """The basis a figure has when nobody says otherwise: a rate, a share, a total amount or a count."""
    if unit == "%":
        return "share" if metric in AMOUNT_METRICS else "rate"
    return "total" if metric in AMOUNT_METRICS else "count"


def _rejected_row(row: dict, kind: str, names: dict, record: dict) -> dict:
    out = {c: row.get(c, "") for c in REJECTED_COLUMNS if c != "status"}
    out.update({"table": kind, "park_name": names.get(row["park_id"], ""), "correction_id": record["id"],
                "author": record["author"], "note": record["note"], "time": record["time"]})
    return out
