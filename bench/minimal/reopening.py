"""Minimal reopening (bench/dashboard_speed.py): what pages/reopening.py shows on both its tabs (both are
computed and sent on every run), drawn plainly.

Same shell and data shaping: dataset.metric_rows("reopening_rate") with a value, ranked by value and park,
bar names made unique (charts.numbered), the top charts.MAX_BARS bars, dataset.median_by region and park
type, dataset.rate_series and dataset.weekly_medians, dataset.parks_without. Drawn as: px.bar of the rates
coloured by region, two px.bar of the medians, the rates table, one px.line of the series and the weekly
medians (the real page's one rate_lines figure), the undated table, the parks without a rate. Left out:
scope picker, tabs, header and captions, hover text, value labels, colours, downloads."""
import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard import charts, dataset, ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("reopening")
view = ctx.view
if view.parks.empty:
    st.stop()

latest = dataset.latest_rates(view)
rates = dataset.one_per_figure(dataset.metric_rows(view, "reopening_rate").dropna(subset=["value_num"]), view.figures)
if len(rates) and len(latest):
    ranked = latest.sort_values(["value_num", "park_name"], ascending=[False, True])
    ranked = ranked.assign(label=charts.numbered(ranked["park_name"] + "｜" + ranked["stated_scope"]))
    st.plotly_chart(px.bar(ranked.head(charts.MAX_BARS), x="value_num", y="label", color="region", orientation="h"))
    one = ranked[ranked["population"] == dataset.populations(ranked)[0]]
    st.plotly_chart(px.bar(dataset.median_by(one, "region"), x="median", y="region", orientation="h"))
    st.plotly_chart(px.bar(dataset.median_by(one, "park_type"), x="median", y="park_type", orientation="h"))
    st.dataframe(ranked[["park_name", "population", "value_num", "as_of", "reports", "evidence", "status"]].head(ui.TABLE_ROWS))

    series, undated = dataset.rate_series(rates)
    weekly = dataset.weekly_medians(rates)
    if len(series) or len(weekly):
        lines = pd.concat([series[["when", "value_num", "series"]],
                           weekly.rename(columns={"week": "when", "median": "value_num"})
                           .assign(series=weekly["region"] + " median")[["when", "value_num", "series"]]])
        st.plotly_chart(px.line(lines, x="when", y="value_num", color="series", markers=True))
    st.dataframe(undated[["park_name", "scope", "value_num", "evidence", "doc_id"]].head(ui.TABLE_ROWS))

missing = dataset.parks_without(view, "reopening_rate")
if len(missing):
    st.write("、".join(missing["name"].head(300)))
