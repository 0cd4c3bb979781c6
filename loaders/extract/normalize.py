"""Normalize article text: one paragraph per line, sentences whole, widths folded.

The normalized text is what every offset in the dataset points into (`data/texts/{doc_id}.txt`).
Matching runs on `to_simplified(text)`, which has the same length, so offsets carry over.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

import opencc

# Chinese punctuation stays full-width; other full-width forms (digits, letters, %) fold to ASCII.
KEEP_FULL = set("，。：；！？（）“”‘’、")
TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
TERMINAL = set("。！？；…")
CLOSERS = set("”’」』）】")
OPEN_ENDINGS = set("，、：“（《—")
CJK_CHAR = r"\u4e00-\u9fff\u3400-\u4dbf"
CJK_PUNCT = "，。：；！？（）“”‘’、《》【】—…"
MARKUP = re.compile(r"^(?:#+\s*|[▶►•·■□●◆]\s*|>\s*)+")
# Pages scraped from mirrors that print the pinyin after each character: 經(jīng)濟(jì) -> 經濟.
# Pinyin is lower-case Latin with tone marks (or a tone digit), in ASCII or full-width brackets.
PINYIN = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
INLINE_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff\u3400-\u4dbf?])[(（][{PINYIN}]{{1,6}}[1-5]?[)）]")
# where the mirror lost a character and its bracket ("百?gòu)"), the "?" would end a sentence: mark the gap
LOST_CHAR = re.compile(rf"\?[{PINYIN}]{{1,6}}[1-5]?[)）]")

_t2s = opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Sentence:
    start: int          # offset into the normalized text
    end: int
    text: str           # as displayed (original script)
    match: str          # simplified, same length as text
    paragraph: int      # index of the paragraph (line) it belongs to
    heading: bool       # a short line without closing punctuation: a title or a sub-heading


def fold_width(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\u3000":
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E and ch not in KEEP_FULL:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    text = "".join(out)
    # ASCII punctuation next to Chinese becomes Chinese punctuation; 1,000 and 14:30 stay as they are.
    return re.sub(r"[,:;!?()]", lambda m: _to_full(text, m.start()), text)


def _to_full(text: str, i: int) -> str:
    ch = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if ch in ",:" and before.isdigit() and after.isdigit():
        return ch
    if ch in "()":
        # brackets around Chinese text: （双凤）, (江海区)
        return TO_FULL[ch] if _near_cjk(text, i, 12) else ch
    return TO_FULL[ch] if (_is_cjk(before) or _is_cjk(after) or before in CJK_PUNCT or after in CJK_PUNCT
                           or before.isdigit() or before in "%”") else ch


def _near_cjk(text: str, i: int, span: int) -> bool:
    window = text[max(0, i - span): i + span]
    return bool(re.search(f"[{CJK_CHAR}]", window))


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def _wide_class() -> re.Pattern:
    """A character class of every wide or full-width character (East Asian Width W or F), so a line's
    display width is one regex count rather than a loop over its characters."""
    ranges, start = [], None
    for code in range(0x40000):
        wide = unicodedata.east_asian_width(chr(code)) in "WF"
        if wide and start is None:
            start = code
        elif not wide and start is not None:
            ranges.append((start, code - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x3FFFF))
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


WIDE = _wide_class()


def width(line: str) -> int:
    return len(line) + len(WIDE.findall(line))


def _ends_open(line: str) -> bool:
    """A line that stops inside a sentence: no closing punctuation at its end."""
    last = line[-1]
    if last in CLOSERS and len(line) > 1:
        return line[-2] not in TERMINAL and last != "）"
    return last not in TERMINAL and last not in CLOSERS


def _column_widths(lines: list[str]) -> list[float | None]:
    """For each line, the width of the newspaper column around it (the median of its neighbours),
    or None everywhere when the text is not set in narrow columns (PDF text of a newspaper page)."""
    body = [(i, w) for i, l in enumerate(lines) if l and (w := width(l)) >= 16]     # each width once
    none = [None] * len(lines)
    if len(body) < 12:
        return none
    narrow = sum(1 for _, w in body if w <= 60)
    if narrow < 0.6 * len(body):
        return none
    out: list[float | None] = list(none)
    positions = [i for i, _ in body]
    for k, (i, _) in enumerate(body):
        window = [w for _, w in body[max(0, k - 6): k + 7]]
        out[i] = statistics.median(window)
    # blank or short lines take the width of the nearest body line
    for i in range(len(lines)):
        if out[i] is None and positions:
            nearest = min(positions, key=lambda j: abs(j - i))
            out[i] = out[nearest]
    return out


def join_lines(lines: list[str]) -> list[str]:
    """Paragraphs from physical lines: a line that stops mid-sentence is joined to the next text line,
    across blank lines (page and column breaks) and around floating captions."""
    columns = _column_widths(lines)
    paragraphs: list[str] = []
    current = ""
    held: list[str] = []          # captions found inside a broken sentence, emitted after it
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        column = columns[i]
        i += 1
        if not line:
            continue
        current += line
        if not (_continues(line, current, column) or _caption_inside(lines, i, line)):
            paragraphs.append(current)
            paragraphs.extend(held)
            current, held = "", []
            continue
        # the sentence goes on: skip blank lines and floating captions to its next part
        j = i
        while j < n:
            blanks = 0
            while j < n and not lines[j]:
                blanks += 1
                j += 1
            if j < n and blanks >= 2 and _is_floating(lines[j], column) and _next_text(lines, j + 1) is not None:
                held.append(lines[j])
                j += 1
                continue
            break
        i = j
        if i >= n:
            paragraphs.append(current)
            paragraphs.extend(held)
            current, held = "", []
    return paragraphs


def _caption_inside(lines: list[str], i: int, line: str) -> bool:
    """A sentence cut by a photo caption: the line stops open, then after two or more blank lines comes
    a short caption, then the rest of the text ("…措施落实的情 / [caption] / 况下，通过出台…")."""
    if not _ends_open(line) or width(line) < 24:
        return False
    j, blanks = i, 0
    while j < len(lines) and not lines[j]:
        blanks, j = blanks + 1, j + 1
    if blanks < 2 or j >= len(lines) or not _is_floating(lines[j], None):
        return False
    k = _next_text(lines, j + 1)
    return k is not None and k > j + 1 and not _is_floating(lines[k], None)


def _next_text(lines: list[str], j: int) -> int | None:
    while j < len(lines):
        if lines[j]:
            return j
        j += 1
    return None


def _is_floating(line: str, column: float | None) -> bool:
    return width(line) <= 80 and _ends_open(line) and line[-1] not in OPEN_ENDINGS


def _continues(line: str, paragraph: str, column: float | None) -> bool:
    if not _ends_open(line):
        return False
    if line[-1] in OPEN_ENDINGS:
        return True
    if re.search(f"[{CJK_CHAR}] [{CJK_CHAR}]", line) and not re.search("[。，；！？]", line):
        return False            # a headline: words set apart by spaces ("创新提升 为企业复工复产护航")
    w = width(line)
    if column and column <= 60 and column * 0.75 <= w <= column * 1.15:
        return True
    return w >= 60 or (w >= 40 and width(paragraph) > w)


SPACE_RUN = re.compile(r"[ \t\u00a0]+")
ASCII_WORD = re.compile(r"[A-Za-z]")


def squeeze_spaces(p: str) -> str:
    """Drop spaces next to Chinese text or inside numbers ("总投资 248.26 亿元" -> 总投资248.26亿元);
    a single space between two Chinese words of a heading ("大胆改革 攻坚前行") is kept."""
    def repl(m: re.Match) -> str:
        a = p[m.start() - 1] if m.start() else ""
        b = p[m.end()] if m.end() < len(p) else ""
        if not a or not b:
            return ""
        if _is_cjk(a) and _is_cjk(b):
            return " "
        if ASCII_WORD.match(a) and ASCII_WORD.match(b):
            return " "
        if a.isdigit() and b.isdigit():
            return " "
        return ""
    return SPACE_RUN.sub(repl, p).strip()


PIPE = re.compile(r"[|｜]")
SERIAL_HEADERS = ("序号", "编号", "排名", "序")
PLACE_HEADERS = ("省份", "省", "省市", "地区", "所在地", "城市", "所在省份", "所在城市", "地市")
NUMERIC_CELL = re.compile(r"^[约近超逾]?[\d.,]+\s*(?:%|％|万元|亿元|元|家|个|户|人)?.*$")


def table_rows(lines: list[str]) -> list[str]:
    """A table scraped as cells between "|" (one cell a line, or a row a line) becomes one sentence a row,
    each figure after its column's header: "1 | 某经开区 | 广东 | 82%" under "序号 | 园区名称 | 省份 |
    生产企业复工率" reads "某经开区（广东），生产企业复工率82%。" so the sentence rules read tables too."""
    piped = [bool(PIPE.search(l)) for l in lines]
    if sum(piped) < 3:
        return lines
    near = [piped[k] or (width(l) <= 60 and ((k and piped[k - 1]) or (k + 1 < len(lines) and piped[k + 1])))
            for k, l in enumerate(lines)]
    out, i = [], 0
    while i < len(lines):
        j = i
        while j < len(lines) and (near[j] or (not lines[j] and j > i)):
            j += 1
        block = lines[i:j]
        if sum(len(PIPE.findall(l)) for l in block) >= 6:
            rows = _table(block)
            if rows:
                out.extend(rows)
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def _table(block: list[str]) -> list[str] | None:
    multi = [l for l in block if len(PIPE.findall(l.strip("|｜ "))) >= 1]
    if len(multi) >= 2 and len(multi) >= 0.8 * len([l for l in block if l]):
        grid = [[c.strip() for c in PIPE.split(l.strip().strip("|｜"))] for l in multi]   # a row a line
    else:
        cells = [c.strip() for c in PIPE.split("".join(l if l else "" for l in block))]
        cells = [c for c in cells if c]
        serial = next((k for k, c in enumerate(cells) if c == "1"), None)
        if serial is None or serial < 2 or not cells[0].startswith(SERIAL_HEADERS):
            return None
        n = serial
        grid = [cells[:n]]
        for k in range(n, len(cells) - n + 1, n):
            row = cells[k:k + n]
            if row[0] != str(len(grid)):
                break
            grid.append(row)
    header, body = grid[0], grid[1:]
    if len(body) < 2 or len(header) < 2:
        return None
    out = ["、".join(header) + "。"]
    for row in body:
        parts, place = [], ""
        for head, cell in zip(header, row):
            if not cell or head.startswith(SERIAL_HEADERS):
                continue
            if head in PLACE_HEADERS:
                place = cell
            elif NUMERIC_CELL.match(cell) and not parts == []:
                parts.append(head + cell)
            else:
                parts.append(cell)
        if parts:
            if place:
                parts[0] += f"（{place}）"
            out.append("，".join(parts) + "。")
    return out


