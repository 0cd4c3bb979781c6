"""Minimal search (bench/dashboard_speed.py): what pages/search.py shows for the URL's query `q`, drawn
plainly.

Same shell and data shaping: ui.search_index(ctx).search(q) kept to the selection's documents, the first
50 shaped by found.documents (each document's first sentences holding a hit and the parks named in them).
Drawn as: the count line, then per document one plain st.markdown for its title and one per sentence
(the sentence as found.documents gives it, and its parks' names). Left out: header, caption, the query
box, bordered containers, reader and profile links, hit counts per document."""
import streamlit as st

from dashboard import found, ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("search")
query = st.query_params.get("q", "").strip()
if not query:
    st.stop()
selection = set(ctx.view.documents["doc_id"])
hits = [d for d in ui.search_index(ctx).search(query) if d.doc_id in selection]
st.write(f"{len(hits)} documents, {sum(len(d.hits) for d in hits)} hits")
for doc in found.documents(ctx.full, hits[:50], ui.doc_text):
    st.markdown(doc.title)
    for sentence in doc.sentences:
        st.markdown(sentence.html + " " + "、".join(name for _, name, _ in sentence.parks))
