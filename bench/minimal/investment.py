"""Minimal investment (bench/dashboard_speed.py): what pages/investment.py shows, drawn plainly.

Same shell and data shaping: dataset.signed_investment_by_park (top charts.MAX_BARS parks, in 亿元),
dataset.metric_rows("signed_investment") with a value, dataset.month_start for the timeline,
dataset.metric_rows("project_investment"). Drawn as: px.bar of the totals coloured by region, px.scatter of
the dated signings sized by amount and coloured by region, the signed figures table and the projects under
construction table (first ui.TABLE_ROWS rows). Left out: headers, captions, value labels and project
counts, ✎ marks, hover text, colours, downloads."""
import plotly.express as px
import streamlit as st

from dashboard import charts, dataset, ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("investment")
view = ctx.view
if view.parks.empty:
    st.stop()

COLUMNS = ["park_name", "value_num", "scope", "date", "evidence", "status", "origin"]
totals = dataset.signed_investment_by_park(view)
if len(totals):
    totals = totals.assign(amount_yi=totals["amount"] / 1e8)
    st.plotly_chart(px.bar(totals.head(charts.MAX_BARS), x="amount_yi", y="park_name", color="region",
                           orientation="h"))
    signed = dataset.one_per_figure(dataset.metric_rows(view, "signed_investment").dropna(subset=["value_num"]),
                                    view.figures)
    whole = signed[signed["role"] != "part"]
    dated = whole.assign(when=dataset.month_start(whole["date"]), amount=whole["value_num"] / 1e8)
    dated = dated.dropna(subset=["when"])
    if len(dated):
        st.plotly_chart(px.scatter(dated, x="when", y="amount", color="region", size="amount"))
    st.dataframe(signed[COLUMNS].head(ui.TABLE_ROWS))
building = dataset.metric_rows(view, "project_investment").dropna(subset=["value_num"])
if len(building):
    st.dataframe(building[COLUMNS].head(ui.TABLE_ROWS))
