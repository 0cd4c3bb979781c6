"""The Frictionless Data Package (loaders/publish/package.py): the command line's zip of the built data and the data
page's zip of a selection both validate with `frictionless`; types, descriptions and keys are declared; a package
whose facts name a missing park does not validate; bad input gets one line."""
import csv
import io
import json
import os
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli
from dashboard import dataset, downloads
from dashboard.dataset import Filters
from loaders import cli, resolve
from loaders.correct import corrections
from loaders.publish import package
from loaders.publish.write import TABLES as WRITTEN, codebook

frictionless = pytest.importorskip("frictionless")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """A copy of the repository's data/ (never written into)."""
    copy = tmp_path_factory.mktemp("package") / "data"
    shutil.copytree(ROOT / "data", copy, ignore=shutil.ignore_patterns("articles", "extracted"))
    return copy


@pytest.fixture(scope="module")
def cli_zip(data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zip") / "parks.zip"
    proc = run_cli("package", str(out), "--data", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith(f"wrote {out}: Data Package of ")
    return out


def validate(source) -> "frictionless.Report":
    report = frictionless.validate(str(source))
    if not report.valid:
        print(json.dumps(report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:30],
                         ensure_ascii=False, indent=1))
    return report


def members(path_or_bytes) -> dict[str, bytes]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(source) as z:
        return {name: z.read(name) for name in z.namelist()}


def header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


# ---------------------------------------------------------------- the command line

def test_cli_package_of_the_built_data_validates(cli_zip, data, tmp_path):
    assert validate(cli_zip).valid
    files = members(cli_zip)
    assert list(files) == ["datapackage.json", "documents.csv", "parks.csv", "facts.csv", "measures.csv",
                           "figures.csv", "park_totals.csv", "park_redirects.csv", "codebook.yaml"]
    # extracted, datapackage.json validates too (how R users read it: read_package("datapackage.json"))
    with zipfile.ZipFile(cli_zip) as z:
        z.extractall(tmp_path)
    assert validate(tmp_path / "datapackage.json").valid
    for name, columns in package.TABLES.items():
        if header(data / f"{name}.csv") == columns:      # a current build: the CSVs are data/'s, byte for byte
            assert files[f"{name}.csv"] == (data / f"{name}.csv").read_bytes(), name
        else:                                             # built before a column existed: same cells, that one empty
            with open(data / f"{name}.csv", encoding="utf-8", newline="") as f:
                old = list(csv.DictReader(f))
            new = list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8"), newline="")))
            assert list(new[0]) == columns and len(new) == len(old)
            assert all(n[c] == o.get(c, "") for n, o in zip(new, old) for c in columns)


def test_fresh_build_csvs_are_the_packaged_bytes_and_the_zip_is_deterministic(built, tmp_path):
    first, again = tmp_path / "a.zip", tmp_path / "b.zip"
    for out in (first, again):
        assert run_cli("package", str(out), "--data", str(built)).returncode == 0
    assert first.read_bytes() == again.read_bytes()
    files = members(first)
    for name in package.TABLES:
        assert files[f"{name}.csv"] == (built / f"{name}.csv").read_bytes()
    assert not files["facts.csv"].startswith(b"\xef\xbb\xbf") and b"\r\n" not in files["facts.csv"]
    assert validate(first).valid


def test_types_descriptions_and_keys(cli_zip):
    pkg = frictionless.Package(str(cli_zip))
    assert [r.name for r in pkg.resources] == ["documents", "parks", "facts", "measures", "figures", "park_totals",
                                               "park_redirects"]
    described = package.column_text(codebook())
    for resource in pkg.resources:
        for f in resource.schema.fields:
            en, zh = f.description.split(" / ")       # English, then Chinese
            assert en[0].isascii() and en == described[resource.name][f.name]["en"], (resource.name, f.name)
            assert CJK.search(zh) and zh == described[resource.name][f.name]["zh"], (resource.name, f.name)
    facts, parks, docs = pkg.get_resource("facts"), pkg.get_resource("parks"), pkg.get_resource("documents")
    types = {f.name: f.type for f in facts.schema.fields}
    assert (types["value"], types["start"], types["end"], types["date"], types["as_of"]) == \
           ("number", "integer", "integer", "string", "string")
    assert {f.name: f.type for f in docs.schema.fields}["published"] == "date"
    assert {f.name: f.type for f in parks.schema.fields}["lat"] == "number"
    enums = {f.name: f.constraints.get("enum") for f in facts.schema.fields}
    book = yaml.safe_load((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))
    assert enums["metric"] == list(book["metrics"]) and enums["status"] == list(book["statuses"])
    assert enums["date_basis"] == ["stated", "published", "none"] and enums["origin"] == ["seed", "imported"]
    assert {f.name: f.constraints.get("enum") for f in parks.schema.fields}["origin"] == \
           ["seed", "imported", "seed|imported"]
    # keys
    assert docs.schema.primary_key == ["doc_id"] and parks.schema.primary_key == ["park_id"]
    assert facts.schema.primary_key == ["doc_id", "start", "end", "park_id", "metric"]
    assert pkg.get_resource("measures").schema.primary_key == ["doc_id", "start", "end", "park_id", "measure_type"]
    for name in ("facts", "measures"):
        refs = {(fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"], fk["reference"]["resource"])
                for fk in pkg.get_resource(name).schema.foreign_keys}
        assert refs == {("park_id", "parks"), ("doc_id", "documents")} | (
            {("figure_id", "figures")} if name == "facts" else set())
    assert pkg.get_resource("figures").schema.primary_key == ["figure_id"]
    assert pkg.get_resource("park_totals").schema.primary_key == ["total_id"]
    redirects = pkg.get_resource("park_redirects").schema
    assert redirects.primary_key == ["old_id"]
    assert [(fk["fields"], fk["reference"]["resource"]) for fk in redirects.foreign_keys] in (
        [("park_id", "parks")], [(["park_id"], "parks")])
    assert {f.name: f.constraints.get("enum") for f in redirects.fields}["how"] == ["merged", "renamed"]
    # the values load typed
    rows = facts.read_rows()
    assert rows and all(isinstance(r["start"], int) and isinstance(r["end"], int) for r in rows)
    assert all(isinstance(r["value"], (int, float, Decimal)) for r in rows)
    assert all(r["as_of"] is None or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", r["as_of"]) for r in rows)
    published = [r["published"] for r in docs.read_rows()]
    assert all(p is None or hasattr(p, "year") for p in published)


def test_pandas_reads_the_declared_types(cli_zip):
    pd = pytest.importorskip("pandas")
    files = members(cli_zip)
    meta = json.loads(files["datapackage.json"])
    facts = next(r for r in meta["resources"] if r["name"] == "facts")
    kinds = {"integer": "Int64", "number": "float64", "string": "string", "date": "string"}
    dtypes = {f["name"]: kinds[f["type"]] for f in facts["schema"]["fields"]}
    frame = pd.read_csv(io.BytesIO(files["facts.csv"]), dtype=dtypes, keep_default_na=False,
                        na_values=facts["schema"]["missingValues"])
    assert pd.api.types.is_float_dtype(frame["value"]) and frame["value"].notna().all()
    assert str(frame["start"].dtype) == "Int64" and (frame["end"] > frame["start"]).all()


def test_no_data_wrong_extension_and_no_folder_get_one_line(tmp_path, data):
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (["package", str(tmp_path / "p.zip"), "--data", str(empty)], str(empty), "not built"),
        (["package", str(tmp_path / "p.txt"), "--data", str(data)], "p.txt", ".zip"),
        (["package", str(tmp_path / "no" / "p.zip"), "--data", str(data)], "p.zip", "not a folder"),
        (["package", str(tmp_path), "--data", str(data)], str(tmp_path), ".zip"),
    ]
    for args, named, reason in cases:
        proc = run_cli(*args)
        lines = (proc.stdout + proc.stderr).strip().splitlines()
        assert proc.returncode != 0, args
        assert len(lines) == 1 and named in lines[0] and reason in lines[0], (args, lines)
        assert "Traceback" not in proc.stderr
    assert not list(tmp_path.glob("*.zip")) and not (tmp_path / "no").exists()
    assert not (tmp_path / ".empty.lock").exists()          # no lock left beside a folder that is no dataset


def test_a_folder_that_refuses_the_write_gets_one_line_and_no_file(tmp_path, data, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    if os.geteuid() == 0:                      # root writes anywhere: the folder's refusal is simulated
        monkeypatch.setattr(package.tempfile, "mkstemp", refuse)
    else:
        (tmp_path / "ro").mkdir()
        (tmp_path / "ro").chmod(0o500)
    target = tmp_path / "ro" / "p.zip" if os.geteuid() else tmp_path / "p.zip"
    assert cli.main(["package", str(target), "--data", str(data)]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [f"error: cannot write {target}: Permission denied"]
    assert not target.exists()


def test_the_zip_is_written_atomically(tmp_path, monkeypatch):
    target = tmp_path / "p.zip"
    target.write_bytes(b"old")
    def full(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(package.os, "replace", full)
    with pytest.raises(OSError):
        package.write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["p.zip"]
    monkeypatch.undo()
    package.write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["p.zip"]


# ---------------------------------------------------------------- the dashboard's selection

@pytest.fixture(scope="module")
def ds(data):
    return dataset.load(data)


def selections(ds) -> list[Filters]:
    """Filters with a non-empty selection in any dataset: by region, article, measure, park and mixes."""
    measured = ds.measures.sort_values(["doc_id", "start"]).iloc[0]     # a park with a measure in an article
    doc, park, measure = measured["doc_id"], measured["park_id"], measured["measure_type"]
    region, province, park_type = ds.parks.set_index("park_id").loc[park, ["region", "province", "park_type"]]
    return [Filters(region=(region,)), Filters(doc=(doc,)), Filters(measure=(measure,)), Filters(park=(park,)),
            Filters(region=(region,), measure=(measure,)), Filters(doc=(doc,), region=(region,)),
            Filters(province=(province,), park_type=(park_type,)), Filters(doc=(doc,), park=(park,)),
            Filters(doc=(doc,), measure=(measure,))]


def test_filtered_selections_validate_and_keep_their_references(ds, tmp_path):
    for i, f in enumerate(selections(ds)):
        view = dataset.apply(ds, f)
        filters = {k: list(v) for k, v in f.active().items()}
        body = downloads.to_datapackage({n: view.table(n) for n in dataset.DATA_TABLES}, ds.codebook, filters)
        (tmp_path / f"{i}.zip").write_bytes(body)
        assert validate(tmp_path / f"{i}.zip").valid, filters
        files = members(body)
        assert json.loads(files["datapackage.json"])["filters"] == filters
        rows = {n: list(csv.DictReader(io.StringIO(files[f"{n}.csv"].decode("utf-8"), newline="")))
                for n in package.TABLES}
        assert {n: len(r) for n, r in rows.items()} == {n: len(view.table(n)) for n in package.TABLES}
        assert rows["parks"], filters                          # the selection is not empty
        assert package.dangling(rows) == {} and package.duplicates(rows) == {}
        # exactly the loaders' columns in their order (park_name, value_num … dropped)
        assert all(list(r[0]) == package.TABLES[n] for n, r in rows.items() if r)


def test_the_full_selection_is_data_s_csvs(ds, data):
    body = downloads.to_datapackage({n: ds.table(n) for n in dataset.DATA_TABLES}, ds.codebook, {})
    files = members(body)
    for name, columns in package.TABLES.items():
        if header(data / f"{name}.csv") == columns:
            assert files[f"{name}.csv"] == (data / f"{name}.csv").read_bytes(), name
    assert json.loads(files["datapackage.json"])["filters"] == {}


# ---------------------------------------------------------------- it can fail

def test_facts_naming_a_missing_park_fail_validation(data, tmp_path):
    tables, book, _ = package.load(data)
    gone = tables["facts"][0]["park_id"]
    tables["parks"] = [p for p in tables["parks"] if p["park_id"] != gone]
    (tmp_path / "broken.zip").write_bytes(package.package_bytes(tables, book, {}))
    report = validate(tmp_path / "broken.zip")
    assert not report.valid
    assert "foreign-key" in {t for (t,) in report.flatten(["type"])}
    assert package.dangling(tables)["facts"][0] == ("park_id", gone)
    assert any("facts" in line and gone in line for line in package.problems(tables))


def test_two_rows_with_one_key_fail_validation_and_are_reported(data, tmp_path):
    tables, book, _ = package.load(data)
    tables["measures"].append(dict(tables["measures"][0], cue="again"))
    (tmp_path / "twice.zip").write_bytes(package.package_bytes(tables, book, {}))
    report = validate(tmp_path / "twice.zip")
    assert not report.valid and "primary-key" in {t for (t,) in report.flatten(["type"])}
    assert list(package.duplicates(tables)) == ["measures"]


def test_a_merge_that_makes_twin_rows_keeps_one_and_the_package_validates(built, tables, tmp_path):
    """A merge of two parks named in one sentence makes their two rows of that sentence one park's twin rows:
    corrections.apply keeps one per key (the reviewed one), so the package stays valid."""
    parks = tables["parks"]
    names = {p["park_id"]: p["name"] for p in parks}
    by_span: dict = {}
    for m in tables["measures"]:
        by_span.setdefault((m["doc_id"], m["start"], m["end"], m["measure_type"]), []).append(m["park_id"])
    shared = next((ids for ids in by_span.values() if len(set(ids)) > 1), None)
    if shared is None:
        pytest.skip("no sentence gives one measure to two parks in this build")
    twins = sum(1 for ids in by_span.values() if shared[0] in ids and shared[1] in ids)
    record = corrections.check({"action": "merge_park", "target": {"park": names[shared[0]]},
                                "set": {"into": names[shared[1]]}})
    texts = {d["doc_id"]: (built / "texts" / f"{d['doc_id']}.txt").read_text(encoding="utf-8")
             for d in tables["documents"]}
    applied = corrections.apply(parks, tables["measures"], tables["facts"], texts,
                                {d["doc_id"]: d["origin"] for d in tables["documents"]}, [record])
    # as the build does: figures and park totals are resolved from the corrected facts
    resolved = resolve.resolve(applied.facts, texts, tables["documents"], [record])
    out = {"documents": tables["documents"], "parks": applied.parks, "facts": resolved.facts,
           "measures": applied.measures, "figures": resolved.figures, "park_totals": resolved.totals,
           "park_redirects": applied.redirects}
    assert len(applied.measures) == len(tables["measures"]) - twins
    assert package.duplicates(out) == {}
    path = tmp_path / "merged.zip"
    path.write_bytes(package.package_bytes(out, codebook(), {}))
    assert validate(path).valid
    # the merged park's id is in the package, leading to the park it was merged into
    redirects = list(csv.DictReader(io.StringIO(members(path)["park_redirects.csv"].decode("utf-8"), newline="")))
    assert [(r["old_id"], r["park_id"], r["how"]) for r in redirects] == [(shared[0], shared[1], "merged")]


def test_a_build_from_before_park_redirects_is_packaged_with_the_table_empty_and_a_note(data, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(data, old)
    (old / "park_redirects.csv").unlink()
    tables, _, notes = package.load(old)
    assert tables["park_redirects"] == []
    assert any("park_redirects.csv has no old_id" in n and "rebuild" in n for n in notes), notes


# ---------------------------------------------------------------- the codebook describes every column

def test_every_column_of_every_table_has_a_description():
    described = yaml.safe_load((ROOT / "loaders" / "data" / "columns.yaml").read_text(encoding="utf-8"))
    assert set(described) == set(WRITTEN)
    for table, columns in WRITTEN.items():
        assert list(described[table]) == columns, table        # none missing, none stale, in the table's order
        for column in columns:
            entry = described[table][column]
            assert entry["zh"].strip() and entry["en"].strip() and CJK.search(entry["zh"]), (table, column)
    book = codebook()
    assert {t: list(c) for t, c in book["columns"].items()} == {t: list(c) for t, c in WRITTEN.items()}


def test_the_xlsx_codebook_sheet_has_the_column_descriptions():
    rows = downloads.codebook_rows(codebook())
    columns = rows[rows["section"] == "columns"]
    assert len(columns) == sum(len(c) for c in WRITTEN.values())
    value = columns[columns["code"] == "facts.value"].iloc[0]
    assert "yuan" in value["en"] and "元" in value["zh"]


# ---------------------------------------------------------------- in the browser

def test_browser_data_page_downloads_the_filtered_package(data, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    from test_browser import ARGS, CHROMIUM, new_page, start_server, wait_ready
    url, proc = start_server({"PARKS_DATA_DIR": str(data)})
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = new_page(browser)
            page.goto(f"{url}/data?region=西部")
            wait_ready(page)
            with page.expect_download() as info:
                page.get_by_role("button", name="⬇ Data Package (zip)").click()
            download = info.value
            assert download.suggested_filename == "parks-reopening_datapackage_region-西部.zip"
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert validate(saved).valid
    files = members(saved)
    assert json.loads(files["datapackage.json"])["filters"] == {"region": ["西部"]}
    parks = list(csv.DictReader(io.StringIO(files["parks.csv"].decode("utf-8"), newline="")))
    assert parks and {p["region"] for p in parks} == {"西部"}
