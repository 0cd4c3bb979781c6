"""Minimal overview (bench/dashboard_speed.py): what pages/overview.py shows, drawn plainly.

Same shell and same data shaping as the real page: dataset.metric_rows (rates, signed), review.progress,
the subsidies per basis (dataset.money_unit), dataset.conflicts, parks per province, parks per measure
family, dataset.month_start, the documents and the parks without figures. Drawn as: the seven headline
numbers (st.metric), the subsidies table, the conflicting reports (the rows of the first 30 groups, at
most 4 each, as the real page lists them) as one table, the province tiles as one px.scatter over the same
grid, the families as one px.bar, the coverage line, the documents table and the parks-without-figures
table (first ui.TABLE_ROWS rows each). Left out: header, captions, expander, columns, evidence blocks,
reader links, download buttons, labels and colours."""
import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard import dataset, review, ui
from dashboard.i18n import style

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("overview")
view = ctx.view
if view.parks.empty:
    st.stop()

rates = dataset.latest_rates(view)
pops = dataset.populations(rates)
rates = rates[rates["population"] == pops[0]]["value_num"] if pops else rates["value_num"]
signed = dataset.signed_investment_by_park(view)["amount"]
reviewed, total = review.progress(view)
for name, value in [("parks", len(view.parks)), ("documents", len(view.documents)), ("measures", len(view.measures)),
                    ("figures", len(view.figures)), ("reviewed", f"{reviewed / total:.0%}" if total else "—"),
                    ("median rate", f"{rates.median():g}%" if len(rates) else "—"),
                    ("signed", f"{signed.sum() / 1e8:,.1f} 亿元" if len(signed) else "—")]:
    st.metric(name, value)

st.dataframe(dataset.subsidy_summary(view))

conflicting = dataset.conflicts(view.facts)
shown = conflicting[conflicting["conflict"] <= 30].groupby("conflict").head(4)
st.dataframe(shown[["conflict", "park_name", "metric", "scope", "as_of", "value", "unit", "date_basis", "doc_id",
                    "evidence"]])

counts = view.parks[view.parks["province"] != ""].groupby("province").size()
grid = style()["province_grid"]
tiles = pd.DataFrame({"province": list(grid), "row": [grid[p][0] for p in grid], "col": [grid[p][1] for p in grid],
                      "parks": [int(counts.get(p, 0)) for p in grid]})
st.plotly_chart(px.scatter(tiles, x="col", y="row", color="parks", text="province"))

family_of = {code: entry["family"] for code, entry in ctx.full.codebook["measure_types"].items()}
fam = view.measures.assign(family=view.measures["measure_type"].map(family_of))
fam = fam.groupby("family", sort=False).agg(parks=("park_id", "nunique"), records=("park_id", "size"))
fam = fam.reindex(list(ctx.full.codebook["families"]), fill_value=0).reset_index()
st.plotly_chart(px.bar(fam, x="family", y="parks"))

dates = dataset.month_start(view.facts["date"]).dropna()
raw = view.facts["date"][view.facts["date"] != ""]
st.write(f"{len(view.documents)} documents, {raw.min()} – {raw.max()}, {len(dates)} of {len(view.facts)} facts dated"
         if len(dates) else f"{len(view.documents)} documents")
st.dataframe(view.documents[["doc_id", "title", "source", "origin"]].head(ui.TABLE_ROWS))
bare = view.parks[~view.parks["park_id"].isin(view.facts["park_id"])]
st.dataframe(bare[["name", "park_type", "province", "region"]].head(ui.TABLE_ROWS))