def strip_inline_pinyin(text: str) -> str:
    """Drop pinyin glosses after characters, only when the text carries several of them (a single
    "(ji)" after a word is left alone)."""
    if len(INLINE_PINYIN.findall(text, 0, 20000)) < 3:
        return text
    return LOST_CHAR.sub("□", INLINE_PINYIN.sub("", text))


def normalize(raw: str) -> str:
    """Normalized text: one paragraph per line, full-width forms folded, spaces inside numbers dropped."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = strip_inline_pinyin(text)
    text = fold_width(text)
    lines = []
    for line in text.split("\n"):
        line = MARKUP.sub("", line.strip()).replace("**", "").strip()
        lines.append(line)
    paragraphs = (squeeze_spaces(p) for p in join_lines(table_rows(lines)))
    return "\n".join(p for p in paragraphs if p) + "\n"


# variant characters OpenCC leaves as they are (陜西 is 陕西)
VARIANTS = str.maketrans({"陜": "陕"})


def to_simplified(text: str) -> str:
    """Simplified-character copy of `text` of the same length (OpenCC t2s), for matching only."""
    simple = _t2s.convert(text).translate(VARIANTS)
    if len(simple) == len(text):
        return simple
    # a phrase conversion changed the length: fall back to one character at a time
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, _t2s.convert(ch)) for ch in text)).translate(VARIANTS)


SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』）]*|(?<=；)")


def is_heading(paragraph: str) -> bool:
    return width(paragraph) <= 80 and _ends_open(paragraph) and paragraph[-1] not in OPEN_ENDINGS


def sentences(text: str, simplified: str | None = None) -> list[Sentence]:
    """Sentences of a normalized text with their offsets; a paragraph break always ends a sentence."""
    simplified = simplified if simplified is not None else to_simplified(text)
    out: list[Sentence] = []
    pos = 0
    for p_index, para in enumerate(text.split("\n")):
        if para:
            heading = is_heading(para)
            start = 0
            for m in re.finditer(r"[。！？!?]+[”’」』）]*", para):
                _add(out, text, simplified, pos + start, pos + m.end(), p_index, heading)
                start = m.end()
            if start < len(para):
                _add(out, text, simplified, pos + start, pos + len(para), p_index, heading)
        pos += len(para) + 1
    return out


def _add(out, text, simplified, start, end, p_index, heading):
    while start < end and text[start] in " ":
        start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], simplified[start:end], p_index, heading))
