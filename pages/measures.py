"""措施分布 Measures across regions: parks per region / park type / province × measure type, and the parks
and sentences behind any cell."""
import html

import streamlit as st

from dashboard import charts, dataset, ui

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "measures")
ui.require_parks(ctx)
measures = ctx.view.measures
if measures.empty:
    st.info(ctx.t("measures.none"))
    st.stop()
st.caption(ctx.t("measures.note"))

codes = list(ctx.full.codebook["measure_types"])
present = set(measures["measure_type"])
codes = [c for c in codes if c in present]
LABELS = {"region": lab.region, "park_type": lab.park_type, "province": lab.province}
# rows of a heatmap: (label function, the values present, in the filters' order)
present_in = {dim: set(measures[dim].unique()) for dim in LABELS}
DIMENSIONS = {dim: (label, [v for v in ctx.options[dim] if v in present_in[dim]]) for dim, label in LABELS.items()}
tables = {}
for dim, (label, order) in DIMENSIONS.items():
    st.subheader(ctx.t(f"measures.by_{dim}"))
    tables[dim] = dataset.crosstab_parks(measures, dim, order, codes)
    st.plotly_chart(charts.heatmap(tables[dim], lab, row_label=label, col_label=lab.measure), key=f"heat-{dim}")
    # what the chart shows (parks per cell), and the measure rows it counts
    counts_col, rows_col = st.columns(2)
    with counts_col:
        st.caption(ctx.t("measures.download_counts"))
        ui.download_buttons(ctx, f"parks_by_{dim}", dataset.crosstab_frame(tables[dim], dim),
                            f"parks-by-{dim}-and-measure")
    with rows_col:
        source = dataset.crosstab_source(measures, dim)
        st.caption(ctx.t("measures.download_rows", n=len(source)))
        ui.download_buttons(ctx, "measures", source, f"measures-by-{dim}")

# pick a cell: default is the fullest cell of the region table; the chosen cell is in the URL (dim, row, col)
st.subheader(ctx.t("measures.pick"))
region_table = tables["region"]
top_row, top_col = region_table.stack().idxmax()
dim = ui.url_state("dim", list(DIMENSIONS), "region")
label, order = DIMENSIONS[dim]
if st.session_state.get("cell_dim_seen", dim) != dim:   # another dimension: its rows are other values
    st.session_state.pop("p_row", None)
st.session_state["cell_dim_seen"] = dim
row = ui.url_state("row", order, top_row if dim == "region" and top_row in order else order[0])
col = ui.url_state("col", codes, top_col)
ui.write_url_state("row", row, None)             # rows and columns always in the link: defaults follow the data
ui.write_url_state("col", col, None)
c1, c2, c3 = st.columns([1, 1, 2])
c1.selectbox(ctx.t("measures.dimension"), list(DIMENSIONS), key="w_dim", on_change=ui.keep_url_state, args=("dim",),
             format_func=lambda d: ctx.t(f"filter.{d}"))
c2.selectbox(ctx.t("measures.pick_row"), order, key="w_row", format_func=label, on_change=ui.keep_url_state,
             args=("row",))
c3.selectbox(ctx.t("measures.pick_col"), codes, key="w_col", format_func=lab.measure, on_change=ui.keep_url_state,
             args=("col",))
cell = measures[(measures[dim] == row) & (measures["measure_type"] == col)]
if cell.empty:
    st.write(ctx.t("measures.cell_empty"))
else:
    st.markdown(f"**{html.escape(label(row))} · {html.escape(lab.measure(col))}** — "
                f"{cell['park_id'].nunique()} {ctx.t('col.parks')}")
    for _, r in cell.head(50).iterrows():
        ui.evidence(r["evidence"], r["cue"].split("|"),
                    note=f"<span class='tag'>{html.escape(lab.park(r['park_name'], r['park_type']))}"
                         f"{' · ' + html.escape(lab.status(r['status'])) if r['status'] != 'extracted' else ''}</span>")
    if len(cell) > 50:
        st.caption(ctx.t("data.shown_rows", shown=50, total=len(cell)))
    ui.download_buttons(ctx, "measures", cell, f"measures-{dim}-{row}-{col}")
