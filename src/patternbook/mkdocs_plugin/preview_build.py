"""``python -m patternbook.mkdocs_plugin.preview_build CONFIG SITE_DIR``: the preview's full build,
run in a child process so the next edit's page never waits for it."""

import sys
from pathlib import Path

from patternbook.mkdocs_plugin.preview_session import build_site

if __name__ == "__main__":
    build_site(Path(sys.argv[1]), Path(sys.argv[2]))
