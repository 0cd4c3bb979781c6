"""The dataset as the dashboard sees it: load data/, filter it, and shape it for the charts.

Pure pandas, no Streamlit, so every function here is tested directly and reused by the benchmark.
Shapes: `Dataset` holds four DataFrames (all text columns are str, missing is ""), and
facts/measures carry their park's name, type, province and region so pages never merge.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from loaders.correct.corrections import REDIRECT_COLUMNS
from loaders.resolve import FIGURE_COLUMNS, TOTAL_COLUMNS, population

TABLES = ("parks", "measures", "facts", "documents")
RESOLVED = ("figures", "park_totals")        # the resolution stage's tables (loaders/resolve/)
DATA_TABLES = (*TABLES, *RESOLVED, "park_redirects")    # what the data page offers
FILTER_KEYS = ("region", "province", "park_type", "measure", "doc", "park")
PARK_COLUMNS = ["park_name", "park_type", "province", "region"]


@dataclass(frozen=True)
class Dataset:
    parks: pd.DataFrame
    measures: pd.DataFrame
    facts: pd.DataFrame
    documents: pd.DataFrame
    codebook: dict
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)   # rejected.csv: rows reviewers rejected
    # figures.csv (what was reported: one row per figure, however many articles repeat it) and park_totals.csv
    # (the one number to cite per park, metric, basis and population); both carry park columns and value_num
    figures: pd.DataFrame = field(default_factory=pd.DataFrame)
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    # park_redirects.csv: {old park id: the park it leads to now} (a merged park; a renamed park keeps its id)
    redirects: dict = field(default_factory=dict)
    # the same rows as a table (old_id, old_name, park_id, how, correction_id), for the downloads
    park_redirects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REDIRECT_COLUMNS))

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, {"park_totals": "totals"}.get(name, name))


@dataclass(frozen=True)
class Filters:
    """What the user picked; an empty tuple means "all". Values are the URL's values."""
    region: tuple = ()
    province: tuple = ()
    park_type: tuple = ()
    measure: tuple = ()
    doc: tuple = ()
    park: tuple = ()

    def active(self) -> dict[str, tuple]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


# ---------------------------------------------------------------- load

def fingerprint(data_dir: Path) -> tuple:
    """(name, mtime_ns, size) of every file the dashboard reads: the cache key, so a rebuild shows at once."""
    out = []
    for name in (*[f"{t}.csv" for t in TABLES], *[f"{t}.csv" for t in RESOLVED], "rejected.csv", "park_redirects.csv",
                 "codebook.yaml"):
        p = data_dir / name
        st = p.stat() if p.exists() else None
        out.append((name, st.st_mtime_ns if st else 0, st.st_size if st else 0))
    return tuple(out)


def load(data_dir: Path) -> Dataset:
    """Read the CSVs the loaders wrote; numbers get a float twin (`value_num`, `start`/`end` ints)."""
    # object columns, not pandas' Arrow strings: isin/set/groupby on ids run several times faster
    read = lambda name: pd.read_csv(data_dir / f"{name}.csv", dtype=object, keep_default_na=False)
    parks, measures, facts, documents = (read(t) for t in TABLES)
    codebook = yaml.safe_load((data_dir / "codebook.yaml").read_text(encoding="utf-8"))
    parks["lat"] = pd.to_numeric(parks["lat"], errors="coerce")
    parks["lon"] = pd.to_numeric(parks["lon"], errors="coerce")
    joined = parks.set_index("park_id")[["name", "park_type", "province", "region"]].rename(
        columns={"name": "park_name"})
    measures = measures.join(joined, on="park_id")
    facts = facts.join(joined, on="park_id")
    facts["value_num"] = pd.to_numeric(facts["value"], errors="coerce")
    for frame in (measures, facts):
        frame[PARK_COLUMNS] = frame[PARK_COLUMNS].fillna("")
        if "status" not in frame.columns:          # a dataset built before corrections existed
            frame["status"] = "extracted"
    for frame, column, default in ((facts, "as_of", ""), (facts, "date_basis", "none"), (documents, "published", "")):
        if column not in frame.columns:            # a dataset built before dates existed
            frame[column] = default
    rejected = read("rejected") if (data_dir / "rejected.csv").exists() else pd.DataFrame(
        columns=["table", "park_id", "doc_id", "metric", "measure_type"])
    if "figure_id" not in facts.columns:            # a dataset built before the resolution stage
        facts["figure_id"] = ""
    if "duplicate_of" not in documents.columns:
        documents["duplicate_of"] = ""
    if "status" not in documents.columns:            # a dataset built before articles with no park were kept
        documents["status"] = "ok"
    resolved = {}
    for name, columns in (("figures", FIGURE_COLUMNS), ("park_totals", TOTAL_COLUMNS)):
        frame = read(name) if (data_dir / f"{name}.csv").exists() else pd.DataFrame(columns=columns)
        frame = frame.join(joined, on="park_id")
        frame[PARK_COLUMNS] = frame[PARK_COLUMNS].fillna("")
        frame["value_num"] = pd.to_numeric(frame["value"], errors="coerce")
        frame["reports_num"] = pd.to_numeric(frame["reports"], errors="coerce").fillna(0).astype(int)
        resolved[name] = frame
    redirects = read("park_redirects") if (data_dir / "park_redirects.csv").exists() else pd.DataFrame(
        columns=REDIRECT_COLUMNS)
    return Dataset(parks=parks, measures=measures, facts=facts, documents=documents, codebook=codebook,
                   rejected=rejected, figures=resolved["figures"], totals=resolved["park_totals"],
                   redirects=dict(zip(redirects["old_id"], redirects["park_id"])), park_redirects=redirects)


