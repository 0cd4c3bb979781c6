"""Reviewers' figure corrections (records of the correction store, anchored like every other correction):

    merge_figure  target: a fact's anchor; set {"with": another fact's anchor}   the two are one figure
    split_figure  target: a fact's anchor; set {}                               this mention is a figure of its own
    part_of       target: a fact's anchor; set {"of": the total's anchor}       its figure is a part of that one
    not_part      target: a fact's anchor; set {}                               its figure is no part: it counts

`locate_links(records, mentions, texts)` -> (Links, orphans). Later records win over earlier ones.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# the actions are defined with the other correction actions (corrections.FIGURE_ACTIONS); imported where used,
# since the correction store itself imports the dataset, which imports this package
__all__ = ["Links", "locate_links"]


@dataclass
class Links:
    part_of: dict[int, int] = field(default_factory=dict)           # mention -> mention of the total
    not_part: set[int] = field(default_factory=set)
    _ordered: list = field(default_factory=list)                    # ("split", mention, None) | ("merge", a, b)

    def regroup(self, groups: list[list], ms: list) -> list[list]:
        """The automatic figures with the reviewers' merges and splits applied, in the order they were made."""
        where = {m.index: n for n, fig in enumerate(groups) for m in fig}
        groups = [list(g) for g in groups]
        for kind, a, b in self._ordered:
            if kind == "split":
                fig = groups[where[a]]
                if len(fig) > 1:
                    fig.remove(ms[a])
                    groups.append([ms[a]])
                    where[a] = len(groups) - 1
            else:
                fa, fb = where[a], where[b]
                if fa != fb:
                    groups[fa].extend(groups[fb])
                    for m in groups[fb]:
                        where[m.index] = fa
                    groups[fb] = []
        return [g for g in groups if g]


def _mentions(target: dict, ms: list, texts: dict[str, str], park_ids: dict[str, set] | None = None) -> list[int] | str:
    """Indices of the mentions an anchor points at, or the reason there are none. `park_ids`: {name or alias: park
    ids} of the published parks (a renamed park keeps its id, so a name is not the hash of the id)."""
    from loaders.correct.corrections import locate
    text = texts.get(target["doc_id"])
    if text is None:
        return "the document is not in the dataset"
    span = locate(text, target)
    if span is None:
        return "the quoted text is no longer in the document"
    same = [m for m in ms if m.row["doc_id"] == target["doc_id"] and m.row["metric"] == target["metric"]]
    if target.get("park"):
        from loaders.assemble.dataset import park_id
        wanted = {park_id(target["park"]), *(park_ids or {}).get(target["park"], ())}
        same = [m for m in same if m.row["park_id"] in wanted or m.row.get("park_name") == target["park"]]
    exact = [m.index for m in same if (int(m.row["start"]), int(m.row["end"])) == span]
    if exact:
        return exact
    overlap = [m.index for m in same if min(int(m.row["end"]), span[1]) > max(int(m.row["start"]), span[0])]
    return overlap or "the build no longer extracts this fact"


def locate_links(records: list[dict], ms: list, texts: dict[str, str],
                 parks: list[dict] = ()) -> tuple[Links, list[dict]]:
    from loaders.correct.corrections import FIGURE_ACTIONS
    links, orphans = Links(), []
    park_ids: dict[str, set] = {}
    for p in parks:
        for name in (p["name"], *filter(None, str(p.get("aliases", "")).split("|"))):
            park_ids.setdefault(name, set()).add(p["park_id"])

    def orphan(record: dict, reason: str) -> None:
        t = record["target"]
        orphans.append({"correction_id": record["id"], "action": record["action"], "doc_id": t.get("doc_id", ""),
                        "exact": t.get("exact", ""), "kind": t.get("metric", ""), "park": t.get("park", ""),
                        "reason": reason, "author": record["author"], "time": record["time"]})

    for record in records:
        if record["action"] not in FIGURE_ACTIONS:
            continue
        found = _mentions(record["target"], ms, texts, park_ids)
        if isinstance(found, str):
            orphan(record, found)
            continue
        other = None
        if record["action"] in ("merge_figure", "part_of"):
            other = _mentions(record["set"]["with" if record["action"] == "merge_figure" else "of"], ms, texts, park_ids)
            if isinstance(other, str):
                orphan(record, f"the other figure: {other}")
                continue
            a, b = ms[found[0]].row, ms[other[0]].row
            if (a["park_id"], a["metric"]) != (b["park_id"], b["metric"]):
                orphan(record, "the two facts are not of the same park and metric")
                continue
        for i in found:
            if record["action"] == "split_figure":
                links._ordered.append(("split", i, None))
            elif record["action"] == "merge_figure":
                links._ordered.append(("merge", i, other[0]))
            elif record["action"] == "part_of":
                links.part_of[i] = other[0]
                links.not_part.discard(i)
            else:
                links.not_part.add(i)
                links.part_of.pop(i, None)
    return links, orphans
