"""Benchmark baseline 2: the dashboard's shell (cached data, the filtered selection, sidebar filters, URL)
around a page that draws one number. Every page pays this; the difference is the page's own work.
The minimal pages in bench/minimal/ start with the same four lines."""
import streamlit as st

from dashboard import ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("overview")       # the default page's slug: it owns no query parameters of its own
st.metric("parks", len(ctx.view.parks))
