"""Rules on adoption data that need more than one field: evidence a ring or status requires
(PB702), the one ring an anti-pattern may take (PB703), adoption dates not in the future
(PB704) and ``catalogue.yaml``'s adoption section naming only rings and categories it has
(PB705). The ring a bundle names is checked by the schema itself (PB701)."""

from __future__ import annotations

import datetime

from patternbook.errors import Diagnostic, field_path
from patternbook.loader import YamlDocument
from patternbook.schema import AntiPattern, Bundle, CatalogueFile, did_you_mean
from patternbook.schema.adoption import AdoptionSettings
from patternbook.validation.cross_bundle import PatternOutline

__all__ = ["check_adoption", "check_adoption_dates", "check_adoption_settings"]


def _at(document: YamlDocument, path: tuple, code: str, message: str, hint: str = "") -> Diagnostic:
    line, column = document.position_of(path)
    return Diagnostic(document.shown_as, line, column, code, message, field=field_path(path), hint=hint)


def check_adoption(bundle: Bundle, document: YamlDocument, settings: AdoptionSettings | None) -> list[Diagnostic]:
    """One bundle against the catalogue's adoption settings (the defaults without a catalogue)."""
    settings = settings or AdoptionSettings()
    problems: list[Diagnostic] = []
    adoption = bundle.adoption
    if adoption is not None and isinstance(bundle, AntiPattern) and adoption.ring != settings.hold_ring:
        problems.append(_at(document, ("adoption", "ring"), "PB703",
                            f"an anti-pattern can only be in the '{settings.hold_ring}' ring, not '{adoption.ring}'",
                            hint=f"write ring: {settings.hold_ring}; teams leave an anti-pattern, never adopt it"))
    count = len(bundle.known_uses)
    for rule in settings.require:
        applies = (rule.ring is not None and adoption is not None and adoption.ring == rule.ring) or (
            rule.status is not None and bundle.status == rule.status)
        if applies and count < rule.known_uses:
            path = ("adoption", "ring") if rule.ring else ("status",)
            problems.append(_at(document, path, "PB702",
                                f"{rule.subject} needs at least {rule.known_uses} known use(s); "
                                f"this {bundle.kind} lists {count}",
                                hint="add known_uses entries ({who, what, url, since}) or choose another ring"))
    return problems


def check_adoption_dates(outlines: dict[str, PatternOutline], documents: dict[str, YamlDocument],
                         today: datetime.date) -> list[Diagnostic]:
    """A ring entered on a date still to come is a typo or a plan; the radar shows what holds today."""
    return [_at(documents[slug], ("adoption", "since"), "PB704",
                f"adoption since {outline.adoption_since} is after today ({today})",
                hint="use the date the bundle entered its ring; --today sets another date to check against")
            for slug, outline in outlines.items()
            if outline.adoption_since is not None and outline.adoption_since > today]


def check_adoption_settings(catalogue: CatalogueFile, document: YamlDocument) -> list[Diagnostic]:
    """Rings unique; evidence rules, the anti-pattern ring and quadrants name what the catalogue has."""
    settings = catalogue.adoption
    rings = settings.ring_ids
    categories = [c.id for c in catalogue.categories]
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for index, ring in enumerate(rings):
        if ring in seen:
            problems.append(_at(document, ("adoption", "rings", index, "id"), "PB705",
                                f"ring '{ring}' is declared twice"))
        seen.add(ring)
    if settings.anti_pattern_ring is not None and settings.anti_pattern_ring not in rings:
        problems.append(_at(document, ("adoption", "anti_pattern_ring"), "PB705",
                            f"no ring '{settings.anti_pattern_ring}' in adoption.rings",
                            hint=did_you_mean(settings.anti_pattern_ring, rings)))
    for index, rule in enumerate(settings.require):
        if rule.ring is not None and rule.ring not in rings:
            problems.append(_at(document, ("adoption", "require", index, "ring"), "PB705",
                                f"no ring '{rule.ring}' in adoption.rings", hint=did_you_mean(rule.ring, rings)))
    placed: dict[str, str] = {}
    for q_index, quadrant in enumerate(settings.quadrants):
        for c_index, category in enumerate(quadrant.categories):
            path = ("adoption", "quadrants", q_index, "categories", c_index)
            if category not in categories:
                problems.append(_at(document, path, "PB705", f"no category '{category}' in catalogue.yaml",
                                    hint=did_you_mean(category, categories)))
            elif category in placed:
                problems.append(_at(document, path, "PB705",
                                    f"category '{category}' is already in quadrant '{placed[category]}'"))
            placed.setdefault(category, quadrant.id)
    if settings.quadrants:
        missing = [c for c in categories if c not in placed]
        if missing:
            problems.append(_at(document, ("adoption", "quadrants"), "PB705",
                                f"categories in no quadrant: {', '.join(missing)}",
                                hint="list every category under one quadrant, or leave quadrants out"))
    return problems
