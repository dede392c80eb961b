"""Mermaid ids: one per spec id, never shared, so every arrow joins the boxes the spec names."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from patternbook.diagrams.downloads import mermaid_document
from patternbook.escaping import mermaid_id
from patternbook.schema import Diagram
from patternbook.schema.text import IDENTIFIER_PATTERN

#: Ids that all became ``n_a_b`` or ``n_a_b_3`` when ``-`` was mapped to ``_`` and clashes were numbered.
CLASHING = ["a_b_3", "a-b", "a_b"]


def _diagram(ids: list[str]) -> Diagram:
    return Diagram.model_validate({
        "id": "ids", "title": "Ids that look alike", "caption": "Three boxes whose ids differ only in punctuation.",
        "alt": "Three boxes named after their ids, each joined to the next one by an arrow in a line.",
        "nodes": [{"id": identifier, "label": f"Box {identifier}", "kind": "aws.compute.Lambda"}
                  for identifier in ids],
        "edges": [{"from": source, "to": target} for source, target in itertools.pairwise(ids)],
    })


def _boxes_joined(text: str) -> list[tuple[str, str]]:
    """The arrows of a Mermaid flowchart as (label of the start box, label of the end box)."""
    labels: dict[str, str] = {}
    for identifier, label in re.findall(r'^\s*(\w+)\["([^"]*)"\]$', text, re.M):
        assert identifier not in labels, f"{identifier} names two boxes"
        labels[identifier] = label
    return [(labels[start], labels[end]) for start, end in re.findall(r"^\s*(\w+) -->\s*(\w+)$", text, re.M)]


def test_ids_that_differ_only_in_punctuation_stay_different_boxes() -> None:
    text = mermaid_document("slug", _diagram(CLASHING)).decode("utf-8")
    assert _boxes_joined(text) == [("Box a_b_3", "Box a-b"), ("Box a-b", "Box a_b")]


def test_mermaid_draws_each_arrow_between_the_boxes_the_spec_names(mermaid: object) -> None:
    diagram = _diagram(CLASHING)
    drawn = mermaid.draw(mermaid_document("slug", diagram).decode("utf-8"))
    assert drawn.error is None, drawn.error
    assert sorted(drawn.nodes) == sorted(node.label for node in diagram.nodes)
    assert [(link["start"], link["end"]) for link in drawn.links_parsed] == [
        (mermaid_id(edge.source, "n"), mermaid_id(edge.target, "n")) for edge in diagram.edges]


@given(st.lists(st.from_regex(IDENTIFIER_PATTERN, fullmatch=True), min_size=2, max_size=12, unique=True))
def test_distinct_spec_ids_always_give_distinct_mermaid_ids(ids: list[str]) -> None:
    mermaid_ids = [mermaid_id(identifier, prefix) for identifier in ids for prefix in ("n", "c")]
    assert len(set(mermaid_ids)) == len(mermaid_ids)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", made) for made in mermaid_ids)


@given(st.text(max_size=12), st.text(max_size=12))
def test_mermaid_ids_are_injective_on_any_text(first: str, second: str) -> None:
    if first != second:
        assert mermaid_id(first, "n") != mermaid_id(second, "n")
    assert re.fullmatch(r"n_[A-Za-z0-9_]*", mermaid_id(first, "n"))
