"""园区档案 Park profile: one park's figures and measures with their sentences (cue words marked), and the
other parks named in the same articles."""
import html

import pandas as pd
import streamlit as st

from dashboard import dataset, review, ui

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "profile")
ui.require_parks(ctx)

full = ctx.full
parks = full.parks.set_index("park_id")
# default: the first park the filter names, else the park with the most records in the selection
rows_per_park = ctx.view.measures["park_id"].value_counts().add(ctx.view.facts["park_id"].value_counts(), fill_value=0)
choices = ctx.view.parks.sort_values("name")["park_id"].tolist()
default = (ctx.filters.park[0] if ctx.filters.park else
           rows_per_park.idxmax() if len(rows_per_park) else choices[0])
if st.session_state.get("profile_filter") != ctx.filters:  # new filters: start again from their default
    st.session_state["profile_filter"] = ctx.filters
    st.session_state.pop("profile_park", None)
wanted = st.session_state.get("profile_park")
if wanted in parks.index and wanted not in choices:
    choices = [wanted] + choices  # reached by a link from a related park outside the filters
st.session_state["w_profile"] = wanted if wanted in choices else default


def _pick(park_id=None):
    st.session_state["profile_park"] = park_id or st.session_state["w_profile"]


pid = st.selectbox(ctx.t("profile.pick"), choices, key="w_profile", on_change=_pick,
                   format_func=lambda p: lab.park(parks.at[p, "name"], parks.at[p, "park_type"]))
park = parks.loc[pid]
st.markdown(f"### {html.escape(park['name'])}")
st.write(" · ".join(x for x in [lab.park_type(park["park_type"]), park["level"], lab.province(park["province"]),
                                park["city"], lab.region(park["region"])] if x))
if park["aliases"]:
    st.caption(park["aliases"].replace("|", "、"))

facts = full.facts[full.facts["park_id"] == pid]
measures = full.measures[full.measures["park_id"] == pid]
left, right = st.columns(2)
with left:
    st.subheader(f"{ctx.t('profile.facts')} ({len(facts)})")
    if facts.empty:
        st.write(ctx.t("profile.no_facts"))
    for _, f in facts.iterrows():
        if f["unit"] == "元" and f["value_num"] == f["value_num"]:
            unit, divisor = dataset.money_unit(pd.Series([f["value_num"]]))
            value = f"{f['value_num'] / divisor:,.4g} {unit}"
        else:
            value = f"{f['value']} {f['unit']}"
        if f["status"] in review.EDITED:
            value = f"{value} {review.MARK}"
        parts = [lab.metric(f["metric"]), value, lab.basis(f["basis"]) if f["basis"] not in ("rate", "count") else "",
                 f["scope"], f["date"], lab.status(f["status"]) if f["status"] != "extracted" else ""]
        note = html.escape(" · ".join(p for p in parts if p))
        ui.evidence(f["evidence"], [f["raw"]], note=f"<span class='tag'><b>{note}</b></span><br>")
    if len(facts):
        ui.download_buttons(ctx, "facts", facts, f"profile-{pid}-facts")
with right:
    st.subheader(f"{ctx.t('profile.measures')} ({measures['measure_type'].nunique()})")
    if measures.empty:
        st.write(ctx.t("profile.no_measures"))
    for code, group in measures.groupby("measure_type", sort=False):
        st.markdown(f"**{html.escape(lab.measure(code))}** · {html.escape(lab.family(full.codebook['measure_types'][code]['family']))}")
        for _, m in group.iterrows():
            ui.evidence(m["evidence"], m["cue"].split("|"), note="" if m["status"] == "extracted" else
                        f"<span class='tag'>{html.escape(lab.status(m['status']))}</span>")
    if len(measures):
        ui.download_buttons(ctx, "measures", measures, f"profile-{pid}-measures")

st.subheader(ctx.t("profile.related"))
related = dataset.cooccurring_parks(full, pid)
if related.empty:
    st.write(ctx.t("profile.none_related"))
titles = dict(zip(full.documents["doc_id"], full.documents["title"]))
for doc_id, group in related.groupby("doc_id", sort=True):
    st.markdown(f"*{html.escape(titles.get(doc_id, doc_id))}*")
    cols = st.columns(4)
    for i, (other, name) in enumerate(group[["park_id", "park_name"]].drop_duplicates().itertuples(index=False)):
        cols[i % 4].button(f"{ctx.t('profile.open')} {lab.park(name, parks.at[other, 'park_type'])}",
                           key=f"rel-{doc_id}-{other}", on_click=_pick, args=(other,))
