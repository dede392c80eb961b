"""``feed.xml``: an Atom feed of new, changed, re-reviewed and deprecated bundles.

Entries come from git history (one per commit and bundle, classified by what
the commit did to ``pattern.yaml``), so the feed is the same for a given commit
and needs no clock. Outside git, each bundle appears once, dated by its last
review (or as deprecated), which is still a useful "what's current" feed.
Bundles of every kind are listed; an entry for a kind other than a pattern
names its kind in the title and as a category, so nobody adopts an anti-pattern
from the feed.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from patternbook.history import CatalogueHistory, ChangeEvent, RingChange
from patternbook.schema import DEFAULT_KIND, kind_of
from patternbook.schema.adoption import ring_move_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from patternbook.postbuild.context import PostBuildContext
    from patternbook.schema import Bundle

__all__ = ["FEED_ENTRIES", "FEED_PATH", "KIND_TITLES", "write_feed"]

FEED_PATH = "feed.xml"
FEED_ENTRIES = 50
KIND_TITLES = {"new": "New", "changed": "Changed", "re-reviewed": "Re-reviewed", "deprecated": "Deprecated",
               "ring-moved": "Ring moved"}
#: Names deterministic ``urn:uuid:`` ids when the site has no ``site_url`` to build them from.
_ID_NAMESPACE = uuid.UUID("6f1c2a6e-2d0b-5d8e-9c51-6b0f3f3c7a10")


def _id(context: PostBuildContext, *parts: str) -> str:
    if context.site_url:
        return context.address("#".join(parts)) if len(parts) > 1 else context.address(parts[0])
    return uuid.uuid5(_ID_NAMESPACE, "/".join([context.site_name, *parts])).urn


def _fallback_events(patterns: Mapping[str, Bundle]) -> list[tuple[str, str, datetime.datetime, str]]:
    """Without git: each bundle once, dated by its last review."""
    events = []
    for slug, pattern in patterns.items():
        moment = datetime.datetime.combine(pattern.last_reviewed, datetime.time(), tzinfo=datetime.UTC)
        kind = "deprecated" if pattern.status == "deprecated" else "re-reviewed"
        events.append((slug, kind, moment, f"reviewed on {pattern.last_reviewed.isoformat()}"))
    return sorted(events, key=lambda e: (e[2], e[0]), reverse=True)


def _git_events(events: tuple[ChangeEvent, ...], patterns: Mapping[str, Bundle]):
    return [(e.slug, e.kind, e.change.when, e.change.subject, e.change.commit)
            for e in events if e.slug in patterns]


def _ring_move_events(history: CatalogueHistory, patterns: Mapping[str, Bundle]):
    """One entry per ring move ("Saga: Trial → Adopt"), beside the commit's other entries."""
    return [(m.slug, "ring-moved", m.change.when, m.change.subject, m.change.commit)
            for m in history.ring_moves() if m.slug in patterns]


def _ring_move_title(context: PostBuildContext, bundle: Bundle, commit: str) -> str:
    history = context.build.history
    move: RingChange | None = next((m for m in (history.rings.get(bundle.slug, ()) if history else ())
                                    if m.change.commit == commit), None)
    titles = context.build.catalogue.definitions.adoption.ring_titles if context.build.catalogue else {}
    if move is None or move.before is None or move.after is None:
        return f"{KIND_TITLES['ring-moved']}: {bundle.title}"
    return ring_move_text(bundle.title, titles.get(move.before, move.before), titles.get(move.after, move.after))


def write_feed(context: PostBuildContext) -> None:
    from feedgen.feed import FeedGenerator

    build = context.build
    if build.catalogue is None:
        return
    patterns = build.catalogue.entries
    history = build.history
    if history is not None and history.available:
        entries = sorted([*_git_events(history.events, patterns), *_ring_move_events(history, patterns)],
                         key=lambda e: (e[2].astimezone(datetime.UTC), e[4], e[0], e[1]), reverse=True)[:FEED_ENTRIES]
    else:
        entries = [(slug, kind, when, note, "") for slug, kind, when, note in _fallback_events(patterns)][:FEED_ENTRIES]

    feed = FeedGenerator()
    feed.id(_id(context, FEED_PATH))
    feed.title(f"{context.site_name}: what changed")
    feed.subtitle("New, changed, re-reviewed and deprecated patterns, and adoption ring moves")
    feed.link(href=context.address(FEED_PATH), rel="self", type="application/atom+xml")
    feed.link(href=context.address("") or "./", rel="alternate", type="text/html")
    feed.author({"name": context.site_name})
    feed.language("en")
    newest = max((when for _, _, when, _, _ in entries), default=datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC))
    feed.updated(newest)
    # feedgen prepends by default; append keeps our newest-first order.
    for slug, kind, when, subject, commit in entries:
        pattern = patterns[slug]
        entry = feed.add_entry(order="append")
        entry.id(_id(context, context.page_path(slug), f"{kind}-{commit or when.date().isoformat()}"))
        bundle_kind = kind_of(pattern)
        named = "" if bundle_kind.name == DEFAULT_KIND else f" ({bundle_kind.noun})"
        if kind == "ring-moved":
            entry.title(_ring_move_title(context, pattern, commit) + named)
        else:
            entry.title(f"{KIND_TITLES[kind]}: {pattern.title}{named}")
        entry.link(href=context.address(context.page_path(slug)), rel="alternate", type="text/html")
        entry.updated(when)
        entry.category(term=kind, label=KIND_TITLES[kind])
        if bundle_kind.name != DEFAULT_KIND:
            entry.category(term=bundle_kind.name, label=bundle_kind.title)
        detail = f"{subject}" + (f" ({commit[:10]})" if commit else "")
        entry.summary(f"{pattern.summary} — {detail}")
        if kind == "deprecated" and pattern.superseded_by:
            entry.content(f"{pattern.summary} Deprecated: use {pattern.superseded_by} instead. — {detail}",
                          type="text")
    (context.site_dir / FEED_PATH).write_bytes(feed.atom_str(pretty=True))
