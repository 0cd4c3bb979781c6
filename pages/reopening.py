"""复工率 Reopening: bars per park and scope (medians by region and park type), and the same rates over time.
The scope filter and the tab shown are in the URL (`scope`, `view`)."""
import streamlit as st

from dashboard import charts, dataset, review, ui

UNSTATED = "-"        # the scope filter's value for rates whose article states no scope

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "reopening")
ui.require_parks(ctx)
st.caption(ctx.t("reopening.note"))

# bars and medians: each park once per population, its latest rate (park_totals); the timeline: every figure once
latest = dataset.latest_rates(ctx.view)
rates = dataset.one_per_figure(dataset.metric_rows(ctx.view, "reopening_rate").dropna(subset=["value_num"]),
                               ctx.view.figures)
rates = rates.assign(population=rates["scope"].map(dataset.population))
unstated = ctx.t("unstated")
scopes = dataset.populations(latest)
picked = ui.url_state("scope", scopes, [], multi=True)
st.multiselect(ctx.t("reopening.scope_filter"), scopes, key="w_scope", on_change=ui.keep_url_state, args=("scope",),
               format_func=lambda s: unstated if s in ("", UNSTATED) else s, placeholder=ctx.t("filter.all"))
if picked:
    latest = latest[latest["population"].isin(picked)]
    rates = rates[rates["population"].isin(picked)]

VIEWS = ["bars", "timeline"]
view = ui.url_state("view", VIEWS, "bars")
names = [ctx.t(f"reopening.view_{v}") for v in VIEWS]


def _pick_view() -> None:
    st.session_state["p_view"] = VIEWS[names.index(st.session_state["w_view_tab"])]


bars_tab, time_tab = st.tabs(names, default=names[VIEWS.index(view)], key="w_view_tab", on_change=_pick_view)
if rates.empty:
    st.info(ctx.t("reopening.none"))
else:
    shown_cols = lambda f: f.assign(scope_shown=f["scope"].replace("", unstated), date_shown=f["date"].replace("", unstated),
                                    as_of_shown=f["as_of"].replace("", unstated),
                                    text=review.marked(f["value_num"].map("{:g}%".format), f["status"]),
                                    status_shown=f["status"].map(lab.status),
                                    reports_shown=f["reports"].map(lambda n: ctx.t("reported_by", n=n)))
    rates, latest = shown_cols(rates), shown_cols(latest.rename(columns={"reports_num": "reports_n"}).assign(
        reports=latest["reports_num"]))
    with bars_tab:
        ranked = latest.sort_values(["value_num", "park_name"], ascending=[False, True])
        if ranked.empty:        # a dataset built before the resolution stage has no park totals
            st.warning(ctx.t("reopening.rebuild"))
        else:
            # the population is part of every bar's name: 100% of 四上企业 is not 100% of all firms
            label = [f"{lab.park(n, t)}｜{s or p or unstated}" for n, t, s, p in
                     zip(ranked["park_name"], ranked["park_type"], ranked["stated_scope"], ranked["population"])]
            ranked = ranked.assign(label=charts.numbered(ranked.assign(label=label)["label"]))
            shown = ranked.head(charts.MAX_BARS)
            fig = charts.bars(shown, lab, y="label", x="value_num", text="text", axis_title=ctx.t("reopening.axis"),
                              hover=[(ctx.t("col.population"), "scope_shown"), (ctx.t("col.as_of"), "as_of_shown"),
                                     (ctx.t("col.reports"), "reports_shown"), (ctx.t("col.status"), "status_shown"),
                                     (ctx.t("col.evidence"), "evidence")])
            fig.update_xaxes(range=[0, 112])
            st.plotly_chart(fig, key="rates")
            if len(ranked) > len(shown):
                st.caption(ctx.t("shown_top", shown=len(shown), total=len(ranked)))
            ui.download_buttons(ctx, "park_totals", ranked, "reopening-rates")

            # medians over one population: a park counts once (its latest rate); n = parks
            pops = dataset.populations(ranked)
            population = picked[0] if len(picked) == 1 else (pops[0] if pops else "")
            one = ranked[ranked["population"] == population]
            st.caption(ctx.t("reopening.median_note", population=population or unstated, n=one["park_id"].nunique()))
            left, right = st.columns(2)
            with left:
                st.subheader(ctx.t("reopening.by_region"))
                st.plotly_chart(charts.median_bars(dataset.median_by(one, "region"), lab, group_label=lab.region,
                                                   axis_title=ctx.t("reopening.axis"), colour_by_region=True),
                                key="by_region")
            with right:
                st.subheader(ctx.t("reopening.by_type"))
                st.plotly_chart(charts.median_bars(dataset.median_by(one, "park_type"), lab, group_label=lab.park_type,
                                                   axis_title=ctx.t("reopening.axis"), colour_by_region=False),
                                key="by_type")
            ui.show_table(ctx, ranked.assign(value=ranked["text"]),
                          ["park_name", "scope_shown", "value", "as_of_shown", "reports", "evidence", "status_shown"],
                          {"scope_shown": "population", "as_of_shown": "as_of", "status_shown": "status"})
    with time_tab:
        # a park's rate on two or more dates is a line; undated rates are listed apart, never placed on the axis
        series, undated = dataset.rate_series(rates)
        weekly = dataset.weekly_medians(rates)
        st.caption(ctx.t("reopening.time_note"))
        if series.empty:        # no line: say so, and draw no chart (a weekly median alone is no trend)
            st.info(ctx.t("reopening.no_series"))
        else:
            series = series.assign(label=[f"{lab.park(n, t)}｜{s or unstated}" for n, t, s in
                                          zip(series["park_name"], series["park_type"], series["scope"])])
            st.plotly_chart(charts.rate_lines(series, weekly, lab, axis_title=ctx.t("reopening.axis"),
                                              median_label=ctx.t("reopening.week_median"),
                                              month_label=ctx.t("reopening.month_only")), key="timeline")
            st.caption(ctx.t("reopening.series_count", n=series["series"].nunique(), figures=len(series)))
            ui.download_buttons(ctx, "facts", series, "reopening-over-time")
        st.markdown(f"**{ctx.t('reopening.undated', n=len(undated))}**")
        if len(undated):
            ui.show_table(ctx, undated.assign(value=undated["text"]),
                          ["park_name", "scope_shown", "value", "evidence", "doc_id"], {"scope_shown": "scope"})

# missing is not zero: parks without a rate are listed as "no figure"
missing = dataset.parks_without(ctx.view, "reopening_rate")
if len(missing):
    st.markdown(f"**{ctx.t('reopening.without', n=len(missing))}** {ctx.t('no_figure')}")
    st.write("、".join(missing["name"].head(300)) + (" …" if len(missing) > 300 else ""))
