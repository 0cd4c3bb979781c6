"""Minimal data page (bench/dashboard_speed.py): what pages/data.py shows with its default scope (the
filtered tables), drawn plainly.

Same shell and data shaping: downloads.export_frame of the six tables (with figures and park totals) and of
the rejected rows, downloads.codebook_rows. Drawn as: eight st.dataframe (the six tables and the rejected rows,
first ui.TABLE_ROWS rows each, and the codebook). Left out: header, the scope switch, tabs, the 24 download
buttons, row-count captions."""
import streamlit as st

from dashboard import downloads, ui
from dashboard.dataset import DATA_TABLES as TABLES

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("data")
view = ctx.view
if view.parks.empty:
    st.stop()

for name in TABLES:
    st.dataframe(downloads.export_frame(name, view.table(name)).head(ui.TABLE_ROWS))
st.dataframe(downloads.export_frame("rejected", view.rejected).head(ui.TABLE_ROWS))
st.dataframe(downloads.codebook_rows(ctx.full.codebook))
