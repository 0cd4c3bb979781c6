"""Minimal review (bench/dashboard_speed.py): what pages/review.py shows with its default settings (all
facts and measures, status "extracted", nothing skipped), drawn plainly.

Same shell and data shaping: review.progress, review.queue, the first row's text (ui.doc_text) and
review.context (the sentence before, the sentence, the sentence after), the next 20 rows, the orphaned
corrections (correction_store.orphans) and the selection's rejected rows. Drawn as: the progress as one
line, the row as one line and its three sentences as three plain st.markdown, the next rows as one table,
the orphans and the rejected rows as one table each. Left out: header, caption, the table/code/status
pickers, the confirm/reject/correct/skip buttons and the correction form, flags and status labels, span
marking, expanders, downloads."""
import pandas as pd
import streamlit as st

from dashboard import review, ui
from loaders.correct import correction_store

st.set_page_config(layout="wide")
ctx = ui.setup()
ui.sidebar(ctx)
ui.sync_url("review")
view = ctx.view

codes = list(ctx.full.codebook["metrics"]) + list(ctx.full.codebook["measure_types"])
reviewed, total = review.progress(view, codes)
st.write(f"{reviewed} / {total}")
rows = review.queue(view, codes, ["extracted"])
if len(rows):
    row = rows.iloc[0]
    text = ui.doc_text(row["doc_id"])
    before, bounds, after = review.context(text, row["start"], row["end"])
    st.write(f"{row['park_name']} · {row['code']} · {row['value']} {row['unit']} · {row['status']}")
    for sentence in (before, text[bounds[0]:bounds[1]], after):
        st.markdown(sentence)
    st.dataframe(rows.iloc[1:21][["park_name", "code", "value", "unit", "flags", "status", "evidence"]])
st.dataframe(pd.DataFrame(correction_store.orphans(ui.data_dir())))
if len(view.rejected):
    st.dataframe(view.rejected[["park_name", "metric", "measure_type", "value", "unit", "evidence", "author", "note",
                                "time", "correction_id"]].head(ui.TABLE_ROWS))
