"""The catalogue-wide relation graph as inline SVG, laid out without Graphviz.

``dot`` needs ~8 s for 100 randomly related patterns and minutes for 1,000, and
what it draws at that size cannot be read. This layout is linear in patterns and
relations and cannot fail: each category is a block of patterns on a grid,
blocks are tiled, relations are straight lines coloured and dashed by type. The
page's script adds what makes 1,000 nodes usable — filters by category and
relation type, pan and zoom, find-and-centre; without JavaScript every node is
still a link to its pattern.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import escape

from patternbook.catalogue import Catalogue

__all__ = ["RELATION_STYLES", "RelationMap", "relation_map"]

NODE_WIDTH = 168
NODE_HEIGHT = 40
GAP_X = 28
GAP_Y = 22
BLOCK_PADDING = 24
BLOCK_HEADER = 34
BLOCK_GAP = 56
LABEL_CHARACTERS = 24
SYMMETRIC = {"complements", "alternative_to", "conflicts_with"}
#: (colour, dash pattern or "") per relation type; legible on the white card in both schemes.
RELATION_STYLES = {
    "complements": ("#2e7d32", ""),
    "alternative_to": ("#1565c0", "6 4"),
    "requires": ("#6a1b9a", ""),
    "part_of": ("#5d4037", "2 3"),
    "conflicts_with": ("#c62828", "2 3"),
    "supersedes": ("#37474f", "8 3 2 3"),
}
_FILLS = ("#e3f2fd", "#e8f5e9", "#fff3e0", "#f3e5f5", "#e0f7fa", "#fce4ec", "#f1f8e9", "#ede7f6")


@dataclass(frozen=True)
class RelationMap:
    svg: str
    pattern_count: int
    relation_count: int


def _label_lines(title: str) -> list[str]:
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if len(candidate) <= LABEL_CHARACTERS or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], (lines[1] + " " + " ".join(lines[2:]))]
    return [text if len(text) <= LABEL_CHARACTERS + 2 else text[:LABEL_CHARACTERS].rstrip() + "…" for text in lines]


def _to_border(centre: tuple[float, float], towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a node's centre towards another leaves the node's box."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    if not dx and not dy:
        return centre
    scale = min(NODE_WIDTH / 2 / abs(dx) if dx else math.inf, NODE_HEIGHT / 2 / abs(dy) if dy else math.inf)
    return centre[0] + dx * scale, centre[1] + dy * scale


def relation_map(catalogue: Catalogue, link_prefix: str) -> RelationMap:
    """Every pattern (a link to ``link_prefix + slug + "/"``) and every typed relation, drawn once."""
    # Anti-patterns sit with the patterns of their category, after them, outlined apart (CSS pb-map-node--anti).
    blocks = [(c, sorted(catalogue.in_category(c.id), key=lambda p: p.title.casefold())
               + sorted(catalogue.anti_patterns_in_category(c.id), key=lambda a: a.title.casefold()))
              for c in catalogue.categories]
    blocks = [(c, members) for c, members in blocks if members]
    largest = max((len(m) for _, m in blocks), default=1)
    columns_inside = max(2, math.ceil(math.sqrt(largest * 2)))
    block_width = 2 * BLOCK_PADDING + columns_inside * NODE_WIDTH + (columns_inside - 1) * GAP_X
    block_columns = max(1, round(math.sqrt(len(blocks) / 1.5))) if len(blocks) > 1 else 1

    positions: dict[str, tuple[float, float]] = {}
    parts: list[str] = []
    x = y = row_height = 0.0
    for index, (category, members) in enumerate(blocks):
        if index and index % block_columns == 0:
            x, y = 0.0, y + row_height + BLOCK_GAP
            row_height = 0.0
        rows = math.ceil(len(members) / columns_inside)
        height = BLOCK_HEADER + 2 * BLOCK_PADDING + rows * NODE_HEIGHT + (rows - 1) * GAP_Y
        fill = _FILLS[index % len(_FILLS)]
        parts.append(f'<g class="pb-map-block" data-category="{escape(category.id)}">'
                     f'<rect x="{x:.0f}" y="{y:.0f}" width="{block_width:.0f}" height="{height:.0f}" rx="10" '
                     f'fill="{fill}" stroke="#90a4ae"/>'
                     f'<text class="pb-map-block-title" x="{x + BLOCK_PADDING:.0f}" y="{y + 26:.0f}">'
                     f'{escape(category.title)}</text>')
        for position, pattern in enumerate(members):
            column, row = position % columns_inside, position // columns_inside
            left = x + BLOCK_PADDING + column * (NODE_WIDTH + GAP_X)
            top = y + BLOCK_HEADER + BLOCK_PADDING + row * (NODE_HEIGHT + GAP_Y)
            positions[pattern.slug] = (left + NODE_WIDTH / 2, top + NODE_HEIGHT / 2)
            lines = _label_lines(pattern.title)
            first_y = top + NODE_HEIGHT / 2 + (5 if len(lines) == 1 else -3)
            text = "".join(f'<tspan x="{left + NODE_WIDTH / 2:.0f}" y="{first_y + 15 * n:.0f}">{escape(line)}</tspan>'
                           for n, line in enumerate(lines))
            anti = pattern.slug in catalogue.anti_patterns
            kind_class, kind_words = (" pb-map-node--anti", "anti-pattern, ") if anti else ("", "")
            parts.append(
                f'<a class="pb-map-node{kind_class}" href="{escape(link_prefix + pattern.slug)}/" '
                f'data-slug="{escape(pattern.slug)}" data-category="{escape(category.id)}" '
                f'aria-label="{escape(pattern.title)} ({kind_words}{escape(category.title)})">'
                f'<rect x="{left:.0f}" y="{top:.0f}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/>'
                f'<text text-anchor="middle">{text}</text></a>')
        parts.append("</g>")
        x += block_width + BLOCK_GAP
        row_height = max(row_height, height)
    width = block_columns * (block_width + BLOCK_GAP) - BLOCK_GAP if blocks else NODE_WIDTH
    total_height = y + row_height

    seen: set[tuple[str, str, str]] = set()
    edges: list[str] = []
    for relation in catalogue.relation_edges():
        source, target = relation.source, relation.target
        if relation.type in SYMMETRIC:
            source, target = sorted((source, target))
        key = (source, target, relation.type)
        if key in seen or source == target or source not in positions or target not in positions:
            continue
        seen.add(key)
        colour, dash = RELATION_STYLES.get(relation.type, ("#37474f", ""))
        (x1, y1), (x2, y2) = _to_border(positions[source], positions[target]), _to_border(positions[target],
                                                                                         positions[source])
        marker = "" if relation.type in SYMMETRIC else ' marker-end="url(#pb-map-arrow)"'
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        edges.append(f'<line class="pb-map-edge" data-type="{relation.type}" data-from="{escape(source)}" '
                     f'data-to="{escape(target)}" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     f'stroke="{colour}"{dashes}{marker}/>')
    title = f"Relations between the {len(positions)} patterns of the catalogue, grouped by category"
    svg = (f'<svg class="pb-map" xmlns="http://www.w3.org/2000/svg" viewBox="-20 -20 {width + 40:.0f} '
           f'{total_height + 40:.0f}" role="group" aria-label="{escape(title)}" data-pb-map="">'
           '<defs><marker id="pb-map-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0 0 10 5 0 10z" fill="#37474f"/></marker></defs>'
           f'<g class="pb-map-edges" aria-hidden="true">{"".join(edges)}</g>'
           f'<g class="pb-map-nodes">{"".join(parts)}</g></svg>')
    return RelationMap(svg, len(positions), len(seen))
