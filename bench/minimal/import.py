"""Minimal import page (bench/dashboard_speed.py): what pages/import.py shows before anything is uploaded:
the list of imported articles (loaders/store.read_index of the data folder), one plain line each.

The real page is otherwise all controls (upload and paste tabs, file uploader, title and text inputs, the
author input, a remove button per article); none of them is drawn here. Same shell."""
import streamlit as st

from dashboard import ui
from loaders.articles import store

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("import")
index = store.read_index(ui.data_dir())
if not index:
    st.write("—")
for aid, entry in index.items():
    st.markdown(f"{entry['name']} · {aid} · {entry['format']} · {entry['chars']} · {entry['added']}")
