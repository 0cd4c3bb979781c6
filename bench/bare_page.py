"""The benchmark's baseline: a page that only reads the same cached dataset and writes one number."""
import streamlit as st

from dashboard import ui

full, options = ui.load()
st.write(len(full.parks))
