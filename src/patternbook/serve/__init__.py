"""``patternbook serve``: a live preview that shows an edited pattern in well under a second.

The flow per save of a bundle file (see :mod:`patternbook.mkdocs_plugin.preview_session`, the
MkDocs half: only the plugin package imports MkDocs):

1. the bundle and the cross-bundle rules that involve it are validated, its page
   (or, when it no longer validates, the page listing its diagnostics) is rendered
   through MkDocs' own page build and renamed into the preview folder, and every
   browser showing that page reloads (:mod:`.server`);
2. a full build starts in a child process; when it ends, and no edit came
   meanwhile, its files replace the preview's file by file, so pages that list the
   bundle (categories, facets, neighbours, search) follow, and the preview folder
   then holds exactly what ``mkdocs build`` writes.

A change to anything else (``mkdocs.yml``, templates, docs, theme overrides,
``catalogue.yaml``, a bundle added or removed) rebuilds everything in-process.
The preview lives in ``.cache/patternbook/preview-PID/`` beside ``mkdocs.yml``,
never in the published site folder, and is deleted on exit.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from patternbook.escaping import TerminalTextFilter

if TYPE_CHECKING:
    from patternbook.mkdocs_plugin.preview_session import PreviewSession

__all__ = ["DEBOUNCE_SECONDS", "SourceWatcher", "serve"]

log = logging.getLogger("patternbook.preview")
# Shared with session.py; records quote slugs, paths and build output: printed as terminal text.
log.addFilter(TerminalTextFilter())

#: After the first change event, how long to gather more: an editor's save is often
#: several events (write, rename, attribute change) within a few milliseconds.
DEBOUNCE_SECONDS = 0.03
#: Structural change: the whole site is rebuilt.
EVERYTHING = "*"


class SourceWatcher:
    """File-system events under the sources, reduced to what they touch: a bundle's slug, or everything."""

    def __init__(self, config_file: Path, patterns_dir: Path, watched: list[Path], ignored: Path) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        self.events: queue.Queue[str] = queue.Queue()
        self.config_file, self.patterns_dir, self.ignored = config_file, patterns_dir.resolve(), ignored.resolve()
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: object) -> None:
                if getattr(event, "event_type", "") in ("opened", "closed_no_write") or (
                        getattr(event, "is_directory", False) and getattr(event, "event_type", "") == "modified"):
                    return
                for path in (getattr(event, "src_path", ""), getattr(event, "dest_path", "")):
                    if path:
                        touched = watcher.touched(Path(os.fsdecode(path)))
                        if touched is not None:
                            watcher.events.put(touched)

        self.observer = Observer()
        handler = Handler()
        for folder in sorted({p.resolve() for p in watched if p.is_dir()}):
            self.observer.schedule(handler, str(folder), recursive=True)
        self.observer.schedule(handler, str(config_file.parent), recursive=False)

    @classmethod
    def for_site(cls, config_file: Path, ignored: Path) -> SourceWatcher:
        """Watch what the site is built from, as ``mkdocs.yml`` names it (read without MkDocs)."""
        from patternbook.pipeline.site_config import read_site_config

        site = read_site_config(config_file)
        root = config_file.parent
        theme = site.raw.get("theme")
        custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
        watched = [site.settings.patterns_dir, root / site.raw.get("docs_dir", "docs"),
                   *([site.settings.templates_dir] if site.settings.templates_dir else []),
                   *([root / custom_dir] if custom_dir else [])]
        return cls(config_file, site.settings.patterns_dir, watched, ignored)

    def touched(self, path: Path) -> str | None:
        path = Path(os.path.abspath(path))
        if path.name.startswith(".") or path.name.endswith("~") or path.is_relative_to(self.ignored):
            return None
        if path.is_relative_to(self.patterns_dir):
            parts = path.relative_to(self.patterns_dir).parts
            if len(parts) >= 2 and not parts[0].startswith("."):
                return parts[0]
            return EVERYTHING if parts else None
        if path.parent == self.config_file.parent.resolve():
            return EVERYTHING if path.name == self.config_file.name else None
        return EVERYTHING

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=10)

    def next_batch(self, timeout: float) -> set[str]:
        try:
            batch = {self.events.get(timeout=timeout)}
        except queue.Empty:
            return set()
        deadline = time.monotonic() + DEBOUNCE_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                batch.add(self.events.get(timeout=left))
            except queue.Empty:
                break
        return batch


