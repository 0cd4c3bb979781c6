"""导入文章 Import: upload files or paste a text, preview what the loaders extract, keep it (the dataset
is rebuilt at once), and remove imported articles again."""
import html

import pandas as pd
import streamlit as st
from filelock import Timeout

from dashboard import imports, ui
from loaders.articles import bulk, store
from loaders.articles.formats import SUFFIXES
from loaders.articles.read import MAX_BYTES, InputError

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "import")
st.caption(ctx.t("import.intro"))
data_dir, seeds = ui.data_dir(), ui.ROOT / "seeds"
editable = ui.can_edit(ctx)       # importing and removing change the data: the editor password, if one is set
if editable:
    ui.author_input(ctx)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_preview(name: str, data: bytes) -> imports.Preview:
    return imports.preview(name, data)


def _unticked(editor_key: str) -> list[int]:
    """Rows of a preview table whose keep box the user cleared."""
    edits = st.session_state.get(editor_key, {}).get("edited_rows", {})
    return sorted(int(i) for i, change in edits.items() if change.get("keep") is False)


def _keep(files: list[tuple[str, bytes]]) -> None:
    # a callback, so it runs once per click before the page is drawn again; unticked rows become rejections
    rejected, round_ = {}, st.session_state["import_round"]
    for name, data in files:
        p = cached_preview(name, data)
        rejected[store._display_name(name)] = imports.rejections(
            p, _unticked(f"keep-facts-{round_}-{p.doc_id}"), _unticked(f"keep-measures-{round_}-{p.doc_id}"),
            author=ui.author())
    try:
        st.session_state["import_report"] = imports.keep(data_dir, seeds, files, rejected)
        st.session_state["import_round"] += 1
    except Timeout:
        st.session_state["import_busy"] = True


def _remove(aid: str) -> None:
    try:
        st.session_state["import_report"] = imports.remove(data_dir, seeds, [aid])
    except Timeout:
        st.session_state["import_busy"] = True


REPORT_LINES = 20


def report(change: imports.Change) -> None:
    """One line per file (a summary and the lines that were not added, for a collection's many rows), then
    whether the dataset was rebuilt."""
    if len(change.outcomes) > REPORT_LINES:
        added = sum(o.status == "added" for o in change.outcomes)
        st.write(ctx.t("import.rows_report", added=added, skipped=len(change.outcomes) - added))
        others = [o.line() for o in change.outcomes if o.status != "added"]
        if others:
            with st.expander(ctx.t("import.not_added", n=len(others))):
                st.text("\n".join(others))
    else:
        for outcome in change.outcomes:
            if outcome.status == "refused":
                st.error(ctx.t("import.refused", name=outcome.name, reason=lab.reason(outcome.detail)))
            else:
                (st.error if outcome.status == "not found" else st.write)(outcome.line())
    for line in change.warnings:
        st.warning(line, icon="⚠️")
    if change.built:
        st.success(ctx.t("import.built"))
    elif change.lines:
        st.error(ctx.t("import.build_failed") + " " + " / ".join(change.lines[-3:]))


def editor(frame, columns: list[str], key: str) -> None:
    """A preview table whose only editable column is `keep`."""
    shown = frame[columns].rename(columns={c: ctx.t(f"col.{c}") for c in columns if c != "keep" and lab.has(f"col.{c}")})
    st.data_editor(shown, key=key, hide_index=True, width="stretch", disabled=list(shown.columns[1:]),
                   column_config={"keep": st.column_config.CheckboxColumn(ctx.t("import.keep_row"), default=True)})


@st.cache_data(max_entries=8, show_spinner=False)
def cached_collection(name: str, data: bytes, mapping: tuple) -> bulk.Collection | str:
    """The collection's rows with this mapping (() = as guessed), or the one-line reason it cannot be read."""
    try:
        return bulk.read(name, data, dict(mapping) or None)
    except InputError as e:
        return str(e)


