"""Minimal profile (bench/dashboard_speed.py): what pages/profile.py shows, drawn plainly.

Same shell and data shaping: the park shown is the real page's default (the first park the filter names,
else the park with the most rows in the selection), its facts (one per figure, dataset.one_per_figure) and measures from the full dataset,
dataset.conflicts of its facts, dataset.cooccurring_parks. Drawn as: one line for the park, one plain
st.markdown per fact (value and sentence) and per measure sentence under one line per measure type, the
conflicting rows as one table, the related parks as one table. Left out: header, the park picker, the
related-park buttons, cue-word marking and tags, labels, downloads."""
import streamlit as st

from dashboard import dataset, ui

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("profile")
view, full = ctx.view, ctx.full
if view.parks.empty:
    st.stop()

rows_per_park = view.measures["park_id"].value_counts().add(view.facts["park_id"].value_counts(), fill_value=0)
pid = (ctx.filters.park[0] if ctx.filters.park else rows_per_park.idxmax() if len(rows_per_park)
       else view.parks.sort_values("name")["park_id"].iloc[0])
park = full.parks[full.parks["park_id"] == pid].iloc[0]
st.write(" · ".join(x for x in [park["name"], park["park_type"], park["level"], park["province"], park["city"],
                                park["region"]] if x))

mentions = full.facts[full.facts["park_id"] == pid]
facts = dataset.one_per_figure(mentions, full.figures)
measures = full.measures[full.measures["park_id"] == pid]
for metric, value, unit, sentence in zip(facts["metric"], facts["value"], facts["unit"], facts["evidence"]):
    st.markdown(f"{metric} {value} {unit}: {sentence}")
for code, group in measures.groupby("measure_type", sort=False):
    st.markdown(code)
    for sentence in group["evidence"]:
        st.markdown(sentence)

conflicting = dataset.conflicts(mentions)
if len(conflicting):
    st.dataframe(conflicting[["conflict", "metric", "scope", "as_of", "value", "unit", "doc_id", "evidence"]])
related = dataset.cooccurring_parks(full, pid)
st.dataframe(related[["doc_id", "park_id", "park_name"]].drop_duplicates(["doc_id", "park_id"]))
