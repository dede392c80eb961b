"""mxGraph, the library draw.io is built on, reading our ``.drawio`` files in Chromium.

The npm package ``mxgraph`` (pinned by ``tests/diagrams/parsers/package-lock.json``
and installed by ``scripts/test``) decodes the file's ``mxGraphModel`` with its own
codec and draws it into a page, as draw.io does when it opens a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

MXGRAPH_SCRIPT = Path(__file__).parent / "parsers" / "node_modules" / "mxgraph" / "javascript" / "mxClient.min.js"

_DECODE = """async (xml) => {
  const container = document.getElementById('graph');
  container.replaceChildren();
  const document_ = mxUtils.parseXml(xml);
  const models = document_.documentElement.getElementsByTagName('mxGraphModel');
  if (models.length !== 1) return {error: 'expected one mxGraphModel, found ' + models.length};
  const model = new mxGraphModel();
  new mxCodec(document_).decode(models[0], model);
  const graph = new mxGraph(container, model);
  // draw.io reads our containers' "collapsible=0" and draws no fold icon; plain mxGraph would
  // draw one from its own image folder, which is not the file's business.
  graph.foldingEnabled = false;
  graph.refresh();
  const cells = Object.values(model.cells).map((cell) => {
    const state = graph.view.getState(cell);
    return {id: cell.id, vertex: !!cell.vertex, edge: !!cell.edge, parent: cell.parent ? cell.parent.id : null,
            source: cell.source ? cell.source.id : null, target: cell.target ? cell.target.id : null,
            label: graph.getLabel(cell), drawn: !!(state && state.shape),
            width: state ? state.width : 0, height: state ? state.height : 0};
  });
  const images = [...container.querySelectorAll('image')].map(
    (image) => image.getAttribute('xlink:href') || image.getAttribute('href') || '');
  const widths = await Promise.all(images.map((address) => new Promise((done) => {
    const probe = new Image();
    probe.onload = () => done(probe.naturalWidth);
    probe.onerror = () => done(0);
    probe.src = address;
  })));
  return {cells, images, image_widths: widths,
          texts: [...container.querySelectorAll('text, foreignObject')].map((text) => text.textContent)};
}"""


#: draw.io's way into a PNG (``extractGraphModelFromPng`` in its EditorUi.js/Editor.js): walk the
#: chunks up to the first IDAT, take the text chunk whose keyword is ``mxfile`` (or the older
#: ``mxGraphModel``), and URI-decode it when it starts with ``%``.
_FROM_PNG = """(base64) => {
  const binary = atob(base64);
  const word = (at) => ((binary.charCodeAt(at) << 24) | (binary.charCodeAt(at + 1) << 16)
                        | (binary.charCodeAt(at + 2) << 8) | binary.charCodeAt(at + 3)) >>> 0;
  let position = 8, result = null;
  while (position + 8 <= binary.length) {
    const length = word(position), type = binary.substring(position + 4, position + 8);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'tEXt') {
      const values = binary.substring(position + 8, position + 8 + length).split(String.fromCharCode(0));
      if (values.length > 1 && (values[0] === 'mxfile' || values[0] === 'mxGraphModel')) { result = values[1]; break; }
    }
    position += 12 + length;
  }
  if (result !== null && result.charAt(0) === '%') result = decodeURIComponent(result);
  return result;
}"""


class MxGraphInChromium:
    def __init__(self, browser: object) -> None:
        if not MXGRAPH_SCRIPT.is_file():
            pytest.fail(f"{MXGRAPH_SCRIPT} is missing: run 'bash scripts/test' (it runs npm ci)")
        self.page = browser.new_page(viewport={"width": 2400, "height": 2400})
        self.page.set_content("<!doctype html><html><head><title>mxGraph check</title></head>"
                              "<body><div id='graph' style='width:2400px;height:2400px'></div></body></html>")
        # Nothing to fetch: mxGraph's resource bundles and stylesheets are not needed to decode and draw.
        self.page.evaluate("window.mxLoadResources = false; window.mxLoadStylesheets = false; window.mxBasePath = '.'")
        self.page.add_script_tag(path=str(MXGRAPH_SCRIPT))

    def decode(self, xml: str) -> dict:
        """The cells mxGraph decoded from ``xml`` (id, kind, parent, ends, label, drawn size), the
        texts it drew, and the images it drew with the pixel width each one loads at (0: broken)."""
        return self.page.evaluate(_DECODE, xml)

    def decode_png(self, png: bytes) -> dict:
        """:meth:`decode` of the draw.io file ``png`` carries, found the way draw.io finds it."""
        import base64

        xml = self.page.evaluate(_FROM_PNG, base64.b64encode(png).decode("ascii"))
        if xml is None:
            return {"error": "the PNG carries no draw.io file before its image data"}
        return self.decode(xml)
