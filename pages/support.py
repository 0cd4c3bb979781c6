"""补贴与资金 Support: subsidies by park, one chart per basis (never added across bases); financing apart."""
import streamlit as st

from dashboard import charts, dataset, review, ui

ctx = ui.context()
lab = ctx.labels
ui.header(ctx, "support")
ui.require_parks(ctx)
st.caption(ctx.t("support.note"))

BASES = ["total", "per_enterprise", "per_enterprise_cap", "per_project_cap", "per_person", "share"]


def basis_charts(metric: str, heading: str) -> bool:
    """One chart (own axis, own unit) per basis of `metric`; False when there is nothing to draw."""
    # one row per figure (a number repeated by several articles counts once); a total basis shows each park's
    # one number to cite (park_totals: a stated total without its parts), other bases each figure (a cap never adds)
    rows = dataset.one_per_figure(dataset.metric_rows(ctx.view, metric).dropna(subset=["value_num"]), ctx.view.figures)
    if rows.empty:
        return False
    st.header(heading)
    totals = dataset.park_total_rows(ctx.view, metric, rows)
    order = BASES + sorted(set(rows["basis"]) - set(BASES))
    for basis in [b for b in order if b in set(rows["basis"])]:
        group = (totals if basis == "total" and len(totals) else rows[rows["basis"] == basis]).sort_values(
            "value_num", ascending=False)
        unit_name, divisor = ("%", 1.0) if basis == "share" else dataset.money_unit(group["value_num"], ctx.labels.lang)
        label = [lab.park(n, t) for n, t in zip(group["park_name"], group["park_type"])]
        group = group.assign(label=label, amount=group["value_num"] / divisor,
                             scope_shown=group["scope"].replace("", ctx.t("unstated")),
                             date_shown=group["date"].replace("", ctx.t("unstated")))
        group["label"] = charts.numbered(group["label"])
        # the axis has one unit; each bar's text its own, so a small amount beside a large one reads "346 万元", not
        # "0.0346 亿元"
        shown_as = (lambda v: f"{v:,.4g} %") if basis == "share" else (lambda v: dataset.money_text(v, lang=lab.lang))
        group["text"] = review.marked(group["value_num"].map(shown_as), group["status"])
        group["status_shown"] = group["status"].map(lab.status)
        group["reports_shown"] = group["reports"].map(lambda n: ctx.t("reported_by", n=n))
        st.subheader(f"{lab.metric(metric)} · {lab.basis(basis)}")
        axis = ctx.t("support.share_axis") if basis == "share" else ctx.t("support.axis", unit=unit_name)
        shown = group.head(charts.MAX_BARS)
        fig = charts.bars(shown, lab, y="label", x="amount", text="text", axis_title=axis,
                          hover=[(ctx.t("col.scope"), "scope_shown"), (ctx.t("col.date"), "date_shown"),
                                 (ctx.t("col.reports"), "reports_shown"), (ctx.t("col.status"), "status_shown"),
                                 (ctx.t("col.evidence"), "evidence")])
        st.plotly_chart(fig, key=f"{metric}-{basis}")
        if basis == "total" and len(totals):
            ui.reported_by(ctx, group.assign(amount=group["value_num"]))
        if len(group) > len(shown):
            st.caption(ctx.t("shown_top", shown=len(shown), total=len(group)))
        ui.download_buttons(ctx, "facts", group, f"{metric}-{basis}")
    return True


drew = basis_charts("subsidy_amount", ctx.t("support.subsidies"))
drew = basis_charts("financing_amount", ctx.t("support.financing")) or drew
if not drew:
    st.info(ctx.t("support.none"))
