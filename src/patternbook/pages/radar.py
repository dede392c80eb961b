"""The adoption radar: every bundle with a ring, drawn at build time as an inline SVG.

A radar is read without JavaScript: each blip is a link with a ``<title>`` and
an ``aria-label`` naming the bundle, its ring and its sector, and the table
under the drawing lists the same data. Sectors are the quadrants
``catalogue.yaml`` declares (``adoption.quadrants``) or one per category; rings
are the catalogue's, centre first. Placement is derived from each slug's hash,
never from a random generator, so a bundle sits where it sat on the previous
build unless its ring or sector changed. Colours are the rings' own (validated
``#rrggbb``) as presentation attributes, and every line and label is drawn in
``currentColor``, so the drawing follows Material's light and dark schemes
without an inline style the Content-Security-Policy would refuse.

The same data feeds ``tech-radar.json`` (:func:`tech_radar_document`), in the
shape Backstage's tech-radar plugin loads.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from patternbook.catalogue import Catalogue
from patternbook.escaping import xml_text
from patternbook.history import CatalogueHistory, RingChange
from patternbook.schema import Bundle
from patternbook.schema.adoption import AdoptionSettings, RingDefinition, ring_move_text

__all__ = ["RADAR_PAGE", "RadarBlip", "RadarSector", "radar_blips", "radar_page", "radar_sectors", "radar_svg",
           "ring_timeline", "tech_radar_document"]

#: The docs path of the radar page.
RADAR_PAGE = "discover/radar.md"
RADIUS = 240
BLIP_RADIUS = 9
#: Room around the circle for the sector titles.
MARGIN = 150
#: Candidate positions tried per blip before one that overlaps no earlier blip is taken.
PLACEMENT_TRIES = 64


@dataclass(frozen=True)
class RadarSector:
    id: str
    title: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class RadarBlip:
    number: int
    """Shown in the blip and in the table's first column."""
    bundle: Bundle
    ring: RingDefinition
    sector: RadarSector
    x: float
    y: float
    moved: int
    """1 moved toward the centre, -1 outward, 0 not moved within the catalogue's window."""


def radar_sectors(catalogue: Catalogue) -> list[RadarSector]:
    """The declared quadrants, or one sector per category."""
    quadrants = catalogue.definitions.adoption.quadrants
    if quadrants:
        return [RadarSector(q.id, q.title, tuple(q.categories)) for q in quadrants]
    return [RadarSector(c.id, c.title, (c.id,)) for c in catalogue.categories]


def ring_radii(count: int) -> list[tuple[float, float]]:
    """(inner, outer) radius of each ring, centre first. Rings hold equal areas, so the centre,
    where most of a mature catalogue sits, is not the most crowded."""
    edges = [0.0] + [RADIUS * math.sqrt((index + 1) / count) for index in range(count)]
    return list(itertools.pairwise(edges))


