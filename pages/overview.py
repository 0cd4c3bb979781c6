"""总览 Overview: headline figures, parks by province, measure families, and what the data covers."""
import pandas as pd
import streamlit as st

from dashboard import charts, dataset, review, ui

ctx = ui.context()
view, lab = ctx.view, ctx.labels
ui.header(ctx, "overview")
st.caption(ctx.t("app.caption"))
ui.require_parks(ctx)

# headline figures come from figures, never from mentions: a number repeated by several articles counts once,
# a stated total is never added to its parts, a park counts once in a median (its latest rate, one population)
rates = dataset.latest_rates(view)
pops = dataset.populations(rates)
signed = dataset.signed_investment_by_park(view)
reviewed, total = review.progress(view)      # rows people confirmed, corrected, added or rejected
cols = st.columns(5)
cols[0].metric(ctx.t("count.parks"), len(view.parks))
cols[1].metric(ctx.t("count.documents"), len(view.documents))
cols[2].metric(ctx.t("count.measures"), len(view.measures))
cols[3].metric(ctx.t("count.figures"), len(view.figures), help=ctx.t("count.figures_help", n=len(view.facts)))
cols[4].metric(ctx.t("review.reviewed"), f"{reviewed / total:.0%}" if total else "—",
               help=ctx.t("review.progress", n=reviewed, m=total))
cols = st.columns([1, 1, 2])
big = dataset.big_money(ctx.labels.lang)      # (unit, divisor): 亿元, or bn yuan in English
if pops:
    pop_rates = rates[rates["population"] == pops[0]]["value_num"]
    cols[0].metric(ctx.t("overview.median_rate_of", population=pops[0]), f"{pop_rates.median():g}%",
                   help=ctx.t("overview.median_help", n=len(pop_rates), others=len(pops) - 1))
else:
    cols[0].metric(ctx.t("overview.median_rate"), ctx.t("no_figure"))
cols[1].metric(ctx.t("overview.signed_total"),
               f"{signed['amount'].sum() / big[1]:,.1f} {big[0]}" if len(signed) else ctx.t("no_figure"),
               help=ctx.t("overview.total_help", parks=len(signed), figures=int(signed["figures"].sum()),
                          reports=len({d for ids in signed["doc_ids"] for d in ids.split("|") if d})))

# subsidies: one line per basis; a park's totals add, caps and rates per person never do
box = cols[2]
box.markdown(f"**{ctx.t('overview.subsidies')}**")
summary = dataset.subsidy_summary(view)
if summary.empty:
    box.write(ctx.t("no_figure"))
else:
    rows = []
    for _, r in summary.iterrows():
        unit_name, divisor = ("%", 1.0) if r["basis"] == "share" else dataset.money_unit(pd.Series([r["high"]]), ctx.labels.lang)
        rows.append({ctx.t("col.basis"): lab.basis(r["basis"]), ctx.t("col.parks"): r["parks"],
                     ctx.t("col.figures"): r["figures"],
                     ctx.t("col.amount"): (f"{ctx.t('overview.sum')} {r['sum'] / divisor:,.4g} {unit_name}" if r["basis"] == "total"
                                           else f"{r['low'] / divisor:,.4g} – {r['high'] / divisor:,.4g} {unit_name}")})
    box.dataframe(pd.DataFrame(rows), hide_index=True)

# the same park, metric and scope on the same day with different values in different articles
conflicting = dataset.conflicts(view.facts)
n_conflicts = conflicting["conflict"].nunique()
with st.expander(ctx.t("conflicts.title", n=n_conflicts), expanded=False):
    st.caption(ctx.t("conflicts.note"))
    if n_conflicts:
        ui.conflict_groups(ctx, conflicting)
        ui.download_buttons(ctx, "facts", conflicting, "conflicting-reports")
    else:
        st.write(ctx.t("conflicts.none"))

left, right = st.columns([3, 2])
with left:
    st.subheader(ctx.t("overview.map"))
    counts = view.parks[view.parks["province"] != ""].groupby("province").size().to_dict()
    st.plotly_chart(charts.province_tiles(counts, lab, ctx.t("col.parks")), key="map")
    st.caption(ctx.t("overview.map_note"))
with right:
    st.subheader(ctx.t("overview.families"))
    family_of = {code: entry["family"] for code, entry in ctx.full.codebook["measure_types"].items()}
    fam = view.measures.assign(family=view.measures["measure_type"].map(family_of))
    fam = fam.groupby("family", sort=False).agg(parks=("park_id", "nunique"), records=("park_id", "size"))
    fam = fam.reindex(list(ctx.full.codebook["families"]), fill_value=0).reset_index()
    st.plotly_chart(charts.family_bars(fam, lab, ctx.t("col.parks")), key="families")
    ui.download_buttons(ctx, "measures", view.measures, "measures")

st.subheader(ctx.t("overview.coverage"))
dates = dataset.month_start(view.facts["date"]).dropna()
if len(dates):
    raw = view.facts["date"][view.facts["date"] != ""]
    st.write(ctx.t("overview.coverage_text", docs=len(view.documents), first=raw.min(), last=raw.max(),
                   dated=len(dates), facts=len(view.facts)))
else:
    st.write(ctx.t("overview.no_dates", docs=len(view.documents)))
ui.show_table(ctx, view.documents, ["doc_id", "title", "source", "origin"], {"doc_id": "doc"})
bare = view.parks[~view.parks["park_id"].isin(view.facts["park_id"])].rename(columns={"name": "park_name"})
st.markdown(f"**{ctx.t('overview.without_numbers', n=len(bare))}**")
if len(bare):
    ui.show_table(ctx, bare.assign(region=bare["region"].map(lab.region), park_type=bare["park_type"].map(lab.park_type)),
                  ["park_name", "park_type", "province", "region"])
