"""Minimal reader (bench/dashboard_speed.py): what pages/reader.py shows, drawn plainly.

Same shell and data shaping: the article is the URL's `read` while the selection holds it, else the
selection's first article, kept in the session and the URL as the real page keeps it; its text
(ui.doc_text), and its facts and measures from the full dataset. Drawn as: the text as one plain
st.markdown (the real page's one marked-up block), and the facts and measures of the article (what the
real page marks in the text) as two tables. Left out: header, the article picker, the legend, the marking
of spans and sentences (review.document_html), search hits (no `q` here), and the add form (sentence
picker, park picker, fields, button), which the real page draws for an editor."""
import streamlit as st

from dashboard import ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("reader")
docs = ctx.view.documents["doc_id"].tolist()
if not docs:
    st.stop()
doc = st.session_state.get("m_read") or st.query_params.get("read")
doc = doc if doc in docs else docs[0]
st.session_state["m_read"] = doc
if st.query_params.get("read") != doc:
    st.query_params["read"] = doc

text = ui.doc_text(doc)
facts = ctx.full.facts[ctx.full.facts["doc_id"] == doc]
measures = ctx.full.measures[ctx.full.measures["doc_id"] == doc]
st.markdown(text)
st.dataframe(facts[["start", "end", "metric", "value", "unit", "status"]])
st.dataframe(measures[["start", "end", "measure_type", "status"]])