def _fractions(slug: str, attempt: int) -> tuple[float, float]:
    digest = hashlib.sha256(f"{slug}\0{attempt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32, int.from_bytes(digest[4:8], "big") / 2**32


def ring_timeline(history: CatalogueHistory | None, slug: str) -> tuple[RingChange, ...]:
    return history.rings.get(slug, ()) if history is not None and history.available else ()


def _recent_move(settings: AdoptionSettings, timeline: tuple[RingChange, ...], today: datetime.date) -> int:
    """How the bundle's ring moved within ``moved_within_days`` of ``today`` (0 when it did not)."""
    last = timeline[-1] if timeline else None
    if last is None or last.before is None or last.after is None:
        return 0
    if (today - last.change.when.date()).days > settings.moved_within_days:
        return 0
    return settings.moved(last.before, last.after)


def radar_blips(catalogue: Catalogue, history: CatalogueHistory | None, today: datetime.date) -> list[RadarBlip]:
    """One blip per bundle with a ring, numbered sector by sector and ring by ring."""
    settings = catalogue.definitions.adoption
    sectors = radar_sectors(catalogue)
    sector_of = {category: sector for sector in sectors for category in sector.categories}
    rings = settings.ring_ids
    ringed = sorted((b for b in catalogue.entries.values() if b.adoption and b.adoption.ring in rings
                     and b.category in sector_of),
                    key=lambda b: (sectors.index(sector_of[b.category]), rings.index(b.adoption.ring),
                                   b.title.casefold(), b.slug))
    sweep = 2 * math.pi / len(sectors)
    radii = ring_radii(len(rings))
    placed: list[tuple[float, float]] = []
    blips: list[RadarBlip] = []
    for number, bundle in enumerate(ringed, start=1):
        sector, ring_index = sector_of[bundle.category], rings.index(bundle.adoption.ring)  # type: ignore[union-attr]
        start = -math.pi / 2 + sectors.index(sector) * sweep
        inner, outer = radii[ring_index]
        position = (0.0, 0.0)
        for attempt in range(PLACEMENT_TRIES):
            along, across = _fractions(bundle.slug, attempt)
            # The square root spreads blips evenly over the ring's area, not thickly at its inner edge.
            low, high = inner + BLIP_RADIUS + 2, max(inner + BLIP_RADIUS + 2, outer - BLIP_RADIUS - 2)
            radius = math.sqrt(low**2 + along * (high**2 - low**2))
            # Keep clear of the sector's edges by a blip's width at this radius.
            margin = min(0.45, (BLIP_RADIUS + 3) / max(radius * sweep, 1.0))
            angle = start + (margin + across * (1 - 2 * margin)) * sweep
            position = (radius * math.cos(angle), radius * math.sin(angle))
            if all(math.dist(position, other) > 2 * BLIP_RADIUS + 1 for other in placed):
                break
        placed.append(position)
        moved = _recent_move(settings, ring_timeline(history, bundle.slug), today)
        blips.append(RadarBlip(number, bundle, settings.ring(bundle.adoption.ring), sector,  # type: ignore[arg-type, union-attr]
                               round(position[0], 1), round(position[1], 1), moved))
    return blips


def _sector_label(sector: RadarSector, index: int, count: int) -> str:
    angle = -math.pi / 2 + (index + 0.5) * 2 * math.pi / count
    x, y = (RADIUS + 14) * math.cos(angle), (RADIUS + 14) * math.sin(angle)
    anchor = "middle" if abs(x) < 30 else ("start" if x > 0 else "end")
    y += 16 if y > 30 else (-6 if y < -30 else 5)
    return (f'<text class="pb-radar-sector" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="currentColor">'
            f"{xml_text(sector.title)}</text>")


def _moved_words(moved: int) -> str:
    return {1: ", moved in", -1: ", moved out"}.get(moved, "")


def radar_svg(catalogue: Catalogue, blips: list[RadarBlip], link: Callable[[str], str]) -> str:
    """The radar as one ``<svg>`` element; ``link(slug)`` is a blip's href."""
    settings = catalogue.definitions.adoption
    sectors = radar_sectors(catalogue)
    parts: list[str] = ['<g class="pb-radar-grid" aria-hidden="true">']
    for ring, (_, outer) in zip(settings.rings, ring_radii(len(settings.rings)), strict=True):
        parts.append(f'<circle r="{outer:.1f}" fill="none" stroke="currentColor"/>')
        parts.append(f'<text class="pb-radar-ring" x="0" y="{-outer + 14:.1f}" text-anchor="middle" '
                     f'fill="currentColor">{xml_text(ring.title)}</text>')
    for index in range(len(sectors)):
        angle = -math.pi / 2 + index * 2 * math.pi / len(sectors)
        parts.append(f'<line x1="0" y1="0" x2="{RADIUS * math.cos(angle):.1f}" y2="{RADIUS * math.sin(angle):.1f}" '
                     'stroke="currentColor"/>')
    parts += [_sector_label(sector, index, len(sectors)) for index, sector in enumerate(sectors)]
    parts.append('</g><g class="pb-radar-blips">')
    for blip in blips:
        label = f"{blip.number}. {blip.bundle.title}: {blip.ring.title}, {blip.sector.title}{_moved_words(blip.moved)}"
        if blip.moved:
            # A moved blip is a triangle pointing the way it moved: shape, not colour alone, says so.
            tip = -1 if blip.moved > 0 else 1
            r = BLIP_RADIUS + 2
            shape = (f'<path class="pb-radar-moved" d="M{blip.x:.1f} {blip.y + tip * r:.1f} '
                     f'L{blip.x + r:.1f} {blip.y - tip * r * 0.7:.1f} L{blip.x - r:.1f} {blip.y - tip * r * 0.7:.1f}Z" '
                     f'fill="{blip.ring.colour}" stroke="currentColor"/>')
        else:
            shape = (f'<circle cx="{blip.x:.1f}" cy="{blip.y:.1f}" r="{BLIP_RADIUS}" fill="{blip.ring.colour}" '
                     'stroke="currentColor"/>')
        parts.append(
            f'<a class="pb-radar-blip" href="{xml_text(link(blip.bundle.slug))}" aria-label="{xml_text(label)}" '
            f'data-ring="{xml_text(blip.ring.id)}" data-slug="{xml_text(blip.bundle.slug)}">'
            f"<title>{xml_text(label)}</title>{shape}"
            f'<text x="{blip.x:.1f}" y="{blip.y + 4:.1f}" text-anchor="middle" fill="#ffffff">{blip.number}</text></a>')
    parts.append("</g>")
    title = (f"Adoption radar: {len(blips)} bundles in {len(settings.rings)} rings "
             f"({', '.join(r.title for r in settings.rings)}) and {len(sectors)} sector(s)")
    size = RADIUS + MARGIN
    return (f'<svg class="pb-radar" xmlns="http://www.w3.org/2000/svg" viewBox="{-size} {-RADIUS - 40} '
            f'{2 * size} {2 * RADIUS + 80}" role="group" aria-labelledby="pb-radar-title">'
            f'<title id="pb-radar-title">{xml_text(title)}</title>{"".join(parts)}</svg>')


def _snapshot(ring: str, when: datetime.date, moved: int, description: str) -> dict[str, object]:
    return {"ringId": ring, "date": when.isoformat(), "moved": moved, "description": description}


def _timeline(bundle: Bundle, settings: AdoptionSettings, timeline: tuple[RingChange, ...]) -> list[dict[str, object]]:
    """Newest first, as Backstage shows an entry's history: each ring the git history records, or
    (outside git, or before the ring was committed) the ring the bundle states, since its date."""
    adoption = bundle.adoption
    assert adoption is not None
    titles = settings.ring_titles
    snapshots: list[dict[str, object]] = []
    for change in timeline:
        if change.after not in titles:
            continue
        if change.before:
            words = ring_move_text(bundle.title, titles.get(change.before, change.before), titles[change.after])
            moved = settings.moved(change.before, change.after)
        else:
            words, moved = f"{bundle.title} entered {titles[change.after]}", 0
        snapshots.append(_snapshot(change.after, change.change.when.date(), moved, words))
    if not snapshots or snapshots[-1]["ringId"] != adoption.ring:
        snapshots.append(_snapshot(adoption.ring, adoption.since, 0, adoption.rationale))
    else:
        snapshots[-1]["description"] = adoption.rationale
    return list(reversed(snapshots))


def tech_radar_document(catalogue: Catalogue, history: CatalogueHistory | None, today: datetime.date,
                        link: Callable[[str], str]) -> dict[str, object]:
    """``tech-radar.json``: the radar as Backstage's tech-radar plugin loads it
    (``TechRadarLoaderResponse``: ``quadrants``, ``rings``, ``entries`` with a ``timeline``)."""
    settings = catalogue.definitions.adoption
    blips = radar_blips(catalogue, history, today)
    return {
        "quadrants": [{"id": s.id, "name": s.title} for s in radar_sectors(catalogue)],
        "rings": [{"id": r.id, "name": r.title, "color": r.colour, **({"description": r.description}
                                                                      if r.description else {})}
                  for r in settings.rings],
        "entries": [{"id": blip.bundle.slug, "key": blip.bundle.slug, "title": blip.bundle.title,
                     "quadrant": blip.sector.id, "description": blip.bundle.summary,
                     "timeline": _timeline(blip.bundle, settings, ring_timeline(history, blip.bundle.slug)),
                     "links": [{"url": link(blip.bundle.slug), "title": blip.bundle.title}]}
                    for blip in blips],
    }


def radar_page(catalogue: Catalogue, render: Callable[..., str], history: CatalogueHistory | None,
               today: datetime.date) -> list[tuple[str, str]]:
    """(docs path, Markdown) of the radar page, or nothing while no bundle has a ring."""
    blips = radar_blips(catalogue, history, today)
    if not blips:
        return []
    settings = catalogue.definitions.adoption

    def link(slug: str) -> str:
        return f"../../patterns/{slug}/"

    from markupsafe import Markup

    svg = Markup(radar_svg(catalogue, blips, link))  # built with xml_text for every contributor string
    return [(RADAR_PAGE, render("discover/radar.md.j2", svg=svg, blips=blips, rings=settings.rings, link=link,
                                moved_within_days=settings.moved_within_days))]
