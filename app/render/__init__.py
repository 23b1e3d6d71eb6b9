"""Rendering: map geometry, styling and HTML."""
