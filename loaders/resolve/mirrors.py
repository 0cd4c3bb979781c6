"""Re-posted articles: the same story under another site's header and footer, in traditional script or full
width. Each document gets a MinHash signature of its folded text when it is processed (pure, cached with
its result); at build time MinHashLSH (datasketch) pairs the signatures and a pair is a mirror when the
estimated share of the shorter text found in the longer one is high enough (`resolve.yaml` mirrors).

`signature(text)` -> (hashvalues, shingles); `duplicates(docs)` -> {doc_id: doc_id of the original}.
"""
from __future__ import annotations

import functools

import numpy as np

from loaders import lexicon
from loaders.publish.search import fold

_PRIME = np.uint64(1_000_003)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


@functools.cache
def settings() -> dict:
    return lexicon.load("resolve")["mirrors"]


def _shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the sampled character shingles of the folded text (CJK and digits only, so headers'
    punctuation, spacing, width and script do not matter)."""
    conf = settings()
    k = conf["shingle"]
    codes = np.frombuffer(fold(text).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    codes = codes[((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x30) & (codes <= 0x39))]
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):                        # polynomial hash of each k-gram, wrapping at 2**64
        h = h * _PRIME + codes[j:j + n]
    h ^= h >> np.uint64(29)
    h *= _MIX
    h ^= h >> np.uint64(32)
    return np.unique(h[h % np.uint64(conf["sample_mod"]) == 0] >> np.uint64(32))


@functools.cache
def _datasketch():
    """datasketch, imported on first use: it imports scipy (half a second), which the dashboard never needs."""
    import datasketch
    return datasketch


@functools.cache
def _empty_minhash():
    """An empty MinHash of our settings: copied for each document (making one draws its permutations anew)."""
    return _datasketch().MinHash(num_perm=settings()["num_perm"], hashfunc=int, seed=1, scheme="affine32")


def signature(text: str) -> tuple[tuple[int, ...], int]:
    """(MinHash hash values, number of sampled shingles) of one document's text."""
    hashes = _shingle_hashes(text)
    m = _empty_minhash().copy()
    if len(hashes):
        m.update_batch(hashes.tolist())
    return tuple(int(v) for v in m.hashvalues), int(len(hashes))


def containment(a, b, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller shingle set that is in the other, from the Jaccard estimate."""
    j = a.jaccard(b)
    inter = j * (size_a + size_b) / (1 + j)
    return inter / max(1, min(size_a, size_b))


def duplicates(docs: list[dict]) -> dict[str, str]:
    """{doc_id: original doc_id} for every document that is a mirror of another.

    `docs`: [{doc_id, signature, shingles, published, chars}]. Mirrors form groups (a mirror of a mirror is
    in the same group); the original of a group is the earliest published, then the longest, then the
    smallest id, so the same documents always give the same answer."""
    conf = settings()
    usable = [d for d in docs if d["signature"] and d["shingles"] >= conf["min_shingles"]]
    if len(usable) < 2:
        return {}
    LeanMinHash, MinHashLSH = _datasketch().LeanMinHash, _datasketch().MinHashLSH
    lsh = MinHashLSH(threshold=conf["lsh_threshold"], num_perm=conf["num_perm"])
    hashes = {}
    for d in sorted(usable, key=lambda d: d["doc_id"]):
        # a signature only (no permutations to draw): LeanMinHash
        m = LeanMinHash(seed=1, hashvalues=np.array(d["signature"], dtype=np.uint64), scheme="affine32")
        hashes[d["doc_id"]] = m
        lsh.insert(d["doc_id"], m)
    size = {d["doc_id"]: d["shingles"] for d in usable}
    parent = {d: d for d in hashes}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id in sorted(hashes):
        for other in sorted(lsh.query(hashes[doc_id])):
            if other <= doc_id:
                continue
            if containment(hashes[doc_id], hashes[other], size[doc_id], size[other]) >= conf["containment"]:
                a, b = root(doc_id), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[str, list[dict]] = {}
    info = {d["doc_id"]: d for d in usable}
    for doc_id in hashes:
        groups.setdefault(root(doc_id), []).append(info[doc_id])
    out = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        first = min(members, key=lambda d: (d.get("published") or "9999", -int(d.get("chars") or 0), d["doc_id"]))
        out.update({d["doc_id"]: first["doc_id"] for d in members if d is not first})
    return out
