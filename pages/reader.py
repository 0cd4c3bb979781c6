"""文章阅读 Reader: one article's text with every extracted span marked; pick a sentence to add the figure or
measure the loaders missed. The article shown is in the URL (`read`)."""
import html
import uuid

import streamlit as st

from dashboard import found, review, ui
from loaders.publish.search import QueryTooLong

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "reader")

docs = ctx.view.documents["doc_id"].tolist()
if not docs:
    st.info(ctx.t("reader.none"), icon="🔍")
    st.stop()
doc = ui.url_state("read", docs, docs[0])
ui.write_url_state("read", doc, None)            # always in the link
st.selectbox(ctx.t("reader.pick"), docs, key="w_read", format_func=ctx.formatters["doc"], on_change=ui.keep_url_state,
             args=("read",))
text = ui.doc_text(doc)
ui.mirror_note(ctx, doc)
no_park = (ctx.full.documents.loc[ctx.full.documents["doc_id"] == doc, "status"] == "no_park").any()
if no_park:        # kept, readable and searchable; an editor names its park below
    st.info(ctx.t("reader.no_park"), icon="🏷️")
facts = ctx.full.facts[ctx.full.facts["doc_id"] == doc]
measures = ctx.full.measures[ctx.full.measures["doc_id"] == doc]
query = st.query_params.get("q", "").strip()[:100]       # from a search result: its hits in this article
if query:
    try:
        hits = next(iter(ui.search_index(ctx).search(query, doc_ids=[doc])), None)
    except QueryTooLong:
        hits = None
    with st.container(border=True, key="reader-hits"):
        st.markdown(html.escape(ctx.t("search.in_reader", q=query, n=len(hits.hits) if hits else 0)))
        for sentence in found.documents(ctx.full, [hits], ui.doc_text, max_sentences=20)[0].sentences if hits else []:
            st.markdown(f"<div class='evidence'>{sentence.html}</div>", unsafe_allow_html=True)
st.caption(ctx.t("reader.legend"))
st.markdown(f"<div class='reader'>{review.document_html(text, facts, measures)}</div>", unsafe_allow_html=True)

message = st.session_state.pop("reader_message", None)
if message:
    (st.error if message[0] == "error" else st.success)(message[1])

def _add(kind: str, doc: str, text: str, s_start: int, s_end: int) -> None:
    """A callback: the sentence (or the quoted words in it) becomes an `add` record; the fields are cleared
    once it is stored."""
    got = lambda name: (st.session_state.get(f"add-{name}") or "")
    sentence, quote = text[s_start:s_end], got("quote").strip() if kind == "facts" else ""
    if quote and quote not in sentence:
        st.session_state["reader_message"] = ("error", ctx.t("reader.quote_missing", quote=quote))
        return
    start = s_start + sentence.find(quote) if quote else s_start
    end = start + len(quote) if quote else s_end
    values = {"park": got("park")}
    if kind == "facts":
        values.update(value=got("value").strip(), unit=got("unit"), scope=got("scope").strip(), date=got("date").strip())
        if got("basis"):
            values["basis"] = got("basis")
        code = got("metric")
    else:
        code = got("measure_type")
    record = review.add_record(kind, code, doc, text, start, end, values, ui.author(), got("note").strip())
    record["id"] = "c_" + uuid.uuid4().hex[:16]
    problem = ui.save_corrections([record])
    if problem:
        st.session_state["reader_message"] = (
            "error", ctx.t("import.busy") if problem == "busy" else ctx.t("review.refused", reason=problem))
        return
    st.session_state["reader_message"] = ("ok", ctx.t("reader.added"))
    for name in ("value", "scope", "date", "quote", "note"):
        st.session_state[f"add-{name}"] = ""


if text and ui.can_edit(ctx):
    ui.author_input(ctx)
    named = ui.document_parks()
    if no_park or doc in named:
        st.subheader(ctx.t("docpark.title"))
        ui.document_park_form(ctx, doc, "reader", named.get(doc, ""))
    st.subheader(ctx.t("reader.add"))
    spans = review.doc_sentences(text)
    number = st.selectbox(ctx.t("reader.sentence"), range(1, len(spans) + 1), key="reader_sentence",
                          format_func=lambda n: f"{n} · {text[slice(*spans[n - 1])][:60]}")
    kind = st.radio(ctx.t("reader.kind"), ["facts", "measures"], horizontal=True, key="reader_kind",
                    format_func=lambda v: ctx.t(f"review.table_{v}"))
    s_start, s_end = spans[number - 1]
    st.markdown(f"<div class='evidence'>{review.mark_span(text, (s_start, s_end), (0, 0))}</div>",
                unsafe_allow_html=True)
    named = list(dict.fromkeys([*facts["park_name"], *measures["park_name"]]))
    parks = named + sorted(set(ctx.full.parks["name"]) - set(named))
    with st.container(border=True):
        if kind == "facts":
            metrics = list(ctx.full.codebook["metrics"])
            c1, c2, c3 = st.columns(3)
            c1.selectbox(ctx.t("col.metric"), metrics, format_func=lab.metric, key="add-metric")
            c2.text_input(ctx.t("col.value"), key="add-value")
            c3.selectbox(ctx.t("col.unit"), review.UNITS, key="add-unit")
            c4, c5, c6 = st.columns(3)
            c4.selectbox(ctx.t("col.basis"), ["", *ctx.full.codebook["bases"]],
                         format_func=lambda b: lab.basis(b) if b else "—", key="add-basis")
            c5.text_input(ctx.t("col.scope"), key="add-scope")
            c6.text_input(ctx.t("col.date"), placeholder="2020-02-20", key="add-date")
            st.text_input(ctx.t("reader.quote"), key="add-quote")
        else:
            st.selectbox(ctx.t("col.measure_type"), list(ctx.full.codebook["measure_types"]),
                         format_func=lab.measure, key="add-measure_type")
        st.selectbox(ctx.t("col.park_name"), parks, key="add-park")
        st.text_input(ctx.t("review.note"), key="add-note")
        st.button(ctx.t("reader.add"), type="primary", key="add", on_click=_add, args=(kind, doc, text, s_start, s_end))
