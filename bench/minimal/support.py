"""Minimal support (bench/dashboard_speed.py): what pages/support.py shows, drawn plainly.

Same shell and data shaping: for subsidy_amount then financing_amount, dataset.metric_rows with a value, one
group per basis in the page's order, sorted by amount, in the unit dataset.money_unit picks, bar names made
unique (charts.numbered), the top charts.MAX_BARS bars. Drawn as: one px.bar per basis coloured by region.
Left out: headers, captions, hover text (scope, date, status, evidence), value labels, colours, downloads."""
import plotly.express as px
import streamlit as st

from dashboard import charts, dataset, ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("support")
view = ctx.view
if view.parks.empty:
    st.stop()

BASES = ["total", "per_enterprise", "per_enterprise_cap", "per_project_cap", "per_person", "share"]
for metric in ("subsidy_amount", "financing_amount"):
    rows = dataset.one_per_figure(dataset.metric_rows(view, metric).dropna(subset=["value_num"]), view.figures)
    totals = dataset.park_total_rows(view, metric, rows)
    present = set(rows["basis"])
    for basis in [b for b in BASES + sorted(present - set(BASES)) if b in present]:
        group = (totals if basis == "total" and len(totals) else rows[rows["basis"] == basis]).sort_values(
            "value_num", ascending=False)
        unit_name, divisor = ("%", 1.0) if basis == "share" else dataset.money_unit(group["value_num"])
        group = group.assign(amount=group["value_num"] / divisor, label=charts.numbered(group["park_name"]))
        st.plotly_chart(px.bar(group.head(charts.MAX_BARS), x="amount", y="label", color="region", orientation="h"))
