"""The closed vocabularies of a bundle and the words readers see for each value.

Each vocabulary is declared here once, as an ordered mapping from the value a
bundle writes to its display title; the ``Literal`` types the models validate
against, the facet lists of the discovery pages, the search filters and the
MCP tools' argument types are all derived from these mappings. Adding a value
here is the whole change.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "ANTI_PATTERN_RELATION_TITLES",
    "IAC_TITLES",
    "KIND_TITLES",
    "PATTERN_RELATION_TITLES",
    "PILLAR_TITLES",
    "RELATION_TITLES",
    "RING_TITLES",
    "STATUS_TITLES",
    "AntiPatternRelationType",
    "IacTool",
    "Kind",
    "Pillar",
    "RelationType",
    "Status",
]

#: What a bundle describes: a shape to adopt, or a shape to recognise and leave.
KIND_TITLES: dict[str, str] = {"pattern": "Pattern", "anti-pattern": "Anti-pattern"}

#: Review status, from least to most trusted, then retired.
STATUS_TITLES: dict[str, str] = {"draft": "Draft", "reviewed": "Reviewed", "proven": "Proven",
                                 "deprecated": "Deprecated"}

#: The default adoption rings, from the centre of the radar outward: what the organisation
#: does with a bundle. A catalogue may name its own in ``catalogue.yaml`` (``adoption.rings``).
RING_TITLES: dict[str, str] = {"adopt": "Adopt", "trial": "Trial", "assess": "Assess", "hold": "Hold"}

#: The six Well-Architected pillars.
PILLAR_TITLES: dict[str, str] = {
    "operational_excellence": "Operational excellence",
    "security": "Security",
    "reliability": "Reliability",
    "performance_efficiency": "Performance efficiency",
    "cost_optimization": "Cost optimization",
    "sustainability": "Sustainability",
}

#: The infrastructure-as-code tool of a companion repository.
IAC_TITLES: dict[str, str] = {
    "terraform": "Terraform", "opentofu": "OpenTofu", "cdk": "AWS CDK", "cdktf": "CDK for Terraform",
    "cloudformation": "CloudFormation", "sam": "AWS SAM", "pulumi": "Pulumi", "bicep": "Bicep", "arm": "ARM",
    "helm": "Helm", "kustomize": "Kustomize", "crossplane": "Crossplane", "serverless": "Serverless Framework",
    "ansible": "Ansible", "kubernetes": "Kubernetes manifests",
}

#: How a pattern relates to another bundle, headed as a reader sees the group.
PATTERN_RELATION_TITLES: dict[str, str] = {
    "alternative_to": "Alternatives",
    "complements": "Works well with",
    "requires": "Requires",
    "part_of": "Part of",
    "conflicts_with": "Conflicts with",
    "supersedes": "Supersedes",
}
#: How an anti-pattern relates to another anti-pattern.
ANTI_PATTERN_RELATION_TITLES: dict[str, str] = {"found_with": "Often found with", "leads_to": "Tends to grow into"}
RELATION_TITLES: dict[str, str] = {**PATTERN_RELATION_TITLES, **ANTI_PATTERN_RELATION_TITLES}

# Derived at import time, so a value added to a mapping above is a valid value of its type.
Kind = Literal[tuple(KIND_TITLES)]  # type: ignore[valid-type]
Status = Literal[tuple(STATUS_TITLES)]  # type: ignore[valid-type]
Pillar = Literal[tuple(PILLAR_TITLES)]  # type: ignore[valid-type]
IacTool = Literal[tuple(IAC_TITLES)]  # type: ignore[valid-type]
RelationType = Literal[tuple(PATTERN_RELATION_TITLES)]  # type: ignore[valid-type]
AntiPatternRelationType = Literal[tuple(ANTI_PATTERN_RELATION_TITLES)]  # type: ignore[valid-type]
