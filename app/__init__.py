"""EcoMap: map, filter and analyse business-cluster ecosystems."""

__version__ = "0.1.0"
__all__ = ["__version__"]
