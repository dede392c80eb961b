"""Mermaid's own parser and renderer, run where Mermaid runs: in a browser.

The npm package ``mermaid`` (pinned by ``tests/diagrams/parsers/package-lock.json``
and installed by ``scripts/test`` with ``npm ci``) is loaded from its local
``node_modules`` into a blank Chromium page; nothing is fetched from a network.
Node alone is not used: Mermaid's parser packages ask for a newer Node than
Debian and our machines have, and drawing needs a DOM anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

MERMAID_FOLDER = Path(__file__).parent / "parsers"
MERMAID_SCRIPT = MERMAID_FOLDER / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

_RENDER = """async (text) => {
  let parsed;  // Mermaid's parser, as mermaid.parse runs it: a text it refuses is an error here
  try { parsed = (await mermaid.mermaidAPI.getDiagramFromText(text)).db; }
  catch (error) { return {error: String(error.message || error)}; }
  const links = parsed.getEdges ? parsed.getEdges().map(
    (edge) => ({start: edge.start, end: edge.end, stroke: edge.stroke, style: (edge.style || []).join(';')})) : [];
  window.__drawn = (window.__drawn || 0) + 1;
  const {svg} = await mermaid.render('mermaid-check-' + window.__drawn, text);
  const box = document.createElement('div');
  box.innerHTML = svg;
  document.body.replaceChildren(box);
  const texts = (selector) => [...box.querySelectorAll(selector)].map((element) => element.textContent);
  return {
    links_parsed: links,
    nodes: texts('g.node'), edges: texts('g.edgeLabel'), clusters: texts('g.cluster'),
    drawn_links: box.querySelectorAll('path.flowchart-link').length,
    links: box.querySelectorAll('a').length,
    scripts: box.querySelectorAll('script').length,
    clickable: box.querySelectorAll('.clickable').length,
  };
}"""


@dataclass
class MermaidDrawing:
    """What Mermaid made of a text: its parse error, or the texts it drew."""

    error: str | None = None
    nodes: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    links_parsed: list[dict] = field(default_factory=list)
    """Each edge as Mermaid's parser recorded it: ``start``, ``end``, ``stroke``
    (``normal``, ``dotted`` for ``-.->``, ``thick``) and ``style`` (from ``linkStyle``)."""
    drawn_links: int = 0
    links: int = 0
    scripts: int = 0
    clickable: int = 0



class MermaidInChromium:
    def __init__(self, browser: object) -> None:
        if not MERMAID_SCRIPT.is_file():
            pytest.fail(f"{MERMAID_SCRIPT} is missing: run 'bash scripts/test', which runs npm ci in {MERMAID_FOLDER}")
        self.page = browser.new_page()
        self.page.set_content("<!doctype html><html><head><title>Mermaid check</title></head><body></body></html>")
        self.page.add_script_tag(path=str(MERMAID_SCRIPT))
        self.page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")

    def draw(self, text: str) -> MermaidDrawing:
        """Parse ``text`` with Mermaid; when it parses, render it and report what was drawn."""
        return MermaidDrawing(**self.page.evaluate(_RENDER, text))

    def draw_all(self, texts: list[str]) -> list[MermaidDrawing]:
        """:meth:`draw` for each of ``texts``, one after another in one call into the page
        (each drawing as :meth:`draw` makes it; one round trip instead of one per text)."""
        drawings = self.page.evaluate(f"async (texts) => {{ const draw = {_RENDER}; const drawn = [];"
                                      " for (const text of texts) drawn.push(await draw(text)); return drawn; }",
                                      texts)
        return [MermaidDrawing(**drawing) for drawing in drawings]
