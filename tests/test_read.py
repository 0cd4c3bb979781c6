"""Bad input: one clear reason per file, encodings detected by charset-normalizer."""
import pytest

from loaders.articles.read import InputError, read_article

SENTENCE = "目前，经开区在地企业285家，已复工232家，复工率81.4%；“四上企业”138家，复工138家，复工率100%。天津东丽经开区全力帮助企业渡过难关。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "big5"])
def test_encodings_are_detected(tmp_path, encoding):
    text = SENTENCE if encoding != "big5" else "天津東麗經開區全力幫助企業渡過難關。目前經開區在地企業復工率達到百分之八十。\n" * 3
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    got, _ = read_article(path)
    assert got.lstrip("\ufeff") == text


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(2000), "binary"),
    ("Plain English text about parks only.\n".encode(), "no Chinese"),
])
def test_bad_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read_article(path)
