"""Parquet and Stata exports of every table: read back with pandas, the same rows, the schema's types, the
codebook's labels, and missing cells missing (never 0)."""
import io
import zipfile

import pandas as pd
import pytest

from conftest import ROOT, read_csv
from loaders.publish import exports, package
from loaders.cli import main

TABLES, CODEBOOK, _ = package.load(ROOT / "data")
# the seeds' build merges no park: one redirect of our own, so that every table has rows to read back
TABLES["park_redirects"] = TABLES["park_redirects"] or [
    {"old_id": "P0badc0de", "old_name": "某某工业园", "park_id": TABLES["parks"][0]["park_id"], "how": "merged",
     "correction_id": "c-test"}]


def read_back(body: bytes, fmt: str) -> dict[str, pd.DataFrame]:
    z = zipfile.ZipFile(io.BytesIO(body))
    assert "codebook.yaml" in z.namelist()
    reader = pd.read_parquet if fmt == "parquet" else pd.read_stata
    return {name: reader(io.BytesIO(z.read(name + exports.FORMATS[fmt]))) for name in package.TABLES}


@pytest.mark.parametrize("fmt", ["parquet", "stata"])
def test_every_table_reads_back_with_its_rows_and_types(fmt):
    frames = read_back(exports.export_zip(TABLES, CODEBOOK, fmt), fmt)
    for name, columns in package.TABLES.items():
        frame, rows = frames[name], TABLES[name]
        if name != "park_redirects":       # (package.load read them from data/)
            assert rows == read_csv(ROOT / "data" / f"{name}.csv"), name
        assert len(frame) == len(rows) > 0, name
        names = [exports.STATA_NAMES.get(c, c) for c in columns] if fmt == "stata" else columns
        assert list(frame.columns) == names, name
        for column in columns:
            kind = package.field(name, column, CODEBOOK)["type"]
            col = frame[exports.STATA_NAMES.get(column, column) if fmt == "stata" else column]
            if kind in ("integer", "number"):
                assert pd.api.types.is_numeric_dtype(col), (name, column, col.dtype)
                want = [float(r[column]) if r[column] != "" else None for r in rows]
                got = [None if pd.isna(v) else float(v) for v in col]
                assert got == want, (name, column)
            else:
                assert [("" if pd.isna(v) else v) for v in col] == [r[column] for r in rows], (name, column)
    facts = frames["facts"]
    assert pd.api.types.is_float_dtype(facts["value"])
    if fmt == "parquet":
        assert str(frames["measures"]["start"].dtype) == "Int64"


def test_a_missing_number_stays_missing_in_both():
    rows = [dict(TABLES["documents"][0], chars=""), TABLES["documents"][1]]
    for fmt in ("parquet", "stata"):
        frame = read_back(exports.export_zip({"documents": rows}, CODEBOOK, fmt), fmt)["documents"]
        assert pd.isna(frame["chars"][0]) and frame["chars"][1] == float(rows[1]["chars"])


def test_stata_is_version_118_with_the_codebooks_labels():
    body = zipfile.ZipFile(io.BytesIO(exports.export_zip(TABLES, CODEBOOK, "stata"))).read("facts.dta")
    assert body.startswith(b"<stata_dta><header><release>118</release>")
    with pd.io.stata.StataReader(io.BytesIO(body)) as reader:
        found = reader.variable_labels()
    text = package.column_text(CODEBOOK)["facts"]
    assert found["value"] == text["value"]["en"][:80]
    assert all(len(label) <= 80 for label in found.values())
    # Chinese text survives as UTF-8
    frame = pd.read_stata(io.BytesIO(body))
    assert frame["evidence"].str.contains("园区|开发区|高新区").any()


def test_a_long_sentence_goes_into_a_strl():
    rows = [dict(TABLES["measures"][0], evidence="复工" * 1500)]           # 9,000 bytes of UTF-8
    frame = read_back(exports.export_zip({"measures": rows}, CODEBOOK, "stata"), "stata")["measures"]
    assert frame["evidence"][0] == "复工" * 1500


