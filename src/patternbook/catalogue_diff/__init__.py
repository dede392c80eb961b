"""``patternbook diff``: what a change really does to the catalogue, field by field.

A line diff of YAML tells a reviewer that line 212 moved; this says that the
failure edge that breaks first is now a different one, that the cost range went
from USD 40–120 to USD 60–180 per month, or that a relation now points at a
pattern that no longer exists. Both sides are read from git or, for the head
side, from the working tree. A side read from git is written into a temporary
folder from the commit's own tree (``git ls-tree`` and ``git cat-file``, never
``git archive``, whose ``export-ignore`` rules in a contributor's
``.gitattributes`` could hide a bundle the build still includes), so the
loader's safety rules apply unchanged. A bundle that does not validate on one
side is still compared from its raw YAML, so the diff helps even on a failing
pull request, and its problems are listed.

The Markdown format feeds a pull request's job summary, which reviewers trust:
every contributor string in it goes through :func:`escape_gfm_text`. The text
format goes to CI logs: every line passes through :func:`_text_line`.
"""

from patternbook.catalogue_diff.compare import diff_catalogues
from patternbook.catalogue_diff.model import CatalogueDiff, FieldChange, PatternChanges, Side
from patternbook.catalogue_diff.read import diff_git_refs, read_side
from patternbook.catalogue_diff.render import render_diff

__all__ = [
    "CatalogueDiff",
    "FieldChange",
    "PatternChanges",
    "Side",
    "diff_catalogues",
    "diff_git_refs",
    "read_side",
    "render_diff",
]
