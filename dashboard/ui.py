"""Streamlit parts every page shares: cached data, the sidebar filters kept in the URL, headers,
the empty-selection message, evidence blocks and download buttons.

A page's own view (the park shown, a chart's scope, the search query) is in the URL too: `url_state`.

Filters and the URL: a real browser drops the query string when the sidebar switches page, so the URL
cannot be the only store. Each filter lives in its own session key (`f_region` ...), seeded from the URL
once per session, copied into the widget's key (`w_region`) before the widget is drawn, written back by
the widget's callback, and `st.query_params` is rewritten from it on every run of every page.
"""
from __future__ import annotations

import contextlib
import html
import logging
import os
import secrets
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from filelock import Timeout

from loaders.correct import correction_store
from loaders.access import THROTTLE, hash_problem, secrets_problem
from loaders.correct.corrections import CorrectionError
from loaders.publish.search import SearchIndex

from . import dataset, downloads, freshness, review
from .dataset import FILTER_KEYS, Dataset, Filters
from .i18n import LANGS, Labels
from .text import highlight

ROOT = Path(__file__).resolve().parent.parent
SEEDED = "_filters_seeded"
IGNORED = "_filters_ignored"
CONTEXT = "_context"
# query parameters each page owns (its own view: the park shown, a chart's scope ...), kept by sync_url on that page
PAGE_PARAMS = {"reader": ("read", "q"), "profile": ("profile",), "reopening": ("scope", "view"),
               "measures": ("dim", "row", "col"), "search": ("q",)}
URL_SEEN = "_url_seen"
WARNINGS = "_data_warnings"      # lines a change of the data reported (set-aside input), shown once by header()
URL_DROPPED = "_url_dropped"      # page parameters a link gave that the data does not have
TABLE_ROWS = 1000  # rows drawn in a table on screen; downloads always hold all


def data_dir() -> Path:
    """data/ of the checkout, or PARKS_DATA_DIR (the benchmark points it at a synthetic dataset)."""
    return Path(os.environ.get("PARKS_DATA_DIR") or ROOT / "data")


@st.cache_resource(max_entries=2, show_spinner=False)
def _load(path: str, stamp: tuple) -> tuple[Dataset, dict]:
    # keyed by the files' mtimes and sizes: a rebuild of data/ is read on the next rerun.
    # cache_resource hands out the same frames without copying; nothing downstream mutates them.
    ds = dataset.load(Path(path))
    regions = list(ds.codebook.get("regions", {}))
    return ds, dataset.options(ds, regions)


def load() -> tuple[Dataset, dict]:
    """The cached dataset. A build swaps data/ for a new folder with two renames; a read that falls in
    between is tried again, and a missing dataset stops the page with one line saying what to run."""
    path = data_dir()
    for _ in range(20):
        try:
            return _load(str(path), dataset.fingerprint(path))
        except (FileNotFoundError, pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as e:
            problem = e                   # (a damaged table is said in one line too, with what to run)
            time.sleep(0.05)
    st.error(f"数据集不可用 / dataset not available: {path} ({type(problem).__name__}: {problem}). "
             "运行 / run: python -m loaders build")
    st.stop()


@dataclass
class Context:
    full: Dataset
    view: Dataset
    filters: Filters
    labels: Labels
    options: dict

    def t(self, key: str, **fmt) -> str:
        return self.labels.t(key, **fmt)

    def filter_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.filters.active().items()}

    @cached_property
    def formatters(self) -> dict:
        """How each filter's values are shown: {filter key: value -> label}."""
        lab = self.labels
        titles = dict(zip(self.full.documents["doc_id"], self.full.documents["title"]))
        parks = self.full.parks
        names = dict(zip(parks["park_id"], [lab.park(n, t) for n, t in zip(parks["name"], parks["park_type"])]))
        return {
            "region": lab.region, "province": lab.province, "park_type": lab.park_type, "measure": lab.measure,
            "doc": lambda d: f"{d[:3] if d[:3].isdigit() else d} {titles.get(d, d)[:28]}",   # imported ids: whole (unique)
            "park": lambda p: names.get(p, p),
        }


# ---------------------------------------------------------------- filters and the URL

def _seed_from_url(options: dict, redirects: dict | None = None) -> None:
    """First run of a session: the URL's filters become the session's (unknown values are reported); a merged
    park's id in `park` is taken as the park it was merged into (park_redirects.csv)."""
    if st.session_state.get(SEEDED):
        return
    ignored = []
    for key in FILTER_KEYS:
        wanted = st.query_params.get_all(key)
        if key == "park" and redirects:
            wanted = [redirects.get(v, v) for v in wanted]
        st.session_state[f"f_{key}"] = [v for v in dict.fromkeys(wanted) if v in options[key]]
        ignored += [f"{key}={v}" for v in wanted if v not in options[key]]
    lang = st.query_params.get("lang", "zh")
    st.session_state["f_lang"] = lang if lang in LANGS else "zh"
    st.session_state[IGNORED] = ignored
    st.session_state[SEEDED] = True


