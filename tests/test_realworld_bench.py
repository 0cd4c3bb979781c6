"""bench/realworld.py: scoring against a manifest, and what it says when the texts are absent."""
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import realworld  # noqa: E402

ARTICLE = ("宜州经开区多措并举助企复工\n"
           "截至2月25日，宜州经开区规上企业复工率95%，为企业减免房租300万元。\n"
           "全市规上工业企业复工率为88.6%。\n")
MANIFEST = [{
    "id": "rw_test_1", "url": "http://example.invalid/1", "query": "宜州经开区 复工率", "script": "simplified",
    "kind": "park", "split": "dev",
    "parks": [{"name": "宜州经开区", "aliases": ["宜州经济技术开发区"], "province": "广西", "type": "经开区",
               "facts": [{"metric": "reopening_rate", "value": 95},
                         {"metric": "subsidy_amount", "value": "300万元", "basis": "total"},
                         {"metric": "signed_investment", "value": "5亿元"}],
               "measures": ["tax_rent_relief"]}],
}]


def write(tmp_path, texts=True):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(yaml.safe_dump(MANIFEST, allow_unicode=True), encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    if texts:
        (corpus / "rw_test_1.txt").write_text(ARTICLE, encoding="utf-8")
    return manifest, corpus


def test_scores_hits_misses_and_places(tmp_path):
    manifest, corpus = write(tmp_path)
    articles = realworld.load_manifest(manifest)
    t = realworld.score(articles, realworld.build(articles, corpus))
    assert (t["parks"].hit, t["parks"].pred, t["parks"].want) == (1, 1, 1)
    assert t["province"].precision == 1.0
    assert (t["reopening_rate"].hit, t["reopening_rate"].pred) == (1, 1)      # the city's 88.6 is not the park's
    assert (t["subsidy_amount"].hit, t["subsidy_amount"].pred) == (1, 1)
    assert t["signed_investment"].recall == 0.0 and t["signed_investment"].misses == ["rw_test_1: 宜州经开区 5亿元  "]
    assert ("rw_test_1: 宜州经开区 tax_rent_relief" not in t["measures"].misses)


def test_missing_texts_say_how_to_restore_them(tmp_path):
    manifest, corpus = write(tmp_path, texts=False)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "realworld.py"), "--manifest", str(manifest),
                          "--corpus", str(corpus)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "rw_test_1.txt  query: 宜州经开区 复工率  url: http://example.invalid/1" in run.stdout
    assert "Traceback" not in run.stderr


def test_values_in_units():
    assert realworld.to_value("3200万元") == 32000000
    assert realworld.to_value("1.2亿元") == 120000000
    assert realworld.to_value(95.2) == realworld.to_value("95.2")
    assert realworld.norm_name("中国（河南）自由贸易试验区郑州片区") == realworld.norm_name("郑州片区")
    assert realworld.norm_name("江苏常熟经济技术开发区") == "常熟经开区"
