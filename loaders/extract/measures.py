"""Measure types of one sentence, found by jieba tokens against the cue lists of data/measures.yaml.

jieba is given a user dictionary made of every cue, every gazetteer park name and the park suffixes,
so cues come out as whole tokens ("不见面审批", "复工直通车") and a cue never fires inside another word
("出口" is not in "出入口"). jieba segments each run of word characters (its `re_han_default`) on its own, so
only the runs that contain a cue are segmented: a run without one cannot yield a cue token.
"""
from __future__ import annotations

import functools
import logging
import re

import ahocorasick
import jieba

from loaders import lexicon

USER_WORD_FREQ = 200000


@functools.cache
def cue_table() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """(cue -> codes, context cue -> codes, code -> context words)."""
    cues: dict[str, list[str]] = {}
    context_cues: dict[str, list[str]] = {}
    context: dict[str, list[str]] = {}
    for code, spec in lexicon.measures()["measure_types"].items():
        for cue in spec.get("cues", []):
            cues.setdefault(cue, []).append(code)
        for cue in spec.get("context_cues", []):
            context_cues.setdefault(cue, []).append(code)
        context[code] = spec.get("context", [])
    return cues, context_cues, context


@functools.cache
def segmenter() -> jieba.Tokenizer:
    """jieba's default tokenizer with the user dictionary built from the gazetteer and the cues."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    cues, context_cues, _ = cue_table()
    words = set(cues) | set(context_cues)
    for section in lexicon.gazetteer().values():
        for name, entry in section.items():
            words.add(name)
            words.update(entry.get("aliases", []))
    words.update(lexicon.parks()["suffixes"])
    for word in sorted(words):
        jieba.add_word(word, freq=USER_WORD_FREQ)
    return jieba.dt


def tokens(text: str) -> list[str]:
    segmenter()
    return jieba.lcut(text)


@functools.cache
def _cue_finder() -> ahocorasick.Automaton:
    """Every cue and context cue, to tell the runs that hold one."""
    cues, context_cues, _ = cue_table()
    finder = ahocorasick.Automaton()
    for cue in set(cues) | set(context_cues):
        finder.add_word(cue, cue)
    finder.make_automaton()
    return finder


def cue_tokens(text: str) -> list[tuple[str, int]]:
    """(token, offset) for jieba's tokens of `text` in the runs (jieba.re_han_default) that contain a cue: the
    tokens jieba.lcut(text) gives there, at the same offsets. Every cue is made of word characters, so none lies
    across two runs or outside them."""
    finder = _cue_finder()
    if next(finder.iter(text), None) is None:
        return []
    tok = segmenter()
    out = []
    for run in jieba.re_han_default.finditer(text):
        block = run.group()
        if next(finder.iter(block), None) is None:
            continue
        pos = run.start()
        for token in tok.cut(block):
            out.append((token, pos))
            pos += len(token)
    return out


def _with_offsets(toks: list[str]) -> list[tuple[str, int]]:
    out, pos = [], 0
    for token in toks:
        out.append((token, pos))
        pos += len(token)
    return out


def measure_hits(text: str, toks: list[str] | None = None) -> dict[str, list[str]]:
    """{measure code: [cues in order of appearance]} for one simplified sentence."""
    hits: dict[str, list[str]] = {}
    for code, cue, _ in measure_cues_at(text, toks):
        if cue not in hits.setdefault(code, []):
            hits[code].append(cue)
    return hits


@functools.cache
def _outcome_re() -> re.Pattern:
    """A head count right before a cue reports an outcome ("近3万名工人返岗"), not a measure."""
    return re.compile(lexicon.measures()["outcome_before_cue"] + "$")


@functools.cache
def _problem_re() -> re.Pattern:
    """A difficulty word just after a cue ("返岗困难", "防疫物资采购短缺") names a problem, not a measure."""
    return re.compile(lexicon.measures()["problem_after_cue"])


_CLAUSE_END = re.compile(r"[，,。；;：:！!？?]")


def _solved(text: str, start: int) -> bool:
    """True when the clause before a cue has a verb of `problem_solved_by` (解决…困难 is a measure)."""
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    clause = text[ends[-1] if ends else 0:start]
    return any(w in clause for w in lexicon.measures().get("problem_solved_by", []))


def measure_cues_at(text: str, toks: list[str] | None = None) -> list[tuple[str, str, int]]:
    """[(measure code, cue, offset of the cue)] for one simplified sentence, in order. A cue followed by a
    word of `not_followed_by` counts something rather than names a measure (返岗人数, 返岗率); one
    followed by a difficulty (`problem_after_cue`) or preceded by an outcome (`outcome_before_cue`) too."""
    cues, context_cues, context = cue_table()
    stop_after = tuple(lexicon.measures().get("not_followed_by", []))
    outcome = _outcome_re()
    problem = _problem_re()
    out = []
    for tok, start in (cue_tokens(text) if toks is None else _with_offsets(toks)):
        if tok not in cues and tok not in context_cues:
            continue
        pos = start + len(tok)
        if (text.startswith(stop_after, pos) or outcome.search(text, max(0, start - 14), start)
                or (problem.match(text, pos) and not _solved(text, start))):
            continue
        for code in cues.get(tok, ()):
            out.append((code, tok, start))
        for code in context_cues.get(tok, ()):
            if any(w in text for w in context[code]):
                out.append((code, tok, start))
    return out
