"""pydantic models of the bundle contract. No file I/O here: the loader reads,
the schema only says what is valid."""

from patternbook.schema.anti_pattern import (
    ANTI_PATTERN_RELATION_TYPES,
    AntiPattern,
    AntiPatternFile,
    AntiPatternRelation,
    RefactorStep,
)
from patternbook.schema.catalogue_file import CatalogueFile, Category, Series, Symptom
from patternbook.schema.diagram import Diagram, DiagramCluster, DiagramEdge, DiagramNode
from patternbook.schema.kinds import BUNDLE_KINDS, DEFAULT_KIND, BundleKind, kind_of
from patternbook.schema.pattern import (
    KINDS,
    MAXIMUM_AMOUNT,
    MAXIMUM_MEASURE,
    MINIMUM_PER,
    PERIOD_TO_MONTH,
    PILLARS,
    Cost,
    CostDriver,
    CostEstimate,
    DriverCost,
    FailureEdge,
    MonthlyCost,
    Operations,
    Pattern,
    PatternFile,
    Pillars,
    Pressure,
    Price,
    Quantity,
    Reference,
    Relation,
    Repository,
    Variant,
    VariantChanges,
    WorkloadParameter,
    format_amount,
)
from patternbook.schema.text import SCAFFOLD_MARKER
from patternbook.schema.vocabulary import Vocabulary, did_you_mean

__all__ = [
    "ANTI_PATTERN_RELATION_TYPES",
    "BUNDLE_KINDS",
    "DEFAULT_KIND",
    "KINDS",
    "MAXIMUM_AMOUNT",
    "MAXIMUM_MEASURE",
    "MINIMUM_PER",
    "PERIOD_TO_MONTH",
    "PILLARS",
    "SCAFFOLD_MARKER",
    "AntiPattern",
    "AntiPatternFile",
    "AntiPatternRelation",
    "Bundle",
    "BundleKind",
    "CatalogueFile",
    "Category",
    "Cost",
    "CostDriver",
    "CostEstimate",
    "Diagram",
    "DiagramCluster",
    "DiagramEdge",
    "DiagramNode",
    "DriverCost",
    "FailureEdge",
    "MonthlyCost",
    "Operations",
    "Pattern",
    "PatternFile",
    "Pillars",
    "Pressure",
    "Price",
    "Quantity",
    "RefactorStep",
    "Reference",
    "Relation",
    "Repository",
    "Series",
    "Symptom",
    "Variant",
    "VariantChanges",
    "Vocabulary",
    "WorkloadParameter",
    "did_you_mean",
    "format_amount",
    "kind_of",
    "pattern_json_schema",
]


#: A validated bundle of either kind.
Bundle = Pattern | AntiPattern


def pattern_json_schema() -> dict:
    """The JSON Schema of ``pattern.yaml`` for editors, generated from the models.

    Both kinds share one file name, so the schema chooses with ``if``/``then``/
    ``else`` on ``kind`` rather than a ``oneOf``: an editor (yaml-language-server)
    evaluates the condition and offers only the chosen kind's fields, and a
    mistake is reported against that kind alone instead of "matches no
    alternative". Leaving ``kind`` out means a pattern. ``version`` names the
    Patternbook release the schema belongs to, so a catalogue can tell a schema
    file written by an older release.
    """
    from pydantic.json_schema import models_json_schema

    from patternbook import __version__

    _, definitions = models_json_schema([(PatternFile, "validation"), (AntiPatternFile, "validation")],
                                        by_alias=True, ref_template="#/$defs/{model}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Patternbook pattern.yaml",
        "version": __version__,
        "description": "A pattern, or with 'kind: anti-pattern' an anti-pattern.",
        "type": "object",
        "if": {"properties": {"kind": {"const": "anti-pattern"}}, "required": ["kind"]},
        "then": {"$ref": "#/$defs/AntiPatternFile"},
        "else": {"$ref": "#/$defs/PatternFile"},
        "$defs": definitions["$defs"],
    }
