"""Patternbook's own reference, generated from the code it documents.

The handbook (``handbook/`` in the repository) has three reference pages that
nobody writes by hand: every field of the bundle files from the pydantic
models (:mod:`.fields`), every diagnostic code from the code registry with a
failing snippet from the negative test fixtures (:mod:`.diagnostics`), and
every command and option from the argument parser (:mod:`.commands`). The
architecture page's diagram is drawn from the import-linter layers contract by
Patternbook's own diagram renderer (:mod:`.architecture`). A field, code or
option added to the code reaches the handbook at its next build with no
Markdown edit.

This package sits above every other layer (it reads the parser of
:mod:`patternbook.cli`), and nothing but the handbook's build hook and the
tests import it: it is not part of what adopters' libraries build.
"""
