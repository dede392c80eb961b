"""The pipeline every adapter shares: :mod:`~patternbook.pipeline.build` (validate →
catalogue → diagrams → pages), :mod:`~patternbook.pipeline.site_config` (what a site's
``mkdocs.yml`` says) and :mod:`~patternbook.pipeline.export` (the library as plain files).
Import from the submodules; this package imports none of them."""
