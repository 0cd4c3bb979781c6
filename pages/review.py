"""审核 Review: one fact or measure at a time, flagged first, then unreviewed; confirm, reject or correct it
in one click and the next one appears. Every action is a correction record that survives rebuilds."""
import html
import uuid

import streamlit as st

from dashboard import dataset, review, ui
from loaders.correct import correction_store
from loaders.correct.corrections import STATUSES

ctx = ui.context()
lab, view = ctx.labels, ctx.view
ui.header(ctx, "review")
st.caption(ctx.t("review.intro"))
editable = ui.can_edit(ctx)
if editable:
    ui.author_input(ctx)

metrics = list(ctx.full.codebook["metrics"])
measure_types = list(ctx.full.codebook["measure_types"])
code_label = lambda c: lab.metric(c) if c in metrics else lab.measure(c)
left, middle, right = st.columns([1, 2, 2])
table = left.radio(ctx.t("review.table"), ["all", "facts", "measures"], key="review_table",
                   format_func=lambda v: ctx.t(f"review.table_{v}"))
offered = {"all": metrics + measure_types, "facts": metrics, "measures": measure_types}[table]
picked = middle.multiselect(ctx.t("review.codes"), offered, key="review_codes", format_func=code_label,
                            placeholder=ctx.t("filter.all"))
statuses = right.multiselect(ctx.t("review.status"), list(STATUSES), default=["extracted"], key="review_status",
                             format_func=lambda s: ctx.full.codebook["statuses"][s][lab.lang],
                             placeholder=ctx.t("filter.all"))
codes = picked or offered
reviewed, total = review.progress(view, codes)
st.progress(reviewed / total if total else 1.0, text=ctx.t("review.progress", n=reviewed, m=total))

def _withdraw(ids: list[str]) -> None:
    problem = ui.withdraw_corrections(ids)
    if problem:
        st.session_state["review_message"] = ("error", ctx.t("import.busy"), None)


def _save(record: dict, done: str) -> None:
    # a button callback: the store is written and the tables republished before the page is drawn again
    record["id"] = "c_" + uuid.uuid4().hex[:16]
    record["author"] = ui.author()
    problem = ui.save_corrections([record])
    if problem == "busy":
        st.session_state["review_message"] = ("error", ctx.t("import.busy"), None)
    elif problem:
        st.session_state["review_message"] = ("error", ctx.t("review.refused", reason=problem), None)
        st.session_state["review_correcting"] = True
    else:
        st.session_state["review_message"] = ("ok", done, [record["id"]])
        st.session_state["review_correcting"] = False


message = st.session_state.pop("review_message", None)
if message:
    kind, text, undo = message
    box = st.container(horizontal=True)
    (box.error if kind == "error" else box.success)(text)
    if undo and editable:
        box.button(ctx.t("review.undo"), key="undo", on_click=_withdraw, args=(undo,))


def _save_correction(row: dict, text: str, k: str) -> None:
    """The fields the user changed become one `correct` record; nothing changed is said so."""
    got = lambda name: st.session_state.get(f"{k}-{name}")
    if row["table"] == "facts":
        new = {"metric": got("metric"), "basis": got("basis"), "scope": got("scope").strip(), "date": got("date").strip()}
        current = {"metric": row["code"], "basis": row["basis"], "scope": row["scope"], "date": row["date"]}
    else:
        new, current = {"measure_type": got("measure_type")}, {"measure_type": row["code"]}
    changed = {key: v for key, v in new.items() if v != current[key]}
    shown = review.shown_amount(row["value"], row["unit"], sep="")      # what the form showed: 248.26 亿元
    if row["table"] == "facts" and (got("value").strip(), got("unit")) != shown:
        changed.update(value=got("value").strip(), unit=got("unit"))
    if got("park") != row["park_name"]:
        changed["park"] = got("park")
    if not changed:
        st.session_state["review_message"] = ("error", ctx.t("review.unchanged"), None)
        return
    _save(review.record("correct", row, text, changed, note=got("note").strip()), ctx.t("review.corrected"))


row = None                      # the row under review, if any (the park editor starts from its park)
rows = review.queue(view, codes, statuses)
skipped = st.session_state.setdefault("review_skipped", set())
key_of = lambda r: (r["table"], r["doc_id"], int(r["start"]), int(r["end"]), r["code"], r["park_id"])
# the rows not skipped, by position (no per-row dicts: the queue can hold the whole dataset)
keys = zip(rows["table"], rows["doc_id"], rows["start"].astype(int), rows["end"].astype(int), rows["code"], rows["park_id"])
waiting = [i for i, k in enumerate(keys) if k not in skipped] if skipped else list(range(len(rows)))
if rows.empty:
    st.success(ctx.t("review.done"), icon="✅")
elif not waiting:
    st.info(ctx.t("review.all_skipped"))
    st.button(ctx.t("review.unskip"), on_click=skipped.clear)
