"""Steps that run on a finished site, the same for every engine.

An engine (the MkDocs plugin, or MkDocs / ProperDocs / Zensical building what
``patternbook export`` wrote) turns pages into HTML; everything that must look
at that HTML afterwards (search index, feeds, ``llms.txt``, Content-Security-Policy
hashes) belongs to Patternbook and runs here, so no engine-specific hook is needed.

Each step is a function ``step(context: PostBuildContext) -> None`` in a module of
this package; :mod:`.context` defines what it receives and :mod:`.steps` lists the
steps in the order they run. This ``__init__`` imports nothing, so a step importing
the context never imports the steps back.
"""