def _store(key: str) -> None:
    st.session_state[f"f_{key}"] = st.session_state[f"w_{key}"]


def _reset() -> None:
    for key in FILTER_KEYS:
        st.session_state[f"f_{key}"] = []
    st.session_state[IGNORED] = []


log = logging.getLogger("parks.dashboard")


@contextlib.contextmanager
def friendly_errors():
    """An unexpected error shows visitors a short message with what to do and a reference; the traceback,
    with code and server paths, goes to the server log under that reference. Streamlit's own control flow
    (st.rerun, st.stop) derives from BaseException and passes through."""
    try:
        yield
    except Exception:
        ref = secrets.token_hex(4)
        log.exception("unexpected error, reference %s", ref)
        lang = st.session_state.get("f_lang") or st.query_params.get("lang", "zh")
        st.error(Labels(lang, {}).t("error.unexpected", ref=ref))


def setup() -> Context:
    """Run by app.py before the page: load, read the filters, select the rows. Pages get it by `context()`."""
    full, options = load()
    _seed_from_url(options, full.redirects)
    filters = Filters(**{k: tuple(st.session_state[f"f_{k}"]) for k in FILTER_KEYS})
    labels = Labels(st.session_state["f_lang"], full.codebook)
    waiting = freshness.unbuilt(data_dir(), full.documents["doc_id"])
    if waiting:                       # imported, not yet in the tables: a rebuild is running, or failed
        st.info(labels.t("data.unbuilt", n=waiting), icon="⏳")
    ctx = Context(full=full, view=dataset.apply(full, filters), filters=filters, labels=labels, options=options)
    st.session_state[CONTEXT] = ctx
    return ctx


def context() -> Context:
    """The Context app.py prepared for this run.

    Because a pages/ folder exists, Streamlit runs a page script on its own, without app.py (its old
    multipage mode), until app.py has called st.navigation once in the server process: e.g. a copied
    link to /reopening opened right after `make run`. Then switch that mode off and rerun; the page is
    kept, since both modes name a page by its url path."""
    from streamlit.runtime.pages_manager import PagesManager
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state[CONTEXT]


def sidebar(ctx: Context) -> None:
    """The shared filters; each widget's state comes from its `f_` key, so it survives page switches."""
    sb = st.sidebar
    sb.header(ctx.t("filter.header"))
    fmt = ctx.formatters
    for key in FILTER_KEYS:
        st.session_state[f"w_{key}"] = list(st.session_state[f"f_{key}"])
        sb.multiselect(ctx.t(f"filter.{key}"), ctx.options[key], key=f"w_{key}", format_func=fmt[key],
                       on_change=_store, args=(key,), placeholder=ctx.t("filter.all"))
    sb.button(ctx.t("filter.reset"), on_click=_reset, key="reset", width="stretch")
    st.session_state["w_lang"] = st.session_state["f_lang"]
    sb.radio(ctx.t("filter.lang"), LANGS, key="w_lang", horizontal=True, on_change=_store, args=("lang",),
             format_func={"zh": "中文", "en": "English"}.get)
    if st.session_state.get(IGNORED):
        sb.warning(ctx.t("filter.ignored", values=", ".join(st.session_state[IGNORED])))


def sync_url(page: str) -> None:
    """Rewrite the query string from the session's filters (repeat a key for several values); keep the
    parameters `page` owns (PAGE_PARAMS, written by the page itself) and drop other pages' ones."""
    wanted = {k: list(st.session_state[f"f_{k}"]) for k in FILTER_KEYS if st.session_state[f"f_{k}"]}
    if st.session_state["f_lang"] != "zh":
        wanted["lang"] = [st.session_state["f_lang"]]
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted.update({k: v for k, v in current.items() if k in PAGE_PARAMS.get(page, ())})
    if current != wanted:
        st.query_params.from_dict(wanted)


