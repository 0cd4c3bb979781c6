"""数据 Data: the filtered (or full) tables with the codebook, and their downloads."""
import streamlit as st

from dashboard import downloads, ui
from dashboard.dataset import DATA_TABLES as TABLES

ctx = ui.context()
ui.header(ctx, "data")

scope = st.radio(ctx.t("data.scope"), ["filtered", "full"], horizontal=True, key="data_scope",
                 format_func=lambda s: ctx.t(f"data.{s}"))
source = ctx.view if scope == "filtered" else ctx.full
filters = ctx.filter_dict() if scope == "filtered" else {}
if scope == "filtered" and source.parks.empty:
    ui.require_parks(ctx)
tables = {name: downloads.export_frame(name, source.table(name)) for name in TABLES}

st.markdown(f"**{ctx.t('data.all_tables')}**")
row = st.container(horizontal=True)
row.download_button("⬇ XLSX", key="dl-all-xlsx", on_click="ignore",
                   data=lambda: downloads.to_xlsx(tables, ctx.full.codebook, filters),
                   file_name=downloads.file_name("all-tables", filters, "xlsx"),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
row.download_button("⬇ JSON", key="dl-all-json", on_click="ignore", mime="application/json",
                   data=lambda: downloads.to_json(tables, filters),
                   file_name=downloads.file_name("all-tables", filters, "json"))
# for R and pandas: the loaders' CSVs with datapackage.json (types, descriptions, keys), as selected
row.download_button("⬇ Data Package (zip)", key="dl-all-datapackage", on_click="ignore", mime="application/zip",
                   data=lambda: downloads.to_datapackage({n: source.table(n) for n in TABLES}, ctx.full.codebook,
                                                         filters),
                   file_name=downloads.file_name("datapackage", filters, "zip"), help=ctx.t("data.datapackage_help"))
# for Stata and for typed loading (pandas, R arrow): every table, as selected, one file each
for fmt, label in (("parquet", "Parquet"), ("stata", "Stata .dta")):
    row.download_button(f"⬇ {label} (zip)", key=f"dl-all-{fmt}", on_click="ignore", mime="application/zip",
                       data=lambda fmt=fmt: downloads.to_export({n: source.table(n) for n in TABLES},
                                                                ctx.full.codebook, fmt),
                       file_name=downloads.file_name(fmt, filters, "zip"), help=ctx.t(f"data.{fmt}_help"))

rejected = downloads.export_frame("rejected", source.rejected)
tabs = st.tabs([f"{ctx.t('table.' + n)} ({len(tables[n])})" for n in TABLES]
               + [f"{ctx.t('table.rejected')} ({len(rejected)})", ctx.t("data.codebook")])
for tab, name in zip(tabs, TABLES):
    with tab:
        what = name if scope == "filtered" else f"{name}-full"
        ui.download_buttons(ctx, name, source.table(name), what, filters)
        ui.show_table(ctx, tables[name], list(tables[name].columns), translate=False)
with tabs[-2]:        # rows reviewers rejected, with the correction that did it (never in the tables above)
    what = "rejected" if scope == "filtered" else "rejected-full"
    ui.download_buttons(ctx, "rejected", source.rejected, what, filters)
    ui.show_table(ctx, rejected, list(rejected.columns), translate=False)
with tabs[-1]:
    book = downloads.codebook_rows(ctx.full.codebook)
    st.dataframe(book, hide_index=True, width="stretch")
