"""The diagram files of a render that went on while the engine built the pages.

The MkDocs plugin starts a large cold diagram render in worker processes and
lets MkDocs turn the pages into HTML meanwhile (:func:`patternbook.pipeline.build.build_library`,
``diagrams_in_background``). Pages only link to the diagrams, so nothing the
engine does needs them: this step waits for the render and copies its files
into the site, before the Content-Security-Policy step looks at every file.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patternbook.postbuild.context import PostBuildContext

__all__ = ["write_pending_diagram_files"]


def write_pending_diagram_files(context: PostBuildContext) -> None:
    pending = context.build.assets_pending
    if pending is None:
        return  # the engine copied them with the pages
    pending.wait()
    context.build.assets_pending = None
    for path, source in sorted(context.build.assets.items()):
        destination = context.site_dir / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            # A cache file is never changed in place (a new render replaces it by rename) and
            # nothing after this step rewrites a diagram, so the site may share its bytes.
            os.link(source, destination)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(source, destination)
