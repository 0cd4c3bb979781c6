"""Plotly figures. Pure: each takes shaped frames and labels and returns a Figure.

Article text reaches the hover boxes, which plotly renders as a small subset of HTML, so it is escaped
here (`hover_text`). Long Chinese park names sit on horizontal bars, whose height grows with the rows.
"""
from __future__ import annotations

import html
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from .i18n import Labels, style

MAX_BARS = 60
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


@lru_cache(maxsize=65536)
def hover_text(text: str, width: int = 32) -> str:
    """Escaped and cut into lines of `width` characters for a plotly hover box (which reads <br> and a
    few tags). Chinese has no spaces to wrap at, so lines are cut by length."""
    text = " ".join((text or "").split())
    return "<br>".join(html.escape(text[i:i + width]) for i in range(0, len(text), width)) or "—"


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    # a legend sits above the plot, under the modebar (about 30 px at the top right): on a phone the two would
    # share one line, so a chart with a legend gets a taller top margin (and is that much taller)
    legend = kw.get("showlegend", len(fig.data) > 1)
    top = 62 if legend else 30
    fig.update_layout(height=height + top - 30, margin=dict(l=10, r=10, t=top, b=10), font_family=FONT,
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), **kw)
    return fig


def numbered(labels: pd.Series) -> pd.Series:
    """Bar names made unique: a second bar of the same name becomes "name (2)" (plotly merges equal names)."""
    return labels + labels.groupby(labels).cumcount().map(lambda i: f" ({i + 1})" if i else "")


def region_colour(region: str) -> str:
    colours = style()["region_colours"]
    return colours.get(region, colours[""])


def bars(frame: pd.DataFrame, labels: Labels, *, y: str, x: str, axis_title: str, text: str | None = None,
         hover: list[tuple[str, str]] = (), colour_by: str = "region") -> go.Figure:
    """Horizontal bars, one per row of `frame` (already sorted, first row at the top), one trace per
    region so the legend names the colours. `hover` is [(label, column)] shown with the evidence."""
    fig = go.Figure()
    order = list(frame[y])
    for region, rows in frame.groupby(colour_by, sort=False):
        custom = rows[[c for _, c in hover]].astype(str).map(hover_text).to_numpy() if hover else None
        template = "<b>%{y}</b><br>%{x}<br>" + "<br>".join(
            f"{html.escape(lab)}: %{{customdata[{i}]}}" for i, (lab, _) in enumerate(hover)) + "<extra></extra>"
        fig.add_bar(y=rows[y], x=rows[x], orientation="h", name=labels.region(region),
                    marker_color=region_colour(region), customdata=custom, hovertemplate=template,
                    # inside the bar where it fits (a long bar's label would run off a phone's screen), else beside it
                    text=rows[text] if text else None, textposition="auto" if text else None,
                    cliponaxis=False)
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], automargin=True, title=None)
    fig.update_xaxes(title=axis_title)
    if text and len(frame) and frame[x].max() > 0:  # room right of the longest bar for its label
        fig.update_xaxes(range=[0, frame[x].max() * 1.3])
    return _layout(fig, 120 + 26 * len(order), barmode="overlay")