def url_state(param: str, valid: list[str] | None, default, multi: bool = False):
    """A page's own view state (the park shown, a chart's scope, the query ...), kept in the session and the URL.

    A value the URL brings that this session has not seen yet (a copied link opened in a new browser) wins;
    otherwise the session's value stands (a sidebar page switch drops the query string). Values not in
    `valid` are dropped (`valid=None`: free text, such as a search query) and the page shows what it shows
    without them, with a warning, as the sidebar warns about unknown filter values; the warning stays while the
    page shows what it fell back to. Returns the value (a list when `multi`) and leaves it in the widget key
    `w_{param}`; the widget's on_change is `keep_url_state(param)`."""
    seen = st.session_state.setdefault(URL_SEEN, {})
    dropped = st.session_state.setdefault(URL_DROPPED, {})     # param -> [values dropped, the value shown instead]
    ok = (lambda v: isinstance(v, str)) if valid is None else (lambda v: v in valid)
    from_url = [v for v in st.query_params.get_all(param) if ok(v)] if multi else (
        st.query_params.get(param) if ok(st.query_params.get(param)) else None)
    raw = tuple(st.query_params.get_all(param))
    if raw and raw != seen.get(param):
        if from_url not in (None, []):
            st.session_state[f"p_{param}"] = from_url
        bad = [v for v in (raw if multi else raw[-1:]) if not ok(v)]
        dropped[param] = [bad, None] if bad else None
    seen[param] = raw
    value = st.session_state.get(f"p_{param}", default)
    if multi:
        value = [v for v in value if ok(v)]
    elif not ok(value):
        value = default
    st.session_state[f"p_{param}"] = value
    st.session_state[f"w_{param}"] = list(value) if multi else value
    write_url_state(param, value, default)
    note = dropped.get(param)
    if note and note[1] is None:
        note[1] = value
    if note and note[1] == value:
        ctx = st.session_state[CONTEXT]
        st.warning(ctx.t("url.ignored", values=", ".join(f"{param}={v}" for v in note[0])))
    elif note:                  # the user has picked another view since: the warning is done
        dropped[param] = None
    return value


def keep_url_state(param: str) -> None:
    """on_change of a widget drawn with `url_state`: the widget's value becomes the session's."""
    st.session_state[f"p_{param}"] = st.session_state[f"w_{param}"]


def write_url_state(param: str, value, default) -> None:
    """Put the page's value into the URL (a default value leaves the URL clean)."""
    values = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])] if value != default else []
    if st.query_params.get_all(param) != values:
        if values:
            st.query_params[param] = values
        else:
            del st.query_params[param]
    st.session_state.setdefault(URL_SEEN, {})[param] = tuple(values)


# ---------------------------------------------------------------- page parts

def header(ctx: Context, page: str) -> None:
    st.title(ctx.t(f"page.{page}"))
    show_warnings()
    active = ctx.filter_dict()
    fmt = ctx.formatters
    text = "；".join(f"{ctx.t('filter.' + k)}: {', '.join(fmt[k](v) for v in vs)}" for k, vs in active.items())
    st.caption(ctx.t("filter.summary", text=text or ctx.t("filter.none")))


def require_parks(ctx: Context) -> None:
    """Stop the page with the one clear message when the filters select nothing."""
    if ctx.view.parks.empty:
        st.info(ctx.t("empty"), icon="🔍")
        st.stop()


