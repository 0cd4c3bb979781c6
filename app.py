"""Dashboard entry point: load the data, read the shared filters, draw the sidebar, run the chosen page.

`streamlit run app.py` (or `make run`). Pages live in pages/ and stay thin: they take the filtered
dataset from `ui.context()` and draw it.
"""
import streamlit as st

from dashboard import ui

PAGES = [  # (file, url path) — url paths are fixed so a copied link works in either language
    ("pages/overview.py", "overview"),  # the default page: served at /
    ("pages/reopening.py", "reopening"),
    ("pages/support.py", "support"),
    ("pages/investment.py", "investment"),
    ("pages/measures.py", "measures"),
    ("pages/profile.py", "profile"),
    ("pages/search.py", "search"),
    ("pages/data.py", "data"),
    ("pages/review.py", "review"),
    ("pages/reader.py", "reader"),
    ("pages/import.py", "import"),
]

st.set_page_config(page_title="园区复工复产数据集 · Parks reopening", layout="wide")
with ui.friendly_errors():      # visitors see what to do, never a traceback (the server log has it)
    ctx = ui.setup()
    pages = {slug: st.Page(path, title=ctx.t(f"page.{slug}"), url_path=slug, default=(slug == "overview"))
             for path, slug in PAGES}
    page = st.navigation(list(pages.values()))
    ui.sidebar(ctx)
    ui.sync_url(next(slug for slug, p in pages.items() if p is page))
    ui.style()
    page.run()
