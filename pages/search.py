"""搜索 Search: every article's text (and so every evidence sentence), insensitive to traditional/simplified
script and full/half-width forms; results grouped by article with the hits marked, each linking to the
article in the reader and to the parks of the sentence. The query is in the URL (`q`)."""
import html

import streamlit as st

from dashboard import found, ui
from loaders.publish.search import QueryTooLong

MAX_DOCS = 50

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "search")
st.caption(ctx.t("search.note"))

query = ui.url_state("q", None, "")
st.text_input(ctx.t("search.label"), key="w_q", on_change=ui.keep_url_state, args=("q",), max_chars=100,
              placeholder=ctx.t("search.placeholder"))
query = query.strip()
if not query:
    st.stop()
try:       # the sidebar's filters apply: only the selection's articles are searched
    hits = ui.search_index(ctx).search(query, limit_docs=MAX_DOCS, doc_ids=ctx.view.documents["doc_id"])
except QueryTooLong as e:
    st.error(str(e))
    st.stop()
if not hits:
    if not ui.hidden_by_filters(ctx, query, 0):       # else: the filters hide N articles that hold it, and a link
        st.info(ctx.t("search.none", q=query), icon="🔍")
    st.stop()
st.markdown(ctx.t("search.count", docs=hits.total))
if hits.total > len(hits):
    st.caption(ctx.t("search.first", shown=len(hits), total=hits.total))
ui.hidden_by_filters(ctx, query, hits.total)


def park_links(parks) -> str:
    return " ".join(f"<a href='{ui.profile_link(pid)}' target='_self'>{html.escape(lab.park(name, ptype))}</a>"
                    for pid, name, ptype in parks)


for doc in found.group_mirrors(ctx.full, found.documents(ctx.full, hits, ui.doc_text)):
    with st.container(border=True, key=f"hit-{doc.doc_id}"):
        meta = " · ".join(x for x in [doc.source, doc.published, ctx.t("search.hits", n=doc.hits)] if x)
        st.markdown(f"**<a href='{ui.reader_link(doc.doc_id, query)}' target='_self'>{html.escape(doc.title)}</a>**"
                    f" <span class='tag'>{html.escape(meta)}</span>", unsafe_allow_html=True)
        for sentence in doc.sentences:
            parks = park_links(sentence.parks)
            st.markdown(f"<div class='evidence'>{sentence.html}</div>"
                        + (f"<span class='tag'>{ctx.t('search.parks')}</span>{parks}" if parks else ""),
                        unsafe_allow_html=True)
        if doc.hits > sum(s.hits for s in doc.sentences):
            st.caption(ctx.t("search.more_in_doc"))
        if doc.parks:
            st.markdown(f"<span class='tag'>{ctx.t('search.doc_parks')}</span>{park_links(doc.parks)}",
                        unsafe_allow_html=True)
        if doc.copies:       # the same story re-posted elsewhere: one card, its copies linked
            links = " · ".join(f"<a href='{ui.reader_link(d, query)}' target='_self'>{html.escape(t[:30])}</a>"
                               for d, t in doc.copies)
            st.markdown(f"<span class='tag'>{html.escape(ctx.t('search.copies', n=len(doc.copies)))}</span>{links}",
                        unsafe_allow_html=True)
