"""pydantic models of the bundle contract. No file I/O here: the loader reads,
the schema only says what is valid."""

from patternbook.schema.catalogue_file import CatalogueFile, Category, Series, Symptom
from patternbook.schema.diagram import Diagram, DiagramCluster, DiagramEdge, DiagramNode
from patternbook.schema.pattern import (
    PILLARS,
    Cost,
    CostDriver,
    CostEstimate,
    FailureEdge,
    Operations,
    Pattern,
    PatternFile,
    Pillars,
    Pressure,
    Reference,
    Relation,
    Repository,
)
from patternbook.schema.text import SCAFFOLD_MARKER
from patternbook.schema.vocabulary import Vocabulary, did_you_mean

__all__ = [
    "PILLARS",
    "SCAFFOLD_MARKER",
    "CatalogueFile",
    "Category",
    "Cost",
    "CostDriver",
    "CostEstimate",
    "Diagram",
    "DiagramCluster",
    "DiagramEdge",
    "DiagramNode",
    "FailureEdge",
    "Operations",
    "Pattern",
    "PatternFile",
    "Pillars",
    "Pressure",
    "Reference",
    "Relation",
    "Repository",
    "Series",
    "Symptom",
    "Vocabulary",
    "did_you_mean",
    "pattern_json_schema",
]


def pattern_json_schema() -> dict:
    """The JSON Schema of ``pattern.yaml`` for editors, generated from the models.

    ``version`` names the Patternbook release the schema belongs to, so a
    catalogue can tell a schema file written by an older release.
    """
    from patternbook import __version__

    generated = PatternFile.model_json_schema(by_alias=True)
    generated.pop("title", None)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Patternbook pattern.yaml",
            "version": __version__, **generated}