def _wait_for_first_build(session: PreviewSession) -> bool:
    while (changed := session.finish_background()) is None:
        time.sleep(0.1)
    return bool(changed)


def serve(config_file: Path, host: str = "127.0.0.1", port: int = 8000, engine: str = "mkdocs") -> int:
    """Build, serve and keep the preview current until SIGINT or SIGTERM. Returns the exit status.

    ``engine`` other than ``mkdocs`` (ProperDocs, Zensical): every change runs
    ``patternbook build --engine ENGINE`` into a staging folder, synced in when it ends;
    no page is updated before that whole build (seconds at 1,000 patterns, not under one)."""
    from patternbook.errors import PatternbookError
    from patternbook.mkdocs_plugin.preview_session import (
        PreviewSession,
        interrupt,
        mkdocs_supports_one_page_builds,
    )
    from patternbook.serve.server import ChangeLog, open_preview_server

    config_file = config_file.resolve()
    in_process = engine == "mkdocs"
    session = PreviewSession(
        config_file, config_file.parent / ".cache" / "patternbook" / f"preview-{os.getpid()}",
        engine_command=None if in_process else [sys.executable, "-m", "patternbook", "build", "--engine", engine,
                                                "--config-file", str(config_file), "--site-dir"])
    changes = ChangeLog()
    # Bound before the build: an address in use or not of this machine is a usage error (exit 2)
    # found in a moment, not after a full build. Requests wait in the backlog until it is served.
    server = open_preview_server(host, port, session.site_dir, changes)
    logging.basicConfig(format="%(levelname)-7s - %(message)s", level=logging.INFO, stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    serving: threading.Thread | None = None
    watcher: SourceWatcher | None = None
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        started = time.monotonic()
        log.info("building the preview into %s", session.site_dir)
        if in_process:
            try:
                session.build_everything()
            except PatternbookError as error:
                log.error("%s", error)
                return 1
        else:
            session.start_background()
            if not _wait_for_first_build(session):
                return 1
        log.info("built in %.1f s", time.monotonic() - started)
        watcher = SourceWatcher.for_site(config_file, session.work_dir)
        watcher.start()
        serving = threading.Thread(target=server.serve_forever, name="preview-http", daemon=True)
        serving.start()
        one_page = in_process and mkdocs_supports_one_page_builds()
        if in_process and not one_page:
            log.warning("this MkDocs is not one the preview knows how to build one page with; every change "
                        "rebuilds the whole site")
        shown = f"[{host.strip('[]')}]" if ":" in host else host
        print(f"Serving the preview on http://{shown}:{server.port}/ (Ctrl+C stops)", flush=True)
        while True:
            batch = watcher.next_batch(timeout=0.1)
            if not batch:
                finished = session.finish_background()
                if finished:
                    changes.publish(finished)
                    log.info("%s updated (%d files)", "listing pages and search" if in_process else "site",
                             len(finished))
                continue
            session.generation += 1
            started = time.monotonic()
            if not in_process:
                session.start_background()
                continue
            slugs = sorted(batch - {EVERYTHING})
            if EVERYTHING in batch or not one_page or any(session.page_of(slug) is None for slug in slugs):
                try:
                    changes.publish(session.build_everything())
                    log.info("rebuilt everything in %.1f s", time.monotonic() - started)
                except Exception as error:  # the sources are mid-edit; the old preview stays up
                    log.error("the preview could not be rebuilt: %s", error)
                continue
            written: list[str] = []
            for slug in slugs:
                try:
                    written += session.update_bundle(slug)
                except Exception as error:
                    log.error("patterns/%s: the page could not be rendered (%s); waiting for the full build",
                              slug, error)
            changes.publish(written)
            log.info("updated %s in %.2f s; full build of the listing pages started", ", ".join(slugs),
                     time.monotonic() - started)
            session.start_background()
    except KeyboardInterrupt:
        log.info("stopping")
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        changes.close()
        if watcher is not None:
            watcher.stop()
        if serving is not None:  # shutdown() waits for serve_forever, which would never end if never started
            server.shutdown()
        server.server_close()
        session.close()