else:
    row = rows.iloc[waiting[0]].to_dict()
    text = ui.doc_text(row["doc_id"])
    before, bounds, after = review.context(text, row["start"], row["end"])
    title = ctx.formatters["doc"](row["doc_id"])
    if row["table"] == "facts":   # an amount in 元/万元/亿元 as the charts write it, with every digit
        amount = " ".join(review.shown_amount(row["value"], row["unit"]))
        what = f"{lab.metric(row['code'])} · <b>{html.escape(amount)}</b>" + (
            f" · {html.escape(lab.basis(row['basis']))}" if row["basis"] else "") + (
            f" · {html.escape(row['scope'])}" if row["scope"] else "") + (
            f" · {html.escape(row['date'])}" if row["date"] else "")
    else:
        what = f"{ctx.t('review.measure')} · <b>{html.escape(lab.measure(row['code']))}</b>"
    flags = "".join(f"<span class='tag'>⚑ {html.escape(ctx.full.codebook['flags'].get(f, {}).get(lab.lang, f))}</span>"
                    for f in row["flags"].split("|") if f)
    status = ctx.full.codebook["statuses"][row["status"]][lab.lang]
    st.markdown(f"**{html.escape(row['park_name'])}** · {what} · <i>{html.escape(status)}</i><br>"
                f"<span class='tag'>{html.escape(title)}</span>{flags}", unsafe_allow_html=True)
    span = (row["start"], row["end"]) if row["table"] == "facts" else bounds
    st.markdown(f"<div class='context'>{html.escape(before)}</div>"
                f"<div class='evidence' data-testid='review-sentence'>{review.mark_span(text, bounds, span)}</div>"
                f"<div class='context'>{html.escape(after)}</div>", unsafe_allow_html=True)
    if not text:
        st.warning(ctx.t("review.no_text"))
    elif editable:
        buttons = st.container(horizontal=True)
        buttons.button(f"✓ {ctx.t('review.confirm')}", type="primary", key="confirm",
                       on_click=_save, args=(review.record("confirm", row, text), ctx.t("review.confirmed")))
        buttons.button(f"✗ {ctx.t('review.reject')}", key="reject",
                       on_click=_save, args=(review.record("reject", row, text), ctx.t("review.rejected")))
        buttons.button(f"✎ {ctx.t('review.correct')}", key="correct",
                       on_click=lambda: st.session_state.__setitem__("review_correcting", True))
        buttons.button(ctx.t("review.skip"), key="skip", on_click=skipped.add, args=(key_of(row),))
        if st.session_state.get("review_correcting"):
            # plain widgets keyed by the row (so each row starts from its own values) and a callback button
            k = "fix-" + str(abs(hash(key_of(row))))
            parks = sorted(ctx.full.parks["name"])
            with st.container(border=True):
                if row["table"] == "facts":
                    c1, c2, c3 = st.columns(3)
                    c1.selectbox(ctx.t("col.metric"), metrics, index=metrics.index(row["code"]),
                                 format_func=lab.metric, key=f"{k}-metric")
                    value, unit = review.shown_amount(row["value"], row["unit"], sep="")    # 248.26 亿元, not 元
                    c2.text_input(ctx.t("col.value"), value=value, key=f"{k}-value")
                    units = review.UNITS
                    c3.selectbox(ctx.t("col.unit"), units, index=units.index(unit) if unit in units else 0,
                                 key=f"{k}-unit")
                    bases = list(ctx.full.codebook["bases"])
                    c4, c5, c6 = st.columns(3)
                    c4.selectbox(ctx.t("col.basis"), bases, index=bases.index(row["basis"]) if row["basis"] in bases
                                 else 0, format_func=lab.basis, key=f"{k}-basis")
                    c5.text_input(ctx.t("col.scope"), value=row["scope"], key=f"{k}-scope")
                    c6.text_input(ctx.t("col.date"), value=row["date"], placeholder="2020-02-20", key=f"{k}-date")
                else:
                    st.selectbox(ctx.t("col.measure_type"), measure_types, index=measure_types.index(row["code"]),
                                 format_func=lab.measure, key=f"{k}-measure_type")
                st.selectbox(ctx.t("col.park_name"), parks, key=f"{k}-park",
                             index=parks.index(row["park_name"]) if row["park_name"] in parks else 0)
                st.text_input(ctx.t("review.note"), key=f"{k}-note")
                st.button(ctx.t("review.save"), type="primary", key="save", on_click=_save_correction,
                          args=(row, text, k))
    figure = review.figure_of(ctx.full, row) if text else None
    if figure is not None:
        # one figure, many mentions: a reviewer merges, splits and sets part and whole (corrections, anchored)
        head = ctx.t("review.figure", n=figure["reports"], mentions=figure["mentions"], role=lab.role(figure["role"]))
        with st.expander(head, expanded=False):
            if editable:
                row_buttons = st.container(horizontal=True)
                if int(figure["mentions"]) > 1:
                    row_buttons.button(ctx.t("review.split_figure"), key="split-figure", on_click=_save,
                                       args=(review.figure_record("split_figure", row, text), ctx.t("review.saved")))
                if figure["role"] == "part":
                    row_buttons.button(ctx.t("review.not_part"), key="not-part", on_click=_save,
                                       args=(review.figure_record("not_part", row, text), ctx.t("review.saved")))
                others = review.other_figures(ctx.full, figure)
                if len(others):
                    options = list(range(len(others)))
                    label = lambda i: (f"{ui.fact_value(others.iloc[i], ctx.labels.lang)} · {others.iloc[i]['as_of'] or '—'} · "
                                       f"{lab.role(others.iloc[i]['role'])} · {ctx.formatters['doc'](others.iloc[i]['doc_id'])}")
                    pick = st.selectbox(ctx.t("review.other_figure"), options, format_func=label, key="other-figure")
                    other = others.iloc[pick].to_dict()
                    other_text = ui.doc_text(other["doc_id"])
                    pair = st.container(horizontal=True)
                    pair.button(ctx.t("review.merge_figure"), key="merge-figure", on_click=_save,
                                args=(review.figure_record("merge_figure", row, text, other, other_text),
                                      ctx.t("review.saved")))
                    pair.button(ctx.t("review.part_of"), key="part-of", on_click=_save,
                                args=(review.figure_record("part_of", row, text, other, other_text),
                                      ctx.t("review.saved")))
    st.caption(ctx.t("review.next", n=len(waiting) - 1))
    upcoming = rows.iloc[waiting[1:21]]
    if len(upcoming):
        flag_label = lambda fs: "、".join(ctx.full.codebook["flags"].get(f, {}).get(lab.lang, f) for f in fs.split("|") if f)
        values, units = review.shown_amounts(upcoming["value"], upcoming["unit"])
        shown = upcoming.assign(code=upcoming["code"].map(code_label), flags=upcoming["flags"].map(flag_label),
                                value=review.marked(values, upcoming["status"]), unit=units,
                                status=upcoming["status"].map(lab.status))
        ui.show_table(ctx, shown, ["park_name", "code", "value", "unit", "flags", "status", "evidence"],
                      {"code": "metric"})