# ---------------------------------------------------------------- filter

def apply(ds: Dataset, f: Filters) -> Dataset:
    """The part of the dataset the filters select.

    Park filters (region, province, type, park) pick parks; `doc` keeps rows from those articles and the
    parks they mention; `measure` keeps those measure rows and the parks that used them. Facts and
    measures follow the parks; documents are those that still have a row (or the picked ones).
    """
    parks = ds.parks
    for key, column in (("region", "region"), ("province", "province"), ("park_type", "park_type"),
                        ("park", "park_id")):
        if getattr(f, key):
            parks = parks[parks[column].isin(getattr(f, key))]
    measures, facts, documents = ds.measures, ds.facts, ds.documents
    if f.doc:
        measures = measures[measures["doc_id"].isin(f.doc)]
        facts = facts[facts["doc_id"].isin(f.doc)]
        documents = documents[documents["doc_id"].isin(f.doc)]
    if f.measure:
        measures = measures[measures["measure_type"].isin(f.measure)]
        parks = parks[parks["park_id"].isin(measures["park_id"])]
    elif f.doc:
        parks = parks[parks["park_id"].isin(pd.concat([measures["park_id"], facts["park_id"]]))]
    measures = measures[measures["park_id"].isin(parks["park_id"])]
    facts = facts[facts["park_id"].isin(parks["park_id"])]
    if f.active().keys() - {"doc"}:
        documents = documents[documents["doc_id"].isin(pd.concat([measures["doc_id"], facts["doc_id"]]))]
    figures, totals = _resolved_rows(ds.figures, parks, f), _resolved_rows(ds.totals, parks, f)
    rejected = ds.rejected
    if len(rejected) and f.active():
        rejected = rejected[rejected["park_id"].isin(parks["park_id"])]
        if f.doc:
            rejected = rejected[rejected["doc_id"].isin(f.doc)]
        if f.measure:
            rejected = rejected[rejected["measure_type"].isin(f.measure)]
    # a redirect goes with the park it leads to (the link still resolves; the table lists the selected parks')
    redirect_rows = ds.park_redirects
    if f.active():
        redirect_rows = redirect_rows[redirect_rows["park_id"].isin(parks["park_id"])]
    return Dataset(parks=parks, measures=measures, facts=facts, documents=documents, codebook=ds.codebook,
                   rejected=rejected, figures=figures, totals=totals, redirects=ds.redirects,
                   park_redirects=redirect_rows)


