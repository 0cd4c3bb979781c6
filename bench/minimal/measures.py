"""Minimal measures (bench/dashboard_speed.py): what pages/measures.py shows, drawn plainly.

Same shell and data shaping: the measure types present, dataset.crosstab_parks per region, park type and
province (rows in the filters' order), and the picked cell: the fullest cell of the region table, kept
while it stays valid, as the real page keeps its cell in the URL. Drawn as: three px.imshow heatmaps with
the counts written in, then the cell's first 50 sentences, one plain st.markdown each (the real page's
evidence blocks). Left out: header, captions, the dimension/row/column pickers, park names and status
tags, cue-word marking, labels, downloads."""
import plotly.express as px
import streamlit as st

from dashboard import dataset, ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("measures")
view = ctx.view
if view.parks.empty or view.measures.empty:
    st.stop()

measures = view.measures
present = set(measures["measure_type"])
codes = [c for c in ctx.full.codebook["measure_types"] if c in present]
tables = {}
for dim in ("region", "park_type", "province"):
    values = set(measures[dim].unique())
    order = [v for v in ctx.options[dim] if v in values]
    tables[dim] = dataset.crosstab_parks(measures, dim, order, codes)
    st.plotly_chart(px.imshow(tables[dim], text_auto=True))

cell = st.session_state.get("m_cell")
if not cell or cell[0] not in tables["region"].index or cell[1] not in codes:
    cell = tables["region"].stack().idxmax()
st.session_state["m_cell"] = cell
rows = measures[(measures["region"] == cell[0]) & (measures["measure_type"] == cell[1])]
st.write(f"{cell[0]} · {cell[1]} — {rows['park_id'].nunique()}")
for sentence in rows["evidence"].head(50):
    st.markdown(sentence)
