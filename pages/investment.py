"""签约投资 Signed investment: totals by park in 亿元 (bn yuan in English) with project counts, and a timeline by
signing date."""
import streamlit as st

from dashboard import charts, dataset, review, ui

ctx = ui.context()
lab = ctx.labels
unit, divisor = dataset.big_money(lab.lang)      # 亿元, or bn yuan in English
ui.header(ctx, "investment")
ui.require_parks(ctx)

totals = dataset.signed_investment_by_park(ctx.view)
if totals.empty:
    st.info(ctx.t("investment.none"))
else:
    # one number per park, from figures: a repeated figure once, a stated total without its parts, the latest
    # cumulative over the signings it covers (park_totals.csv, `how`)
    st.subheader(ctx.t("investment.totals"))
    st.caption(ctx.t("investment.totals_note"))
    totals = totals.assign(
        label=[lab.park(n, t) for n, t in zip(totals["park_name"], totals["park_type"])],
        amount_yi=totals["amount"] / divisor,
        how_shown=totals["how"].map(lab.how),
        reports_shown=totals["reports"].map(lambda n: ctx.t("reported_by", n=n)),
        projects_shown=totals["projects"].map(lambda n: ctx.t("investment.projects", n=f"{n:g}") if n == n else ctx.t("unstated")))
    signed = dataset.metric_rows(ctx.view, "signed_investment").dropna(subset=["value_num"])
    edited = set(signed.loc[signed["status"].isin(review.EDITED), "park_id"])   # a total holding a reviewer's figure
    totals["text"] = [f"{a:,.2f}" + (f" · {p}" if n == n else "") + (f" {review.MARK}" if pid in edited else "")
                      for a, p, n, pid in zip(totals["amount_yi"], totals["projects_shown"], totals["projects"],
                                              totals["park_id"])]
    shown = totals.head(charts.MAX_BARS)
    fig = charts.bars(shown, lab, y="label", x="amount_yi", text="text", axis_title=ctx.t("investment.axis"),
                      hover=[(ctx.t("col.how"), "how_shown"), (ctx.t("col.reports"), "reports_shown"),
                             (ctx.t("col.projects"), "projects_shown"), (ctx.t("col.figures"), "figures")])
    st.plotly_chart(fig, key="signed")
    if len(totals) > len(shown):
        st.caption(ctx.t("shown_top", shown=len(shown), total=len(totals)))
    ui.reported_by(ctx, totals.head(charts.MAX_BARS))
    st.caption(ctx.t("download.totals"))
    ui.download_buttons(ctx, "park_totals", ctx.view.totals[ctx.view.totals["metric"] == "signed_investment"],
                        "signed-investment-totals")
    st.caption(ctx.t("download.mentions"))
    ui.download_buttons(ctx, "facts", signed, "signed-investment")

    st.subheader(ctx.t("investment.timeline"))
    # each signing once (a figure, however many articles repeat it); a part is drawn inside its total, not beside
    signed = dataset.one_per_figure(signed, ctx.view.figures)
    whole = signed[signed["role"] != "part"]
    dated = whole.assign(when=dataset.month_start(whole["date"]), amount=whole["value_num"] / divisor)
    undated = dated["when"].isna().sum()
    dated = dated.dropna(subset=["when"])
    if len(dated):
        dated["label"] = [f"{n}｜{s}" if s else n for n, s in zip(dated["park_name"], dated["scope"])]
        st.plotly_chart(charts.timeline(dated, lab, axis_title=ctx.t("investment.axis")), key="timeline")
    if undated:
        st.caption(ctx.t("investment.undated", n=undated))
    ui.show_table(ctx, signed.assign(value=review.marked((signed["value_num"] / divisor).map("{:,.2f}".format),
                                                         signed["status"]), status=signed["status"].map(lab.status),
                                     role=signed["role"].map(lambda r: lab.role(r) if r else "")),
                  ["park_name", "value", "scope", "date", "role", "reports", "evidence", "status"], {"value": "amount"})

# under construction is not signed: listed apart so the two are never summed
building = dataset.metric_rows(ctx.view, "project_investment").dropna(subset=["value_num"])
if len(building):
    st.subheader(ctx.t("investment.project_investment"))
    ui.show_table(ctx, building.assign(value=review.marked((building["value_num"] / divisor).map(
                                                               ("{:,.2f} " + unit).format),
                                                           building["status"]), status=building["status"].map(lab.status)),
                  ["park_name", "value", "scope", "date", "evidence", "status", "origin"], {"value": "amount"})
