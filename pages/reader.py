"""文章阅读 Reader: one article's text with every extracted span marked; pick a sentence to add the figure or
measure the loaders missed. The article shown is in the URL (`read`)."""
import uuid

import streamlit as st

from dashboard import review, ui
from loaders.corrections import MONEY

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "reader")

docs = ctx.view.documents["doc_id"].tolist()
if not docs:
    st.info(ctx.t("reader.none"), icon="🔍")
    st.stop()
wanted = st.query_params.get("read")
if "reader_doc" not in st.session_state or st.session_state["reader_doc"] not in docs:
    st.session_state["reader_doc"] = wanted if wanted in docs else docs[0]
doc = st.selectbox(ctx.t("reader.pick"), docs, key="reader_doc", format_func=ctx.formatters["doc"])
st.query_params["read"] = doc
text = ui.doc_text(doc)
facts = ctx.full.facts[ctx.full.facts["doc_id"] == doc]
measures = ctx.full.measures[ctx.full.measures["doc_id"] == doc]
st.caption(ctx.t("reader.legend"))
st.markdown(f"<div class='reader'>{review.document_html(text, facts, measures)}</div>", unsafe_allow_html=True)

message = st.session_state.pop("reader_message", None)
if message:
    (st.error if message[0] == "error" else st.success)(message[1])

if text and ui.can_edit(ctx):
    st.subheader(ctx.t("reader.add"))
    ui.author_input(ctx)
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
    with st.form("add_form", clear_on_submit=True):
        if kind == "facts":
            metrics = list(ctx.full.codebook["metrics"])
            c1, c2, c3 = st.columns(3)
            code = c1.selectbox(ctx.t("col.metric"), metrics, format_func=lab.metric)
            value = c2.text_input(ctx.t("col.value"))
            unit = c3.selectbox(ctx.t("col.unit"), ["%", *MONEY, "家", "人", "个", "条"])
            c4, c5, c6 = st.columns(3)
            basis = c4.selectbox(ctx.t("col.basis"), ["", *ctx.full.codebook["bases"]],
                                 format_func=lambda b: lab.basis(b) if b else "—")
            scope = c5.text_input(ctx.t("col.scope"))
            date = c6.text_input(ctx.t("col.date"), placeholder="2020-02-20")
            quote = st.text_input(ctx.t("reader.quote"))
        else:
            code = st.selectbox(ctx.t("col.measure_type"), list(ctx.full.codebook["measure_types"]),
                                format_func=lab.measure)
            quote = ""
        park = st.selectbox(ctx.t("col.park_name"), parks)
        note = st.text_input(ctx.t("review.note"))
        if st.form_submit_button(ctx.t("reader.add"), type="primary"):
            sentence = text[s_start:s_end]
            quote = quote.strip()
            if quote and quote not in sentence:
                st.session_state["reader_message"] = ("error", ctx.t("reader.quote_missing", quote=quote))
            else:
                start = s_start + sentence.find(quote) if quote else s_start
                end = start + len(quote) if quote else s_end
                values = {"park": park}
                if kind == "facts":
                    values.update(value=value.strip(), unit=unit, scope=scope.strip(), date=date.strip())
                    if basis:
                        values["basis"] = basis
                record = review.add_record(kind, code, doc, text, start, end, values, ui.author(), note)
                record["id"] = "c_" + uuid.uuid4().hex[:16]
                problem = ui.save_corrections([record])
                st.session_state["reader_message"] = (
                    ("error", ctx.t("import.busy") if problem == "busy" else ctx.t("review.refused", reason=problem))
                    if problem else ("ok", ctx.t("reader.added")))
            st.rerun()
