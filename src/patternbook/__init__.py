"""Patternbook: a generator for catalogues of production architecture patterns."""

__version__ = "0.1.0"
__all__ = ["__version__"]
