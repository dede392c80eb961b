"""Companion repositories, kept true: each bundle's ``repositories`` entries pin a commit,
and ``patternbook check-links`` asks whether the repository, commit and path still exist
(:mod:`~patternbook.companions.pins`), reads the pinned commit for retired runtimes
(:mod:`~patternbook.companions.runtimes`) and writes one report of both
(:mod:`~patternbook.companions.report`). Import from the submodules; this package imports none."""
