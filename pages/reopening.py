"""复工率 Reopening: one bar per park and scope, sorted, coloured by region; medians by region and park type."""
import streamlit as st

from dashboard import charts, dataset, review, ui

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "reopening")
ui.require_parks(ctx)
st.caption(ctx.t("reopening.note"))

rates = dataset.metric_rows(ctx.view, "reopening_rate").dropna(subset=["value_num"])
unstated = ctx.t("unstated")
scopes = sorted(set(rates["scope"].replace("", unstated)))
picked = st.multiselect(ctx.t("reopening.scope_filter"), scopes, key="reopening_scope", placeholder=ctx.t("filter.all"))
if picked:
    rates = rates[rates["scope"].replace("", unstated).isin(picked)]
if rates.empty:
    st.info(ctx.t("reopening.none"))
else:
    # the scope is part of every bar's name: 100% of 四上企业 is not 100% of all firms
    rates = rates.sort_values(["value_num", "park_name"], ascending=[False, True])
    label = [f"{lab.park(n, t)}｜{s or unstated}" for n, t, s in zip(rates["park_name"], rates["park_type"], rates["scope"])]
    rates = rates.assign(label=label, scope_shown=rates["scope"].replace("", unstated),
                         date_shown=rates["date"].replace("", unstated),
                         text=review.marked(rates["value_num"].map("{:g}%".format), rates["status"]),
                         status_shown=rates["status"].map(lab.status))
    rates["label"] = charts.numbered(rates["label"])
    shown = rates.head(charts.MAX_BARS)
    fig = charts.bars(shown, lab, y="label", x="value_num", text="text", axis_title=ctx.t("reopening.axis"),
                      hover=[(ctx.t("col.scope"), "scope_shown"), (ctx.t("col.date"), "date_shown"),
                             (ctx.t("col.status"), "status_shown"), (ctx.t("col.evidence"), "evidence")])
    fig.update_xaxes(range=[0, 112])
    st.plotly_chart(fig, key="rates")
    if len(rates) > len(shown):
        st.caption(ctx.t("shown_top", shown=len(shown), total=len(rates)))
    ui.download_buttons(ctx, "facts", rates, "reopening-rates")

    left, right = st.columns(2)
    with left:
        st.subheader(ctx.t("reopening.by_region"))
        st.plotly_chart(charts.median_bars(dataset.median_by(rates, "region"), lab, group_label=lab.region,
                                           axis_title=ctx.t("reopening.axis"), colour_by_region=True), key="by_region")
    with right:
        st.subheader(ctx.t("reopening.by_type"))
        st.plotly_chart(charts.median_bars(dataset.median_by(rates, "park_type"), lab, group_label=lab.park_type,
                                           axis_title=ctx.t("reopening.axis"), colour_by_region=False), key="by_type")
    ui.show_table(ctx, rates.assign(value=rates["text"]),
                  ["park_name", "scope_shown", "value", "date_shown", "evidence", "status_shown", "origin"],
                  {"scope_shown": "scope", "date_shown": "date", "status_shown": "status"})

# missing is not zero: parks without a rate are listed as "no figure"
missing = dataset.parks_without(ctx.view, "reopening_rate")
if len(missing):
    st.markdown(f"**{ctx.t('reopening.without', n=len(missing))}** {ctx.t('no_figure')}")
    st.write("、".join(missing["name"].head(300)) + (" …" if len(missing) > 300 else ""))