if editable and st.toggle(ctx.t("parkedit.title"), key="parkedit-open-review"):
    # park actions: rename, merge into another park, set type/level/place (correction records, like every action here)
    with st.container(border=True):
        st.caption(ctx.t("parkedit.intro"))
        ids = ctx.options["park"]                                  # every park, by name
        start = row["park_id"] if row is not None and row["park_id"] in ids else (
            view.parks["park_id"].iloc[0] if len(view.parks) else ids[0] if ids else None)
        if st.session_state.get(f"review-park-{start}") not in ids:
            st.session_state.pop(f"review-park-{start}", None)       # a park merged away since it was picked
        if start is not None:
            chosen = st.selectbox(ctx.t("parkedit.pick"), ids, index=ids.index(start), key=f"review-park-{start}",
                                  format_func=ctx.formatters["park"])
            ui.park_actions(ctx, ctx.full.parks[ctx.full.parks["park_id"] == chosen].iloc[0].to_dict(), "review")

# articles in which no park was recognised: kept (readable, searchable); an editor names their park in the reader
unparked = dataset.without_park(ctx.full)
if ctx.filters.doc:
    unparked = unparked[unparked["doc_id"].isin(ctx.filters.doc)]
with st.expander(ctx.t("review.no_park", n=len(unparked)), expanded=bool(len(unparked))):
    st.caption(ctx.t("review.no_park_note"))
    if unparked.empty:
        st.write(ctx.t("review.no_park_none"))
    for d in unparked.itertuples(index=False):
        meta = " · ".join(x for x in [d.source, d.published, f"{d.chars} {ctx.t('col.chars')}", d.doc_id] if x)
        st.markdown(f"<a href='{ui.reader_link(d.doc_id)}' target='_self'>{html.escape(d.title or d.doc_id)}</a> "
                    f"<span class='tag'>{html.escape(meta)}</span>", unsafe_allow_html=True)

orphans = correction_store.orphans(ui.data_dir())
with st.expander(ctx.t("review.orphans", n=len(orphans)), expanded=bool(orphans)):
    if not orphans:
        st.write(ctx.t("review.no_orphans"))
    for o in orphans:
        c1, c2 = st.columns([6, 1])
        c1.markdown(f"`{html.escape(o['correction_id'])}` {html.escape(o['action'])} · {html.escape(o['kind'])} · "
                    f"“{html.escape(o['exact'][:40] or o['park'])}” · {html.escape(o['doc_id'])} — "
                    f"{html.escape(o['reason'])}")
        if editable:
            c2.button(ctx.t("review.withdraw"), key=f"withdraw-{o['correction_id']}", on_click=_withdraw,
                      args=([o["correction_id"]],))

rejected = view.rejected
with st.expander(ctx.t("review.rejected_rows", n=len(rejected))):
    if len(rejected):
        ui.show_table(ctx, rejected, ["park_name", "metric", "measure_type", "value", "unit", "evidence", "author",
                                      "note", "time", "correction_id"], translate=False)
        ui.download_buttons(ctx, "rejected", rejected, "rejected")
