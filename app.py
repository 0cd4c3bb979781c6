"""Placeholder dashboard: reads data/ and shows what the loaders built (the full dashboard is issue 3)."""
from pathlib import Path

import pandas as pd
import streamlit as st

DATA = Path(__file__).parent / "data"

st.set_page_config(page_title="园区复工数据集", layout="wide")
st.title("园区复工复产措施数据集")
tables = {name: pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False) for name in ("documents", "parks", "measures", "facts")}
labels = {"documents": "文章", "parks": "园区", "measures": "措施", "facts": "数据点"}
for col, (name, frame) in zip(st.columns(4), tables.items()):
    col.metric(labels[name], len(frame))
st.dataframe(tables["parks"], hide_index=True)
