"""Spec ids that look like names the output formats use themselves still build, in every format.

``dot`` names a cluster's subgraph ``cluster_<id>``, and a node id may be just that
(``cluster_a`` beside cluster ``a``): the draw.io writer used to look both up in one
table and crashed after ``validate`` said yes. DOT keywords as ids are quoted.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from patternbook.diagrams import render_pattern_diagram_files
from patternbook.diagrams.png import drawio_source_of_png
from tests.diagrams.maximal import validated_pattern_with

KEYWORDS = ["node", "edge", "graph", "digraph", "subgraph", "strict"]

LOOKALIKES = {
    "id": "digraph", "title": "Ids that look like names", "direction": "TB",
    "caption": "Node ids named like clusters and like the keywords of DOT.",
    "alt": "A cluster named a holds one node; a node called cluster_a and nodes named after DOT keywords sit outside.",
    "clusters": [{"id": "a", "label": "Cluster a"}, {"id": "cluster", "label": "Cluster named cluster", "parent": "a"}],
    "nodes": [
        {"id": "inside", "label": "Inside a", "kind": "aws.compute.Lambda", "cluster": "a"},
        {"id": "cluster_a", "label": "Named like the subgraph of a", "kind": "aws.compute.Lambda"},
        {"id": "cluster_cluster", "label": "Named like the subgraph of cluster", "kind": "aws.compute.Lambda",
         "cluster": "cluster"},
        *({"id": keyword, "label": f"Keyword {keyword}", "kind": "aws.integration.SQS"} for keyword in KEYWORDS),
    ],
    "edges": [{"from": "cluster_a", "to": "inside"}, {"from": "inside", "to": "cluster_cluster"},
              *({"from": "cluster_a", "to": keyword, "label": keyword} for keyword in KEYWORDS)],
}


def test_nodes_named_like_clusters_or_keywords_build_in_every_format(tmp_path: Path) -> None:
    pattern = validated_pattern_with([LOOKALIKES], tmp_path)
    (files,) = render_pattern_diagram_files([pattern], tmp_path / "cache").values()
    drawio = ElementTree.fromstring(drawio_source_of_png(files["png"].read_bytes()))
    cells = {cell.get("id"): cell for cell in drawio.iter("mxCell")}
    assert cells["node-cluster_a"].get("parent") == "1"  # outside every cluster, as in the spec
    assert cells["node-inside"].get("parent") == "cluster-a"
    assert cells["node-cluster_cluster"].get("parent") == "cluster-cluster"
    assert cells["cluster-cluster"].get("parent") == "cluster-a"
    assert all(f"node-{keyword}" in cells for keyword in KEYWORDS)
    assert sum(1 for identifier in cells if identifier.startswith("edge-")) == len(LOOKALIKES["edges"])
    assert files["png"].read_bytes().startswith(b"\x89PNG")
