"""The placeholder page reads data/ and shows its counts."""
from streamlit.testing.v1 import AppTest

from conftest import ROOT, read_csv


def test_app_shows_the_counts():
    at = AppTest.from_file(str(ROOT / "app.py")).run(timeout=30)
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["园区"] == str(len(read_csv(ROOT / "data" / "parks.csv")))
    assert shown["数据点"] == str(len(read_csv(ROOT / "data" / "facts.csv")))
