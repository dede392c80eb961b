"""The committed node-kind allowlist matches the installed ``diagrams`` package."""

from __future__ import annotations

from patternbook.diagrams.kinds import kinds_file_path, node_class, node_kinds_file_text
from patternbook.schema.diagram_kinds import closest_node_kinds, known_node_kinds, node_kind_check


def test_committed_kinds_match_the_installed_diagrams_package() -> None:
    assert kinds_file_path().read_text(encoding="utf-8") == node_kinds_file_text(), (
        "diagram_kinds.txt is stale: run 'python -m patternbook.diagrams.kinds'")


def test_kinds_cover_the_providers_contributors_use() -> None:
    kinds = known_node_kinds()
    for kind in ("aws.compute.Lambda", "aws.database.RDS", "k8s.compute.Pod", "onprem.queue.Kafka",
                 "gcp.compute.GKE", "azure.compute.FunctionApps", "saas.chat.Slack", "generic.compute.Rack"):
        assert kind in kinds
        assert node_class(kind)._icon
    assert not any(kind.startswith(("custom.", "c4.")) for kind in kinds)


def test_unknown_kind_gets_the_closest_matches() -> None:
    assert node_kind_check("aws.compute.Lambda") is None
    assert "aws.database.Dynamodb" in closest_node_kinds("aws.database.DynamoDB")
    assert "aws.database.RDS" in (node_kind_check("aws.db.RDS") or "")