def test_the_same_tables_give_the_same_bytes():
    for fmt in ("parquet", "stata"):
        assert exports.export_zip(TABLES, CODEBOOK, fmt) == exports.export_zip(TABLES, CODEBOOK, fmt)


@pytest.mark.parametrize("fmt", ["parquet", "stata"])
def test_the_command_line_writes_each_format(tmp_path, capsys, fmt):
    target = tmp_path / f"parks-{fmt}.zip"
    assert main(["package", str(target), "--format", fmt, "--data", str(ROOT / "data")]) == 0
    assert f"wrote {target}" in capsys.readouterr().out
    frames = read_back(target.read_bytes(), fmt)
    assert len(frames["parks"]) == len(read_csv(ROOT / "data" / "parks.csv"))


def test_the_data_page_offers_both_for_the_filtered_selection():
    from streamlit.testing.v1 import AppTest
    from dashboard import downloads
    from dashboard.dataset import DATA_TABLES
    import dashboard.ui as ui
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["region"] = "西部"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    keys = {b.key for b in at.get("download_button")}
    assert {"dl-all-parquet", "dl-all-stata"} <= keys
    view = at.session_state[ui.CONTEXT].view
    for fmt in ("parquet", "stata"):
        frames = read_back(downloads.to_export({n: view.table(n) for n in DATA_TABLES}, CODEBOOK, fmt), fmt)
        western = {p["park_id"] for p in read_csv(ROOT / "data" / "parks.csv") if p["region"] == "西部"}
        assert set(frames["parks"]["park_id"]) == western and 0 < len(western) < len(TABLES["parks"])
        assert set(frames["facts"]["park_id"]) <= western


def _dashboard_tables():
    from dashboard import dataset
    from dashboard.dataset import DATA_TABLES
    ds = dataset.load(ROOT / "data")
    west = dataset.apply(ds, dataset.Filters(region=("西部",)))      # a selection: its index is not 0..n-1
    return ds, {n: ds.table(n) for n in DATA_TABLES}, {n: west.table(n) for n in DATA_TABLES}


@pytest.mark.parametrize("fmt", ["parquet", "stata"])
def test_the_dashboards_frames_give_the_same_files_as_their_rows_as_text(fmt):
    """to_export types the frames column by column; the files are byte for byte those of the rows made text first."""
    from dashboard import downloads
    ds, full, west = _dashboard_tables()
    for tables in (full, west):
        as_text = {n: downloads.package_rows(n, tables[n]) for n in package.TABLES}
        assert downloads.to_export(tables, ds.codebook, fmt) == exports.export_zip(as_text, ds.codebook, fmt)


def test_typing_a_frame_matches_typing_its_rows_for_odd_cells():
    """Missing columns (an older build), NaN and None, floats in an integer column, numbers in a text column."""
    from dashboard import downloads
    ds, full, _ = _dashboard_tables()
    parks = full["parks"].head(4).copy()
    parks.loc[parks.index[0], "lat"] = float("nan")
    parks.loc[parks.index[1], "city"] = None
    parks = parks.drop(columns=["origin"])
    documents = full["documents"].head(3).assign(chars=[1500.0, float("nan"), 3.0], title=["a", 7, None])
    for name, frame in (("parks", parks), ("documents", documents), ("facts", full["facts"].iloc[0:0])):
        got = exports.typed_frame(name, frame, ds.codebook)
        want = exports.typed(name, downloads.package_rows(name, frame), ds.codebook)
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_parquet_columns_have_the_schemas_types():
    from dashboard import downloads
    ds, full, _ = _dashboard_tables()
    frames = read_back(downloads.to_export(full, ds.codebook, "parquet"), "parquet")
    want = {"integer": "Int64", "number": "Float64"}
    for name, columns in package.TABLES.items():
        assert len(frames[name]) == len(full[name]), name
        for column in columns:
            kind = package.field(name, column, ds.codebook)["type"]
            assert str(frames[name][column].dtype) == want.get(kind, "string"), (name, column)
