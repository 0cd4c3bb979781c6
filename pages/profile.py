"""园区档案 Park profile: one park's figures and measures with their sentences (cue words marked), and the
other parks named in the same articles."""
import html

import streamlit as st

from dashboard import dataset, ui

# a park reported by thousands of articles must not draw thousands of sentences: the first ones are drawn, the
# downloads hold all (at 20,000 articles the busiest park took 29 s to draw in full)
SHOWN_FIGURES, SHOWN_SENTENCES, SHOWN_ARTICLES = 100, 10, 30

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
if st.session_state.get("profile_filter", ctx.filters) != ctx.filters:  # new filters: start again from their default
    st.session_state.pop("p_profile", None)
st.session_state["profile_filter"] = ctx.filters
# a saved link to a park that was merged into another opens the surviving park, and says so (park_redirects.csv;
# a renamed park keeps its id)
asked = st.query_params.get("profile")
if asked in full.redirects and asked not in parks.index and full.redirects[asked] in parks.index:
    st.query_params["profile"] = full.redirects[asked]
    st.session_state["profile_redirected"] = (asked, full.redirects[asked])
# the park shown is in the URL (`profile`): a link may name a park outside the filters (a related park)
pid = ui.url_state("profile", parks.index.tolist(), default)
ui.write_url_state("profile", pid, None)        # always in the link, so it does not depend on the default
if pid not in choices:
    choices = [pid] + choices


def _pick(park_id=None):
    st.session_state["p_profile"] = park_id or st.session_state["w_profile"]


st.selectbox(ctx.t("profile.pick"), choices, key="w_profile", on_change=_pick,
             format_func=ctx.formatters["park"])
park = parks.loc[pid]
redirected = st.session_state.pop("profile_redirected", None)
if redirected and redirected[1] == pid:
    st.info(ctx.t("profile.redirected", old=redirected[0], park=park["name"]), icon="↪️")
st.markdown(f"### {html.escape(park['name'])}")
st.write(" · ".join(x for x in [lab.park_type(park["park_type"]), park["level"], lab.province(park["province"]),
                                park["city"], lab.region(park["region"])] if x))
if park["aliases"]:
    st.caption(park["aliases"].replace("|", "、"))

mentions = full.facts[full.facts["park_id"] == pid]
facts = dataset.one_per_figure(mentions, full.figures)     # each figure once, with how many articles report it
measures = full.measures[full.measures["park_id"] == pid]
left, right = st.columns(2)
with left:
    st.subheader(f"{ctx.t('profile.facts')} ({len(facts)})")
    if facts.empty:
        st.write(ctx.t("profile.no_facts"))
    for _, f in facts.head(SHOWN_FIGURES).iterrows():
        as_of = f"{f['as_of']} ({lab.t('date_basis.published')})" if f["date_basis"] == "published" else f["as_of"]
        parts = [lab.metric(f["metric"]), ui.fact_value(f, ctx.labels.lang), lab.basis(f["basis"]) if f["basis"] not in ("rate", "count") else "",
                 f["scope"], as_of, lab.role(f["role"]) if f["role"] in ("part", "total", "cumulative") else "",
                 ctx.t("reported_by", n=f["reports"]) if f["reports"] > 1 else "",
                 lab.status(f["status"]) if f["status"] != "extracted" else ""]
        note = html.escape(" · ".join(p for p in parts if p))
        ui.evidence(f["evidence"], [f["raw"]], note=f"<span class='tag'><b>{note}</b></span><br>")
    if len(facts) > SHOWN_FIGURES:
        st.caption(ctx.t("profile.more", n=len(facts) - SHOWN_FIGURES))
    if len(facts):
        ui.download_buttons(ctx, "facts", mentions, f"profile-{pid}-facts")
with right:
    st.subheader(f"{ctx.t('profile.measures')} ({measures['measure_type'].nunique()})")
    if measures.empty:
        st.write(ctx.t("profile.no_measures"))
    for code, group in measures.groupby("measure_type", sort=False):
        st.markdown(f"**{html.escape(lab.measure(code))}** · {html.escape(lab.family(full.codebook['measure_types'][code]['family']))}")
        for _, m in group.head(SHOWN_SENTENCES).iterrows():
            ui.evidence(m["evidence"], m["cue"].split("|"), note="" if m["status"] == "extracted" else
                        f"<span class='tag'>{html.escape(lab.status(m['status']))}</span>")
        if len(group) > SHOWN_SENTENCES:
            st.caption(ctx.t("profile.more", n=len(group) - SHOWN_SENTENCES))
    if len(measures):
        ui.download_buttons(ctx, "measures", measures, f"profile-{pid}-measures")

# rename, merge, set type/level/place: correction records, for editors only (the password, if one is set); drawn
# only when asked for, so reading the profile costs nothing more
if st.toggle(ctx.t("parkedit.title"), key="parkedit-open-profile") and ui.can_edit(ctx):
    ui.author_input(ctx)
    st.caption(ctx.t("parkedit.intro"))
    ui.park_actions(ctx, {**park.to_dict(), "park_id": pid}, "profile")

conflicting = dataset.conflicts(mentions)
if len(conflicting):
    st.subheader(ctx.t("conflicts.title", n=conflicting["conflict"].nunique()))
    ui.conflict_groups(ctx, conflicting)

st.subheader(ctx.t("profile.related"))
related = dataset.cooccurring_parks(full, pid)
if related.empty:
    st.write(ctx.t("profile.none_related"))
titles = dict(zip(full.documents["doc_id"], full.documents["title"]))
articles = related["doc_id"].drop_duplicates()
if len(articles) > SHOWN_ARTICLES:
    st.caption(ctx.t("profile.more_articles", shown=SHOWN_ARTICLES, n=len(articles)))
    related = related[related["doc_id"].isin(set(articles.head(SHOWN_ARTICLES)))]
for doc_id, group in related.groupby("doc_id", sort=True):
    st.markdown(f"*{html.escape(titles.get(doc_id, doc_id))}*")
    cols = st.columns(4)
    for i, (other, name) in enumerate(group[["park_id", "park_name"]].drop_duplicates().itertuples(index=False)):
        cols[i % 4].button(f"{ctx.t('profile.open')} {lab.park(name, parks.at[other, 'park_type'])}",
                           key=f"rel-{doc_id}-{other}", on_click=_pick, args=(other,))