def collections(round_: int, files: list[tuple[str, bytes]]) -> None:
    """CSV / XLSX / JSONL / ZIP files: the column mapping (which the user can change), the first rows as they
    will be stored, the rows refused with their reason, and one button that stores them all and rebuilds."""
    ready = []
    for name, data in files:
        with st.container(border=True):
            st.markdown(f"**{html.escape(name)}**")
            found = cached_collection(name, data, ())
            if isinstance(found, str):
                st.error(ctx.t("import.refused", name=name, reason=lab.reason(found)))
                continue
            if found.columns:
                chosen = {}
                cells = st.columns(len(bulk.FIELDS))
                options = [""] + found.columns
                for cell, f in zip(cells, bulk.FIELDS):
                    guessed = found.mapping.get(f) or ""
                    chosen[f] = cell.selectbox(ctx.t(f"import.field.{f}"), options, index=options.index(guessed),
                                               key=f"map-{round_}-{name}-{f}", format_func=lambda c: c or "—")
                if chosen != {f: found.mapping.get(f) or "" for f in bulk.FIELDS}:
                    found = cached_collection(name, data, tuple(sorted((f, c) for f, c in chosen.items() if c)))
                    if isinstance(found, str):
                        st.error(ctx.t("import.refused", name=name, reason=lab.reason(found)))
                        continue
            st.caption(ctx.t("import.collection_summary", rows=len(found.rows), bad=len(found.bad)))
            table = imports.collection_table(found)
            st.dataframe(table.rename(columns={c: ctx.t(f"import.col.{c}") for c in table.columns}),
                         hide_index=True, width="stretch")
            if found.bad:
                with st.expander(ctx.t("import.bad_rows", n=len(found.bad))):
                    bad = pd.DataFrame([{"where": b.where, "reason": lab.reason(b.reason)} for b in found.bad])
                    st.dataframe(bad.rename(columns={c: ctx.t(f"import.col.{c}") for c in bad.columns}),
                                 hide_index=True, width="stretch")
            ready.append(found)
    rows = [r for found in ready for r in found.rows]
    if rows and st.button(ctx.t("import.keep_rows", n=len(rows)), type="primary", key=f"keep-rows-{round_}"):
        bar = st.progress(0.0, text=ctx.t("import.storing", done=0, total=len(rows)))

        def tick(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                bar.progress(done / total, text=ctx.t("import.storing", done=done, total=total))

        def build_tick(stage: str, done: int, total: int) -> None:
            bar.progress(done / total if total else 1.0,
                         text=ctx.t("import.build_stage", stage=ctx.t(f"import.stage.{stage}"), done=done, total=total))
        try:
            with st.spinner(ctx.t("import.building")):
                change = imports.keep_rows(data_dir, seeds, rows, progress=tick, build_progress=build_tick)
        except Timeout:
            st.session_state["import_busy"] = True
        else:
            st.session_state["import_report"] = change
            st.session_state["import_round"] += 1
        st.rerun()


def upload_and_preview() -> None:
    """The uploader, the paste box and the preview with its keep button: for editors only, so a visitor's
    upload is never accepted nor parsed."""
    # uploads are cleared after a keep by giving the uploader a new key
    round_ = st.session_state.setdefault("import_round", 0)
    upload, paste = st.tabs([ctx.t("import.upload"), ctx.t("import.paste")])
    with upload:
        files = st.file_uploader(ctx.t("import.files", mb=MAX_BYTES // (1024 * 1024),
                                       collection_mb=bulk.conf()["max_megabytes"]),
                                 type=[s.lstrip(".") for s in SUFFIXES + tuple(bulk.conf()["suffixes"])],
                                 accept_multiple_files=True,
                                 key=f"upload-{round_}")
    with paste:
        title = st.text_input(ctx.t("import.title"), key=f"paste-title-{round_}")
        body = st.text_area(ctx.t("import.body"), height=200, key=f"paste-body-{round_}")

    uploaded = [(f.name, f.getvalue()) for f in files or []]
    candidates = [(name, data) for name, data in uploaded if not bulk.is_collection(name)]
    collections(round_, [(name, data) for name, data in uploaded if bulk.is_collection(name)])
    if body.strip():
        candidates.append(imports.pasted_file(title, body))

    if candidates:
        st.subheader(ctx.t("import.preview"))
        keepable = []
        for name, data in candidates:
            p = cached_preview(name, data)
            if not p.ok:
                st.error(ctx.t("import.refused", name=name, reason=lab.reason(p.reason)))
                continue
            keepable.append((name, data))
            summary = ctx.t("import.summary", name=name, described=p.described, chars=p.chars, parks=len(p.parks),
                            measures=len(p.measures), facts=len(p.facts))
            with st.expander(summary, expanded=True):
                if p.note:
                    st.warning(ctx.t("import.no_park"))
                parks = p.parks.assign(park_type=p.parks["park_type"].map(lab.park_type),
                                       region=p.parks["region"].map(lab.region)).rename(columns={"name": "park_name"})
                ui.show_table(ctx, parks, ["park_name", "park_type", "province", "city", "region"])
                # untick a wrong row: it is kept as a rejection, so it never reaches the dataset
                st.caption(ctx.t("import.untick"))
                if len(p.facts):
                    facts = p.facts.assign(keep=True, metric=p.facts["metric"].map(lab.metric))
                    editor(facts, ["keep", "park_name", "metric", "value", "unit", "scope", "date", "evidence"],
                           f"keep-facts-{round_}-{p.doc_id}")
                if len(p.measures):
                    measures = p.measures.assign(keep=True, measure_type=p.measures["measure_type"].map(lab.measure))
                    editor(measures, ["keep", "park_name", "measure_type", "cue", "evidence"],
                           f"keep-measures-{round_}-{p.doc_id}")
        if keepable:
            st.button(ctx.t("import.keep", n=len(keepable)), type="primary", key="keep", on_click=_keep,
                      args=(keepable,))
        else:
            st.info(ctx.t("import.nothing"))


if editable:
    upload_and_preview()

if "import_report" in st.session_state:
    report(st.session_state.pop("import_report"))
if st.session_state.pop("import_busy", False):
    st.warning(ctx.t("import.busy"))

st.subheader(ctx.t("import.list"))
index = store.read_index(data_dir, warn=lambda line: st.warning(line, icon="⚠️"))
if not index:
    st.write(ctx.t("import.none"))
for aid, entry in index.items():
    c1, c2 = st.columns([6, 1])
    c1.markdown(f"**{html.escape(entry['name'])}** · `{aid}` · {html.escape(entry['format'])} · "
                f"{entry['chars']} {ctx.t('col.chars')} · {html.escape(entry['added'])}")
    c2.button(ctx.t("import.remove"), key=f"remove-{aid}", on_click=_remove, args=(aid,), disabled=not editable)