def _resolved_rows(frame: pd.DataFrame, parks: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Figures or park totals of the selected parks; with a `doc` filter, those one of the articles reports."""
    if frame.empty:
        return frame
    frame = frame[frame["park_id"].isin(parks["park_id"])]
    if f.doc:
        wanted = set(f.doc)
        frame = frame[[bool(wanted & set(ids.split("|"))) for ids in frame["doc_ids"]]]
    return frame


def options(ds: Dataset, region_order: list[str]) -> dict[str, list[str]]:
    """Values each filter offers, in a stable order: regions as the statistics bureau lists them,
    provinces by region, park types as the codebook lists them, measures in codebook order."""
    present = set(ds.parks["region"])
    regions = [r for r in region_order if r in present] + sorted(present - set(region_order) - {""})
    order = {r: i for i, r in enumerate(regions)}
    prov = ds.parks[ds.parks["province"] != ""][["province", "region"]].drop_duplicates("province")
    prov = prov.assign(o=prov["region"].map(order).fillna(99)).sort_values(["o", "province"])
    types = [t for t in ds.codebook.get("park_types", []) if t in set(ds.parks["park_type"])]
    return {
        "region": regions,
        "province": prov["province"].tolist(),
        "park_type": types,
        "measure": list(ds.codebook["measure_types"]),
        "doc": ds.documents["doc_id"].tolist(),
        "park": ds.parks.sort_values("name")["park_id"].tolist(),
    }


# ---------------------------------------------------------------- shape for charts

def metric_rows(ds: Dataset, metric: str) -> pd.DataFrame:
    return ds.facts[ds.facts["metric"] == metric]


def median_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """[column, median, n] of `value_num`, n = parks: a park with several rows counts once (its last row, which
    for latest_rates is its latest rate); groups without a figure are left out, not shown as 0."""
    rows = frame[frame["value_num"].notna()].drop_duplicates("park_id", keep="last")
    out = rows.groupby(column, sort=False)["value_num"].agg(median="median", n="count").reset_index()
    return out.sort_values("median", ascending=False)


def parks_without(ds: Dataset, metric: str) -> pd.DataFrame:
    """Parks (of the selection) that have no figure for `metric`: shown as "no figure", never as 0."""
    have = set(ds.facts.loc[ds.facts["metric"] == metric, "park_id"])
    return ds.parks[~ds.parks["park_id"].isin(have)]


# Units that keep amounts readable, in each language's own steps: 亿元 (1e8) and 万元 (1e4) in Chinese,
# billion and million yuan in English (the first step the largest amount reaches)
MONEY_SCALES = {"zh": ((1e8, "亿元"), (1e4, "万元"), (1.0, "元")),
                "en": ((1e9, "bn yuan"), (1e6, "m yuan"), (1.0, "yuan"))}


def money_unit(values: pd.Series, lang: str = "zh") -> tuple[str, float]:
    """(unit, divisor) for amounts in yuan: 亿元 from 1e8 yuan, 万元 from 1e4, else 元 (English: bn, m yuan)."""
    top = values.abs().max() if len(values) else 0
    scales = MONEY_SCALES.get(lang, MONEY_SCALES["zh"])
    return next(((unit, step) for step, unit in scales if top >= step), (scales[-1][1], 1.0))


def big_money(lang: str = "zh") -> tuple[str, float]:
    """The one unit of a chart of large amounts (signed investment): 亿元, or bn yuan in English."""
    return MONEY_SCALES.get(lang, MONEY_SCALES["zh"])[0][::-1]


def money_text(value: float, digits: int = 4, sep: str = ",", lang: str = "zh") -> str:
    """An amount in yuan as the charts write it: in 元/万元/亿元 by size (`money_unit`) with `digits` significant
    digits, e.g. 24826000000 -> "248.3 亿元". Review asks for every digit the number has (digits=12:
    "248.26 亿元"); sep="" leaves out the thousands separator (a value typed back into a form)."""
    unit, divisor = money_unit(pd.Series([value]), lang)
    return f"{value / divisor:{sep}.{digits}g} {unit}"


_PROJECTS = re.compile(r"(\d+)个(?:重点|签约|新建|续建)?项目")
TOTAL_SHAPE = ["park_id", "park_name", "park_type", "region", "amount", "figures", "reports", "how", "doc_ids", "flags",
               "projects"]


def totals_of(ds: Dataset, metric: str, basis: str = "total") -> pd.DataFrame:
    """Park totals (park_totals.csv) of one metric and basis with a value, largest first."""
    t = ds.totals
    if t.empty:
        return t
    return t[(t["metric"] == metric) & (t["basis"] == basis) & t["value_num"].notna()].sort_values(
        "value_num", ascending=False)


def signed_investment_by_park(ds: Dataset) -> pd.DataFrame:
    """[park_id, park_name, park_type, region, amount (yuan), figures, reports, how, doc_ids, flags, projects]: the one
    signed total to cite per park (a stated total never added to its parts, a repeated figure once, the latest
    cumulative over the events it covers); `figures` counts the figures in it, `reports` the articles behind them;
    projects from the park's projects_signed total, else from the scopes of the figures counted ("6个项目"),
    NaN when no article gives a count."""
    signed = totals_of(ds, "signed_investment")
    if signed.empty:
        return pd.DataFrame(columns=TOTAL_SHAPE)
    scope_of = ds.figures.set_index("figure_id")["scope"] if not ds.figures.empty else pd.Series(dtype=object)
    from_scope = {}                 # park -> projects, when every figure counted states its number of projects
    for pid, ids in zip(signed["park_id"], signed["figures"]):
        found = [_PROJECTS.search(str(scope_of.get(fid, ""))) for fid in ids.split("|")]
        if all(found):
            from_scope[pid] = sum(float(m.group(1)) for m in found)
    out = signed.assign(amount=signed["value_num"], reports=signed["reports_num"],
                        figures=signed["figures"].str.count(r"\|") + 1)
    counted = totals_of(ds, "projects_signed", "count").set_index("park_id")["value_num"]
    out["projects"] = out["park_id"].map(counted).fillna(out["park_id"].map(from_scope))
    return out[TOTAL_SHAPE].reset_index(drop=True)


def subsidy_summary(ds: Dataset) -> pd.DataFrame:
    """[basis, parks, figures, sum, low, high] of subsidy amounts: basis total sums each park's total to cite
    (park_totals), other bases give the range of their figures (a cap or a rate per person never adds)."""
    rows = []
    figures = ds.figures[(ds.figures["metric"] == "subsidy_amount") & ds.figures["value_num"].notna()] \
        if not ds.figures.empty else ds.figures
    totals = totals_of(ds, "subsidy_amount")
    for basis, group in (figures.groupby("basis", sort=False) if len(figures) else []):
        if basis == "total":
            rows.append({"basis": basis, "parks": totals["park_id"].nunique(), "figures": len(group),
                         "sum": totals["value_num"].sum(), "low": totals["value_num"].min(),
                         "high": totals["value_num"].max()})
        else:
            rows.append({"basis": basis, "parks": group["park_id"].nunique(), "figures": len(group), "sum": float("nan"),
                         "low": group["value_num"].min(), "high": group["value_num"].max()})
    return pd.DataFrame(rows, columns=["basis", "parks", "figures", "sum", "low", "high"])


def park_total_rows(ds: Dataset, metric: str, figure_rows: pd.DataFrame) -> pd.DataFrame:
    """Each park's total to cite for `metric` (basis total), shaped like `one_per_figure` rows so a chart draws
    either: the sentence, status and date of the largest figure counted, `reports` and `doc_ids` of the total,
    `how`. Empty when the dataset has no park totals."""
    t = totals_of(ds, metric)
    if t.empty or figure_rows.empty:
        return t
    by_figure = figure_rows.drop_duplicates("figure_id").set_index("figure_id")
    # every (total, figure counted) pair at once, not a Python loop over thousands of totals
    ids = t["figures"].str.split("|")
    pairs = pd.DataFrame({"total": np.repeat(np.arange(len(t)), ids.str.len()),
                          "figure": np.concatenate(ids.to_numpy()) if len(t) else []})
    pairs = pairs[pairs["figure"].isin(by_figure.index)]
    if pairs.empty:
        return pd.DataFrame()
    pairs = pairs.assign(order=np.arange(len(pairs)), value=pairs["figure"].map(by_figure["value_num"]))
    counted = pairs.groupby("total").size()
    # the largest figure counted gives the sentence; on a tie the first listed (as max() picks)
    best = pairs.sort_values(["total", "value", "order"], ascending=[True, False, True]).drop_duplicates("total")
    first = by_figure.loc[best["figure"]].reset_index(drop=True)
    total = t.iloc[best["total"].to_numpy()].reset_index(drop=True)
    several = (counted.loc[best["total"]].to_numpy() > 1)
    out = first.assign(value_num=total["value_num"], value=total["value"], reports=total["reports_num"],
                       doc_ids=total["doc_ids"], how=total["how"], figure_id=total["figures"],
                       date=np.where(several, total["last_as_of"], first["date"]))
    return out


def populations(rates: pd.DataFrame) -> list[str]:
    """Populations of reopening-rate totals, the one most parks report first."""
    if rates.empty:
        return []
    counts = rates.groupby("scope")["park_id"].nunique()
    return sorted(counts.index, key=lambda p: (-counts[p], p))


def latest_rates(ds: Dataset) -> pd.DataFrame:
    """One row per park and population: its latest reopening rate (park_totals, how = latest), with the sentence
    of that figure's first mention (`evidence`, `doc_id`, `status`, `as_of`, `date`), the population as the
    article words it (`stated_scope`, e.g. 在地企业 for the population 企业) and `reports`."""
    t = totals_of(ds, "reopening_rate", "rate")
    if t.empty:
        return t.assign(evidence=[], doc_id=[], status=[], date=[], as_of=[], population=[], stated_scope=[])
    first = ds.facts.drop_duplicates("figure_id").set_index("figure_id")
    figure = t["figures"].str.split("|").str[0]
    mention = first.reindex(figure)
    scopes = ds.figures.drop_duplicates("figure_id").set_index("figure_id")["scope"]
    stated = scopes.reindex(figure).fillna("").str.split("；").str[0]
    out = t.assign(population=t["scope"], as_of=t["last_as_of"], stated_scope=stated.to_numpy(),
                   **{c: mention[c].fillna("").to_numpy() for c in ("evidence", "doc_id", "status", "date")})
    return out.reset_index(drop=True)


def one_per_figure(facts: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Mentions reduced to one row per figure (its first mention, which carries the sentence), with the figure's
    `reports` and `doc_ids`; rows without a figure (an older build) are kept as they are."""
    if "figure_id" not in facts.columns or figures.empty:
        return facts.assign(reports=1, doc_ids=facts["doc_id"], role="", part_of="")
    keyed = facts[facts["figure_id"] != ""]
    first = keyed.drop_duplicates("figure_id")
    info = figures.set_index("figure_id")[["reports_num", "doc_ids", "role", "part_of"]]
    first = first.join(info, on="figure_id").rename(columns={"reports_num": "reports"})
    first["reports"] = first["reports"].fillna(1).astype(int)
    first[["doc_ids", "role", "part_of"]] = first[["doc_ids", "role", "part_of"]].fillna("")
    rest = facts[facts["figure_id"] == ""].assign(reports=1, doc_ids=lambda f: f["doc_id"], role="", part_of="")
    return pd.concat([first, rest]) if len(rest) else first


def month_start(date: pd.Series) -> pd.Series:
    """'2020-02-20' or '2020-02' as a timestamp (a month-only date is its first day); '' is NaT."""
    return pd.to_datetime(date.where(date.str.len() != 7, date + "-01"), errors="coerce", format="%Y-%m-%d")


def crosstab_parks(measures: pd.DataFrame, rows: str, order_rows: list[str], order_cols: list[str]) -> pd.DataFrame:
    """Number of distinct parks per (rows value × measure type); every row and column kept, zeros included."""
    pairs = crosstab_source(measures, rows).drop_duplicates(["park_id", "measure_type", rows])
    table = pd.crosstab(pairs[rows], pairs["measure_type"])
    return table.reindex(index=order_rows, columns=order_cols, fill_value=0)


def without_park(ds: Dataset) -> pd.DataFrame:
    """Articles in which no park was recognised (documents.status no_park): no figures or measures until an editor
    names their park."""
    return ds.documents[ds.documents["status"] == "no_park"]


def crosstab_source(measures: pd.DataFrame, rows: str) -> pd.DataFrame:
    """The measure rows a `crosstab_parks` table counts (those with a `rows` value): park, measure type, sentence."""
    return measures[measures[rows] != ""]


def crosstab_frame(table: pd.DataFrame, rows: str) -> pd.DataFrame:
    """A `crosstab_parks` table as a download holds it: a column `rows` with the row values, then one column of
    park counts per measure type (its code, as every table names measure types)."""
    return table.rename_axis(index=rows, columns=None).reset_index()


def cooccurring_parks(ds_full: Dataset, park_id: str) -> pd.DataFrame:
    """[doc_id, park_id, park_name] of the other parks named in the articles that name `park_id`."""
    rows = pd.concat([ds_full.measures[["doc_id", "park_id", "park_name"]],
                      ds_full.facts[["doc_id", "park_id", "park_name"]]]).drop_duplicates()
    docs = set(rows.loc[rows["park_id"] == park_id, "doc_id"])
    other = rows[rows["doc_id"].isin(docs) & (rows["park_id"] != park_id)]
    return other.sort_values(["doc_id", "park_name"])


# ---------------------------------------------------------------- over time

def as_of_time(as_of: pd.Series) -> pd.DataFrame:
    """[when, precise] for 'YYYY-MM-DD' / 'YYYY-MM' / '' values: a month-only date sits mid-month and is not
    precise; '' is NaT (undated figures are never placed on a time axis)."""
    month_only = as_of.str.len() == 7
    when = pd.to_datetime(as_of.where(~month_only, as_of + "-15"), errors="coerce", format="%Y-%m-%d")
    return pd.DataFrame({"when": when, "precise": ~month_only & when.notna()}, index=as_of.index)


def rate_series(rates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(series, undated) of reopening-rate facts. `series`: the rows of each park and scope that has figures
    on two or more dates, with `when`, `precise` and `series` (park_id + scope), sorted by time; `undated`:
    the rows with no `as_of`."""
    timed = rates.join(as_of_time(rates["as_of"]))
    undated = timed[timed["when"].isna()]
    dated = timed[timed["when"].notna()]
    dates = dated.groupby(["park_id", "scope"])["when"].transform("nunique")
    series = dated[dates >= 2].sort_values(["park_name", "scope", "when"])
    return series.assign(series=series["park_id"] + "|" + series["scope"]), undated


def weekly_medians(rates: pd.DataFrame) -> pd.DataFrame:
    """[region, week (Monday), median, parks]: per region and week, the median over the parks that report a
    rate dated to the day in that week (a park's last figure of the week counts once)."""
    timed = rates.join(as_of_time(rates["as_of"]))
    timed = timed[timed["precise"] & timed["value_num"].notna()]
    if timed.empty:
        return pd.DataFrame(columns=["region", "week", "median", "parks"])
    week = timed["when"] - pd.to_timedelta(timed["when"].dt.day_of_week, unit="D")
    last = timed.assign(week=week).sort_values("when").groupby(["region", "week", "park_id"]).tail(1)
    out = last.groupby(["region", "week"])["value_num"].agg(median="median", parks="count").reset_index()
    return out.sort_values(["region", "week"])


def conflicts(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts that disagree: the same park, metric, basis and scope on the same `as_of`, with different values
    from different documents. The rows of every such group with `conflict` (a group number from 1), sorted
    by group, value and document; empty when the articles agree."""
    dated = facts[(facts["as_of"] != "") & facts["value_num"].notna()]
    key = ["park_id", "metric", "basis", "scope", "as_of"]
    groups = dated.groupby(key, sort=False)
    shape = groups.agg(values=("value_num", "nunique"), docs=("doc_id", "nunique"))
    candidates = shape[(shape["values"] > 1) & (shape["docs"] > 1)]
    if candidates.empty:
        return dated.iloc[0:0].assign(conflict=pd.Series(dtype=int))
    rows = dated.join(candidates[[]].assign(hit=True), on=key, how="inner").drop(columns="hit")
    # different values in different documents: not only two values within one article
    per_value_docs = rows.groupby(key + ["value_num"])["doc_id"].agg(set)
    keep = []
    for group_key, sets in per_value_docs.groupby(level=list(range(len(key)))):
        docs = list(sets)
        if any(a != b or len(a) > 1 for i, a in enumerate(docs) for b in docs[i + 1:]):
            keep.append(group_key)
    rows = rows.set_index(key).loc[keep].reset_index() if keep else rows.iloc[0:0]
    order = {k: i + 1 for i, k in enumerate(sorted(keep, key=lambda k: (k[1], k[0], k[4], k[3])))}
    rows = rows.assign(conflict=[order[tuple(k)] for k in rows[key].itertuples(index=False)])
    return rows.sort_values(["conflict", "value_num", "doc_id"]).reset_index(drop=True)