def download_buttons(ctx: Context, name: str, frame: pd.DataFrame, what: str,
                     filters: dict[str, list[str]] | None = None) -> None:
    """CSV, XLSX and JSON of `frame` (a table called `name`); bytes are made only when clicked.
    `filters` (default: the page's) go into the file names and the XLSX filters sheet; {} means full."""
    filters = ctx.filter_dict() if filters is None else filters
    table = downloads.export_frame(name, frame)
    makers = {
        "csv": (lambda: downloads.to_csv(table), "text/csv"),
        "xlsx": (lambda: downloads.to_xlsx({name: table}, ctx.full.codebook, filters),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "json": (lambda: downloads.to_json({name: table}, filters), "application/json"),
    }
    row = st.container(horizontal=True, key=f"dl-{what}")
    for ext, (make, mime) in makers.items():
        row.download_button(f"⬇ {ctx.t('download.' + ext)}", data=make, mime=mime, on_click="ignore",
                               file_name=downloads.file_name(what, filters, ext), key=f"dl-{what}-{ext}")


def show_table(ctx: Context, frame: pd.DataFrame, columns: list[str], renames: dict | None = None,
               translate: bool = True) -> None:
    """A readable table: chosen columns, headers in the user's language (or the dataset's own column
    names, as in the downloads, with `translate=False`), at most TABLE_ROWS rows drawn."""
    shown = frame[columns].head(TABLE_ROWS).rename(columns=renames or {})
    if translate:
        shown = shown.rename(columns={c: ctx.t(f"col.{c}") for c in shown.columns if ctx.labels.has(f"col.{c}")})
    st.dataframe(shown, hide_index=True, width="stretch")
    if len(frame) > TABLE_ROWS:
        st.caption(ctx.t("data.shown_rows", shown=TABLE_ROWS, total=len(frame)))


def hidden_by_filters(ctx: Context, query: str, shown: int) -> int:
    """Under a search that found `shown` articles in the selection: how many more holding `query` the sidebar's
    filters hide (with none shown, an info box; else a line), and a link to the same search without filters
    (the query and language kept). Returns that number (0: nothing said)."""
    hidden = search_index(ctx).count(query) - shown if ctx.filters.active() else 0
    if hidden <= 0:
        return 0
    clear = (f"<a href='{link('search', keep_filters=False, q=query)}' target='_self' data-testid='search-unfiltered'>"
             f"{html.escape(ctx.t('search.clear'))}</a>")
    if shown:
        st.markdown(f"<span class='tag'>{html.escape(ctx.t('search.hidden_more', n=hidden, q=query))}</span>{clear}",
                    unsafe_allow_html=True)
    else:
        st.info(ctx.t("search.hidden", n=hidden, q=query), icon="🔍")
        st.markdown(clear, unsafe_allow_html=True)
    return hidden


def evidence(text: str, terms: list[str], note: str = "") -> None:
    """One sentence from an article, escaped, its cue words marked; `note` is our own (already safe) text."""
    st.markdown(f"<div class='evidence'>{note}{highlight(text, terms)}</div>", unsafe_allow_html=True)


def fact_value(f, lang: str = "zh") -> str:
    """A fact's value as people read it: amounts in 元/万元/亿元 by size (bn / m yuan in English), else value and
    unit; ✎ when edited."""
    if f["unit"] == "元" and f["value_num"] == f["value_num"]:
        value = dataset.money_text(f["value_num"], lang=lang)
    else:
        value = f"{f['value']} {f['unit']}"
    return f"{value} {review.MARK}" if f["status"] in review.EDITED else value


def conflict_groups(ctx: Context, rows: pd.DataFrame, limit: int = 30) -> None:
    """Conflicting reports (dataset.conflicts rows), each group's figures side by side with their sentences
    and a link to each article in the reader."""
    lab = ctx.labels
    titles = dict(zip(ctx.full.documents["doc_id"], ctx.full.documents["title"]))
    groups = list(rows.groupby("conflict", sort=True))
    for number, group in groups[:limit]:
        first = group.iloc[0]
        head = " · ".join(x for x in [lab.park(first["park_name"], first["park_type"]), lab.metric(first["metric"]),
                                      first["scope"], first["as_of"]] if x)
        st.markdown(f"**{number}. {html.escape(head)}**")
        for col, (_, f) in zip(st.columns(min(len(group), 4)), group.head(4).iterrows()):
            with col:
                basis = lab.t(f"date_basis.{f['date_basis']}")
                link = reader_link(f["doc_id"])
                st.markdown(f"<span class='tag'><b>{html.escape(fact_value(f, ctx.labels.lang))}</b> · {html.escape(basis)}</span>"
                            f"<br><a href='{link}' target='_self'>{html.escape(titles.get(f['doc_id'], f['doc_id'])[:30])}</a>",
                            unsafe_allow_html=True)
                evidence(f["evidence"], [f["raw"]])
    if len(groups) > limit:
        st.caption(ctx.t("conflicts.more", shown=limit, total=len(groups)))


def mirror_note(ctx: Context, doc_id: str) -> None:
    """In the reader: whether the article is a re-posted copy of another (and of which), or has copies."""
    docs = ctx.full.documents
    if "duplicate_of" not in docs.columns:
        return
    # two vectorised lookups, not dicts of all 20,000 articles on every rerun
    original = docs.loc[docs["doc_id"] == doc_id, "duplicate_of"].iloc[-1:].tolist()
    copies = docs.loc[docs["duplicate_of"] == doc_id, "doc_id"].tolist() if doc_id else []
    named = docs[docs["doc_id"].isin(original + copies)]
    titles = dict(zip(named["doc_id"], named["title"]))
    a = lambda d: f"<a href='{reader_link(d)}' target='_self'>{html.escape(titles.get(d, d)[:30] or d)}</a>"
    if original and original[0]:
        st.markdown(f"<div class='tag'>{html.escape(ctx.t('reader.copy_of'))} {a(original[0])}</div>",
                    unsafe_allow_html=True)
    if copies:
        st.markdown(f"<div class='tag'>{html.escape(ctx.t('reader.copies', n=len(copies)))} "
                    + " · ".join(a(d) for d in copies) + "</div>", unsafe_allow_html=True)


def reported_by(ctx: Context, totals: pd.DataFrame, limit: int = 40) -> None:
    """Under a chart of park totals: each park's number, how it was reached and the articles that report it,
    each a link to the reader."""
    lab = ctx.labels
    titles = dict(zip(ctx.full.documents["doc_id"], ctx.full.documents["title"]))
    lines = []
    for _, r in totals.head(limit).iterrows():
        docs = [d for d in str(r["doc_ids"]).split("|") if d]
        links = " · ".join(f"<a href='{reader_link(d)}' target='_self'>{html.escape(titles.get(d, d)[:24] or d)}</a>"
                           for d in docs[:8]) + (" …" if len(docs) > 8 else "")
        lines.append(f"<li><b>{html.escape(r['park_name'])}</b> {dataset.money_text(r['amount'], lang=ctx.labels.lang)} · "
                     f"{html.escape(lab.how(r['how']))} · {html.escape(ctx.t('reported_by', n=len(docs)))}: {links}</li>")
    with st.expander(ctx.t("reported_by_title")):
        st.markdown("<ul>" + "".join(lines) + "</ul>", unsafe_allow_html=True)


def link(page: str, keep_filters: bool = True, **params: str) -> str:
    """A relative link to another page's view, with this session's filters (unless `keep_filters` is False: a
    link opens a new session, so its filters are the link's) and language, escaped for an href."""
    ctx = st.session_state[CONTEXT]        # read once: a search page draws a thousand links
    carried = [(k, v) for k, vs in ctx.filters.active().items() for v in vs] if keep_filters else []
    if ctx.labels.lang != "zh":
        carried.append(("lang", ctx.labels.lang))
    return html.escape(f"{page}?" + urlencode([(k, v) for k, v in params.items() if v] + carried), quote=True)


def reader_link(doc_id: str, query: str = "") -> str:
    """The reader showing `doc_id`, with the search query's hits listed when there is one."""
    return link("reader", read=doc_id, q=query)


def profile_link(park_id: str) -> str:
    return link("profile", profile=park_id)


# ---------------------------------------------------------------- who may change the data

class Unusable(Exception):
    """Configuration that exists but cannot be used (a damaged secrets file or hash); the message is one line."""


def _secret(name: str) -> str:
    """A value of Streamlit secrets, "" when none is set; Unusable when a secrets file is there but unreadable."""
    try:
        return str(st.secrets.get(name, "") or "")
    except KeyError:
        return ""
    except (OSError, UnicodeDecodeError):         # no secrets file (fine), or one that cannot be read
        problems = [p for p in map(secrets_problem, st.get_option("secrets.files")) if p]
        if problems:
            raise Unusable(problems[0]) from None
        return ""


def password_hash() -> str:
    """The editor password's hash (loaders/access.py), from the environment or Streamlit secrets; "" = none.
    Unusable when it is set but damaged (or the secrets file is): editing stays locked, never open."""
    stored = os.environ.get("PARKS_EDITOR_PASSWORD_HASH", "").strip()
    source = "PARKS_EDITOR_PASSWORD_HASH"
    if not stored:
        stored, source = _secret("editor_password_hash").strip(), "editor_password_hash (secrets.toml)"
    problem = hash_problem(stored) if stored else ""
    if problem:
        raise Unusable(f"{source}: {problem}")
    return stored


def can_edit(ctx: Context) -> bool:
    """Whether this session may import, remove and correct; draws the password form when it must ask.

    With a password configured it is asked once per session, checked in constant time, and repeated
    failures make every further attempt wait (for all sessions). Without one, only a browser on this
    machine may change data (`make run` binds 127.0.0.1; Streamlit reports no address for localhost)."""
    try:
        stored = password_hash()
    except Unusable as e:
        st.warning(ctx.t("edit.unusable", reason=str(e)), icon="🔒")
        return False
    if not stored:
        ip = st.context.ip_address        # None for a browser on this machine (and in AppTest, no client)
        if not isinstance(ip, str) or ip in ("127.0.0.1", "::1"):
            return True
        st.warning(ctx.t("edit.local_only"), icon="🔒")
        return False
    if st.session_state.get("editor_ok"):
        return True
    with st.container(border=True, key="editor_login"):
        st.caption(ctx.t("edit.ask"))
        st.text_input(ctx.t("edit.password"), type="password", key="editor_password")
        st.button(ctx.t("edit.unlock"), key="editor_unlock", on_click=_unlock, args=(stored,))
    if st.session_state.pop("editor_failed", False):
        st.error(ctx.t("edit.wrong"))
    return False


def _unlock(stored: str) -> None:
    # a callback: the typed password is checked (throttled) and then forgotten
    password = st.session_state.get("editor_password", "")
    st.session_state["editor_password"] = ""
    if THROTTLE.attempt(password, stored):
        st.session_state["editor_ok"] = True
    else:
        st.session_state["editor_failed"] = True


def _configured_author() -> str:
    try:
        return os.environ.get("PARKS_AUTHOR", "").strip() or _secret("author").strip()
    except Unusable:                  # said where the password is asked; the author is then typed
        return ""


def author() -> str:
    """Who makes this session's corrections: configured (PARKS_AUTHOR, secrets `author`) or typed once."""
    return _configured_author() or st.session_state.get("f_author", "")


def author_input(ctx: Context) -> None:
    if _configured_author():
        return
    st.session_state["w_author"] = st.session_state.get("f_author", "")
    st.text_input(ctx.t("edit.author"), key="w_author", max_chars=80, placeholder=ctx.t("edit.author_hint"),
                  on_change=lambda: st.session_state.__setitem__("f_author", st.session_state["w_author"].strip()))


def _change_corrections(change) -> str:
    """Run change(warn) on the store; "" when done, else the one-line reason shown to the user. Lines of the
    store set aside on the way are kept for `show_warnings`. Where no build has run yet (a fresh checkout),
    the dataset is built once so the change shows."""
    from .imports import rebuild
    warnings = st.session_state.setdefault(WARNINGS, [])
    try:
        change(warnings.append)
        if not correction_store.built(data_dir()):
            ok, lines = rebuild(data_dir(), ROOT / "seeds", warnings.append)
            if not ok:
                return " / ".join(lines[-2:])
    except CorrectionError as e:
        return correction_text(e)
    except Timeout:
        return "busy"
    except OSError as e:
        return f"{e.filename or data_dir()}: {e.strerror or e}"
    return ""


def correction_text(e: CorrectionError) -> str:
    """The reason a correction was refused, in the user's language when the form can meet it (its `code`),
    else as the loaders say it (English, as on the command line)."""
    labels = Labels(st.session_state.get("f_lang") or st.query_params.get("lang", "zh"), {})
    if not e.code or not labels.has(f"correction.{e.code}"):
        return str(e)
    params = dict(e.params)
    if "what" in params and labels.has(f"correction.field.{params['what']}"):
        params["what"] = labels.t(f"correction.field.{params['what']}")
    return labels.t(f"correction.{e.code}", **params)


def save_corrections(records: list[dict], rebuild: bool = False) -> str:
    """Store the records and republish the tables (loaders/correct/correction_store.py). `rebuild`: build instead of
    republishing (a `set_park` on a document: the article is extracted again for the park it names; only that
    article is processed, the others come from the cache)."""
    def change(warn) -> None:
        correction_store.record(data_dir(), records, echo=lambda line: None, publish_now=not rebuild, warn=warn)
        if rebuild:
            from .imports import rebuild as build_again
            ok, lines = build_again(data_dir(), ROOT / "seeds", warn)
            if not ok:
                raise CorrectionError(" / ".join(lines[-2:]))
    return _change_corrections(change)


def withdraw_corrections(ids: list[str]) -> str:
    return _change_corrections(lambda warn: correction_store.withdraw(data_dir(), ids, echo=lambda line: None,
                                                                      warn=warn))


def show_warnings() -> None:
    """What a change of the data had to set aside (a line of the correction store that could not be read …):
    one short warning each, once."""
    for line in st.session_state.pop(WARNINGS, []):
        st.warning(line, icon="⚠️")


# ---------------------------------------------------------------- park actions (editors)

@st.cache_data(max_entries=4, show_spinner=False)
def _document_parks(path: str, stamp: int) -> dict[str, str]:
    from loaders.correct.corrections import document_parks as named, parse
    # only the set_park lines are checked (bytes: a line that is not UTF-8 is skipped, as every reader does)
    lines = [line for line in Path(path).read_bytes().split(b"\n") if b'"set_park"' in line]
    return named(parse(b"\n".join(lines))[0])


def document_parks() -> dict[str, str]:
    """{doc_id: park name} an editor named for an article (set_park on a document), from the correction store
    (read again when it changes)."""
    from loaders.correct.corrections import store_path
    path = store_path(data_dir())
    try:
        return _document_parks(str(path), path.stat().st_mtime_ns)
    except OSError:
        return {}


def _message(key: str, kind: str, text: str) -> None:
    st.session_state[f"msg-{key}"] = (kind, text)


def show_message(key: str) -> None:
    """The outcome of the last park action saved under `key` (set by its callback), shown once."""
    message = st.session_state.pop(f"msg-{key}", None)
    if message:
        (st.error if message[0] == "error" else st.success)(message[1])


def _outcome(ctx: Context, key: str, problem: str, done: str) -> bool:
    if problem:
        _message(key, "error", ctx.t("import.busy") if problem == "busy" else ctx.t("review.refused", reason=problem))
        return False
    _message(key, "ok", done)
    return True


def _province_options(ctx: Context) -> list[str]:
    return ["", *[p for provinces in ctx.full.codebook.get("regions", {}).values() for p in provinces]]


def _name_document_park(ctx: Context, doc_id: str, k: str, key: str) -> None:
    # a callback: the record is stored and the dataset built again before the page is drawn
    got = lambda name: (st.session_state.get(f"{k}-{name}") or "").strip()
    if not got("park"):
        _message(key, "error", ctx.t("docpark.empty"))
        return
    from .review import document_park_record
    record = document_park_record(doc_id, got("park"), {f: got(f) for f in ("province", "city", "park_type")},
                                  author(), got("note"))
    if _outcome(ctx, key, save_corrections([record], rebuild=True), ctx.t("docpark.saved", park=got("park"))):
        for name in ("park", "city", "note"):
            st.session_state[f"{k}-{name}"] = ""


def document_park_form(ctx: Context, doc_id: str, key: str, current: str = "") -> None:
    """For editors: name the park an article is about (a `set_park` correction on the document, kept in the
    correction store so it survives rebuilds); the article is built again and its figures and measures go to
    that park. A park's name or alias finds the park; a new name makes a park, placed by the province, city and
    type given (else by the places its name starts with)."""
    lab = ctx.labels
    k = f"docpark-{key}-{doc_id}"
    show_message(key)
    with st.container(border=True, key=f"docpark-{key}"):
        st.caption(ctx.t("docpark.current", park=current) if current else ctx.t("docpark.intro"))
        st.text_input(ctx.t("docpark.name"), key=f"{k}-park", max_chars=100, placeholder=ctx.t("docpark.placeholder"))
        c1, c2, c3 = st.columns(3)
        c1.selectbox(ctx.t("col.province"), _province_options(ctx), key=f"{k}-province",
                     format_func=lambda p: lab.province(p) if p else "—")
        c2.text_input(ctx.t("col.city"), key=f"{k}-city", max_chars=40)
        c3.selectbox(ctx.t("col.park_type"), ["", *ctx.full.codebook.get("park_types", [])], key=f"{k}-park_type",
                     format_func=lambda t: lab.park_type(t) if t else "—")
        st.text_input(ctx.t("review.note"), key=f"{k}-note")
        st.button(ctx.t("docpark.save"), type="primary", key=f"docpark-save-{key}", on_click=_name_document_park,
                  args=(ctx, doc_id, k, key))


PARK_FIELDS = ("park_type", "level", "province", "city")


def _park_action(ctx: Context, action: str, park: dict, k: str, key: str) -> None:
    # a callback: one park record (rename_park, merge_park, set_park) is stored and the tables republished
    from .review import park_record
    got = lambda name: st.session_state.get(f"{k}-{name}")
    note = (got("note") or "").strip()
    if action == "rename_park":
        name = (got("name") or "").strip()
        if not name or name == park["name"]:
            _message(key, "error", ctx.t("parkedit.no_name"))
            return
        values, done = {"name": name}, ctx.t("parkedit.renamed", old=park["name"], park=name)
    elif action == "merge_park":
        into = ctx.full.parks.loc[ctx.full.parks["park_id"] == got("into"), "name"]
        if into.empty:
            _message(key, "error", ctx.t("parkedit.no_into"))
            return
        values, done = {"into": into.iloc[0]}, ctx.t("parkedit.merged", old=park["name"], park=into.iloc[0])
    else:
        values = {f: (got(f) or "").strip() for f in PARK_FIELDS}
        values = {f: v for f, v in values.items() if v != park[f] and (v or f == "city")}
        if not values:
            _message(key, "error", ctx.t("review.unchanged"))
            return
        done = ctx.t("parkedit.set", park=park["name"])
    record = park_record(action, park["name"], values, author(), note)
    if _outcome(ctx, key, save_corrections([record]), done):
        st.session_state[f"{k}-name"] = ""
        st.session_state[f"{k}-note"] = ""
        if action == "merge_park":          # the profile goes on with the park that stays
            st.session_state["p_profile"] = got("into")
            if st.query_params.get("profile") == park["park_id"]:
                st.query_params["profile"] = got("into")


def park_actions(ctx: Context, park: dict, key: str) -> None:
    """For editors: rename the park, merge it into another, or set its type, level, province and city. Each is a
    correction record (rename_park, merge_park, set_park) kept in the correction store, so it survives rebuilds;
    a renamed park keeps its id and a merged one's id redirects to the park it went into (park_redirects.csv)."""
    lab = ctx.labels
    k = f"parkedit-{key}-{park['park_id']}"
    show_message(key)
    with st.container(border=True, key=f"parkedit-{key}"):
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        c1.text_input(ctx.t("parkedit.new_name"), key=f"{k}-name", max_chars=100, placeholder=park["name"])
        c2.button(ctx.t("parkedit.rename"), key=f"parkedit-rename-{key}", on_click=_park_action,
                  args=(ctx, "rename_park", park, k, key))
        others = [p for p in ctx.options["park"] if p != park["park_id"]]      # by name (dataset.options)
        if st.session_state.get(f"{k}-into") is not None and st.session_state[f"{k}-into"] not in others:
            st.session_state.pop(f"{k}-into", None)
        c3, c4 = st.columns([3, 1], vertical_alignment="bottom")
        c3.selectbox(ctx.t("parkedit.into"), others, key=f"{k}-into", format_func=ctx.formatters["park"], index=None,
                     placeholder=ctx.t("parkedit.into_hint"))
        c4.button(ctx.t("parkedit.merge"), key=f"parkedit-merge-{key}", on_click=_park_action,
                  args=(ctx, "merge_park", park, k, key))
        c5, c6, c7, c8 = st.columns(4)
        types, levels = list(ctx.full.codebook.get("park_types", [])), list(ctx.full.codebook.get("levels", []))
        provinces = _province_options(ctx)
        for column, field, options, label in ((c5, "park_type", types, lab.park_type), (c6, "level", levels, str),
                                              (c7, "province", provinces, lambda p: lab.province(p) if p else "—")):
            if st.session_state.get(f"{k}-{field}") not in options:
                st.session_state.pop(f"{k}-{field}", None)
            column.selectbox(ctx.t(f"col.{field}"), options, key=f"{k}-{field}", format_func=label,
                             index=options.index(park[field]) if park[field] in options else 0)
        c8.text_input(ctx.t("col.city"), value=park["city"], key=f"{k}-city", max_chars=40)
        st.text_input(ctx.t("review.note"), key=f"{k}-note")
        st.button(ctx.t("parkedit.save"), key=f"parkedit-set-{key}", on_click=_park_action,
                  args=(ctx, "set_park", park, k, key))


@st.cache_data(max_entries=256, show_spinner=False)
def _text(path: str, stamp: int) -> str:
    return Path(path).read_text(encoding="utf-8")


@st.cache_resource(max_entries=2, show_spinner=False)
def _search_index(path: str, stamp: tuple, doc_ids: tuple) -> SearchIndex:
    # keyed like the dataset (a rebuild makes a new index); the texts are read once per data version
    return SearchIndex.build({d: (Path(path) / "texts" / f"{d}.txt").read_text(encoding="utf-8")
                              for d in doc_ids if (Path(path) / "texts" / f"{d}.txt").exists()})


def search_index(ctx: Context) -> SearchIndex:
    """The full-text index of every document of the dataset (loaders/publish/search.py), cached per data version."""
    path = data_dir()
    return _search_index(str(path), dataset.fingerprint(path), tuple(ctx.full.documents["doc_id"]))


def doc_text(doc_id: str) -> str:
    """The normalized text a row's offsets point into ("" when the file is gone)."""
    path = data_dir() / "texts" / f"{doc_id}.txt"
    try:
        return _text(str(path), path.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError):        # gone, or damaged: the page says the text is missing
        return ""


CSS = """
<style>
.evidence {border-left: 3px solid #0072B2; padding: 0.2rem 0.6rem; margin: 0.2rem 0 0.5rem 0;
           background: #f7f9fc; line-height: 1.6;}
.evidence mark {background: #ffe08a; padding: 0 1px;}
.evidence .tag, .tag {color: #555; font-size: 0.85em; margin-right: 0.8em;}
.context {color: #666; font-size: 0.9em; padding: 0 0.6rem;}
.reader {line-height: 1.9;}
.reader mark {background: #ffe08a;}
.reader .measure {border-bottom: 2px solid #56B4E9;}
.reader sup.n {color: #999; font-size: 0.7em; margin: 0 2px;}
/* a phone (under 640 px): headline figures two to a row instead of one per screen line, smaller numbers,
   tables and charts the full width */
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-wrap: wrap !important; gap: 0.25rem 0.75rem !important;}
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.75rem) !important; width: calc(50% - 0.75rem) !important;
    min-width: calc(50% - 0.75rem) !important;}
  [data-testid="stMetricValue"] {font-size: 1.5rem !important;}
  [data-testid="stMainBlockContainer"] {padding-left: 0.75rem !important; padding-right: 0.75rem !important;}
}
</style>
"""


def style() -> None:
    st.markdown(CSS, unsafe_allow_html=True)