def median_bars(frame: pd.DataFrame, labels: Labels, *, group_label, axis_title: str,
                colour_by_region: bool) -> go.Figure:
    """Median per group with the number of figures behind it as the bar's text."""
    names = frame.iloc[:, 0].map(group_label)
    colours = [region_colour(v) if colour_by_region else "#0072B2" for v in frame.iloc[:, 0]]
    fig = go.Figure(go.Bar(y=names, x=frame["median"], orientation="h", marker_color=colours,
                           text=[f"{m:g}% (n={n})" for m, n in zip(frame["median"], frame["n"])],
                           textposition="auto", hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=list(names)[::-1], automargin=True)
    fig.update_xaxes(title=axis_title, range=[0, 105])
    return _layout(fig, 100 + 34 * len(frame))


def heatmap(table: pd.DataFrame, labels: Labels, *, row_label, col_label) -> go.Figure:
    """Counts of parks, rows × measure types, numbers written in the cells."""
    z = table.to_numpy()
    fig = go.Figure(go.Heatmap(
        z=z, x=[col_label(c) for c in table.columns], y=[row_label(r) for r in table.index],
        text=z, texttemplate="%{text}", colorscale="Blues", showscale=False, xgap=1, ygap=1,
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(tickangle=-40, automargin=True, side="bottom")
    return _layout(fig, 230 + 32 * len(table))  # room for the slanted measure names below


def family_bars(counts: pd.DataFrame, labels: Labels, axis_title: str) -> go.Figure:
    """[family, parks, records] → bars in the family's own colour."""
    colours = style()["family_colours"]
    fig = go.Figure(go.Bar(
        x=[labels.family(f) for f in counts["family"]], y=counts["parks"],
        marker_color=[colours.get(f, "#999999") for f in counts["family"]],
        text=counts["parks"], textposition="auto",
        customdata=counts["records"], hovertemplate="%{x}: %{y}<br>records: %{customdata}<extra></extra>"))
    fig.update_yaxes(title=axis_title)
    return _layout(fig, 320)


def province_tiles(counts: dict[str, int], labels: Labels, count_label: str) -> go.Figure:
    """Tile-grid map: one square per province at a fixed grid cell, coloured by its number of parks.

    The squares are shapes in data units, so they shrink with the chart on a phone instead of overlapping; a tile
    holds a short label (the short name, or the ISO code in English) and the full name is in the hover. Drawn
    without a base map, so it renders offline (no CDN)."""
    grid = style()["province_grid"]
    scale = [[0, "#c6dbef"], [1, "#4292c6"]]
    top = max(counts.values(), default=0) or 1
    fig = go.Figure()
    for province, (row, col) in grid.items():
        n = counts.get(province, 0)
        fill = sample_colorscale(scale, n / top)[0] if n else "#e5e5e5"
        fig.add_shape(type="rect", x0=col - 0.47, x1=col + 0.47, y0=row - 0.47, y1=row + 0.47, fillcolor=fill,
                      line=dict(width=0), layer="below")
    for filled in (False, True):
        names = [p for p in grid if bool(counts.get(p)) == filled]
        values = [counts.get(p, 0) for p in names]
        fig.add_scatter(
            x=[grid[p][1] for p in names], y=[grid[p][0] for p in names], mode="markers+text",
            text=[f"{labels.province_short(p)}<br>{counts[p]}" if filled else labels.province_short(p) for p in names],
            textfont=dict(size=11 if filled else 10, color="#111111" if filled else "#777777"),
            # invisible markers carry the hover and, for the filled tiles, the colour bar under the map
            marker=dict(size=24, opacity=0, color=values, cmin=0, cmax=top, colorscale=scale, showscale=filled,
                        colorbar=dict(title=dict(text=count_label, side="top"), orientation="h", thickness=8,
                                      len=0.5, x=0.5, y=-0.02, yanchor="top")),
            customdata=[[labels.province(p), v] for p, v in zip(names, values)],
            hovertemplate="%{customdata[0]}<br>" + html.escape(count_label) + ": %{customdata[1]}<extra></extra>",
            hoverinfo="skip" if not filled else None, showlegend=False)
    fig.update_xaxes(visible=False, range=[0.4, 8.6])
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", scaleratio=1)
    return _layout(fig, 470, plot_bgcolor="rgba(0,0,0,0)")


def timeline(frame: pd.DataFrame, labels: Labels, *, axis_title: str) -> go.Figure:
    """Signed amounts by date: one marker per figure, sized by amount, coloured by region."""
    fig = go.Figure()
    top = frame["amount"].max() or 1
    for region, rows in frame.groupby("region", sort=False):
        fig.add_scatter(
            x=rows["when"], y=rows["amount"], mode="markers", name=labels.region(region),
            marker=dict(color=region_colour(region), size=(10 + 30 * (rows["amount"] / top) ** 0.5)),
            customdata=rows[["label", "evidence"]].astype(str).map(hover_text).to_numpy(),
            hovertemplate="<b>%{customdata[0]}</b><br>%{x|%Y-%m-%d}: %{y}<br>%{customdata[1]}<extra></extra>")
    fig.update_yaxes(title=axis_title, rangemode="tozero")
    # pad by a few days so plotly ticks dates, not hours, when all signings fall on one or two days
    pad = pd.Timedelta(days=4)
    fig.update_xaxes(range=[frame["when"].min() - pad, frame["when"].max() + pad], tickformat="%Y-%m-%d")
    return _layout(fig, 380)


def _series_traces(series: pd.DataFrame) -> list[dict]:
    """One line trace per park and scope. Hundreds of series at scale: the columns are taken out once and sliced per
    series, and the figure validates them all at once (add_scatter per series cost ~2 ms each in pandas and
    plotly's copy of every trace)."""
    custom = series[["as_of", "evidence"]].astype(str).map(hover_text).to_numpy()
    when, value = series["when"].to_numpy(), series["value_num"].to_numpy()
    symbol = np.where(series["precise"].to_numpy(dtype=bool), "circle", "circle-open")
    regions, names = series["region"].to_numpy(), series["label"].to_numpy()
    positions = series.groupby("series", sort=False).indices
    out = []
    for key in pd.unique(series["series"]):          # in the order the series come (by park, scope)
        at = positions[key]
        region, name = regions[at[0]], names[at[0]]
        out.append(dict(     # a dict, not go.Scatter: the figure validates it once (a Scatter is copied and validated again)
            type="scatter", x=when[at], y=value[at], mode="lines+markers", name=name, legendgroup=region,
            line=dict(color=region_colour(region), width=1.5),
            marker=dict(color=region_colour(region), size=8, symbol=symbol[at]), customdata=custom[at],
            hovertemplate=f"<b>{html.escape(name)}</b><br>%{{customdata[0]}}: %{{y:g}}%<br>%{{customdata[1]}}<extra></extra>"))
    return out


def rate_lines(series: pd.DataFrame, weekly: pd.DataFrame, labels: Labels, *, axis_title: str, median_label: str,
               month_label: str) -> go.Figure:
    """Reopening rates over time: one line per park and scope (`series`: rows with when, precise, label,
    value_num, region, as_of, evidence, sorted by time), coloured by region, month-only figures as open
    markers; regional weekly medians (`weekly`: region, week, median, parks) as thick dashed lines."""
    fig = go.Figure(data=_series_traces(series))
    for region, rows in weekly.groupby("region", sort=False):
        fig.add_scatter(
            x=rows["week"], y=rows["median"], mode="lines+markers",
            name=f"{labels.region(region)} · {median_label}", line=dict(color=region_colour(region), width=4, dash="dash"),
            marker=dict(symbol="diamond", size=9, color=region_colour(region)), customdata=rows["parks"],
            hovertemplate=f"{html.escape(labels.region(region))} · {html.escape(median_label)}"
                          "<br>%{x|%Y-%m-%d}: %{y:g}% (n=%{customdata})<extra></extra>")
    if len(series) and not series["precise"].all():
        fig.add_scatter(x=[None], y=[None], mode="markers", name=month_label,
                        marker=dict(symbol="circle-open", size=8, color="#555555"))
    fig.update_yaxes(title=axis_title, range=[0, 105])
    date_axis(fig, pd.concat([series["when"], weekly["week"]]) if len(weekly) else series["when"])
    return _layout(fig, 460, showlegend=True)     # one trace alone would otherwise have no legend naming it


DAY = 86_400_000        # plotly's date axes count in milliseconds


def date_axis(fig: go.Figure, when: pd.Series) -> go.Figure:
    """Ticks on whole days, each date written once: plotly's own choice over a few days is every 12 or 6 hours,
    which a date format writes as the same day twice. A tick a day up to two weeks, a tick a week (on Mondays,
    where the weekly medians sit) up to about three months, else a tick a month; padded by half a tick each side."""
    when = pd.to_datetime(when).dropna()
    if when.empty:
        return fig
    lo, hi = when.min().normalize(), when.max().normalize()
    span = (hi - lo).days
    if span <= 14:
        step, dtick, tick0, tickformat = pd.Timedelta(days=1), DAY, "2020-01-06", "%Y-%m-%d"
    elif span <= 100:
        step, dtick, tick0, tickformat = pd.Timedelta(days=7), 7 * DAY, "2020-01-06", "%Y-%m-%d"   # a Monday
    else:
        step, dtick, tick0, tickformat = pd.Timedelta(days=30), "M1", "2020-01-01", "%Y-%m"
    pad = step / 2
    fig.update_xaxes(type="date", tick0=tick0, dtick=dtick, tickformat=tickformat, range=[lo - pad, hi + pad])
    return fig
