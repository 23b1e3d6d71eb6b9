"""Saved views as the stores keep them: a named explorer state (filters and map options),
its owner, and whether the team sees it.

The stores keep a view as they get it (:class:`ViewRecord`): its filters and its options
(``display``) as JSON text, validated before they are stored and again when they are read
back by :mod:`app.services.views`, which owns the rules (names, sizes, who sees and deletes
what).
One view per name, in the whole store.

Examples
--------
>>> record = ViewRecord(name="fashion", owner="ana", shared=True, filters='{"clusters": ["x"]}',
...                     display='{"color_by": "sector"}', created_at="2026-01-02T03:04:05Z",
...                     updated_at="2026-01-02T03:04:05Z")
>>> record.name, record.shared
('fashion', True)
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["MAX_VIEW_NAME_LENGTH", "MAX_VIEW_TEXT_LENGTH", "ViewRecord"]

#: Longest name of a view.
MAX_VIEW_NAME_LENGTH = 100
#: Longest JSON text of a view's filters or display options (pinned positions included).
MAX_VIEW_TEXT_LENGTH = 4 * 1024 * 1024


class ViewRecord(BaseModel):
    """A saved view as stored: ``name`` (unique), ``owner`` (who saved it), ``shared`` (every
    reader sees it), ``filters`` and ``display`` (its options: colour, size, layout,
    selection, tab, pinned positions), both JSON text, when it was first saved and
    last replaced (UTC, ISO 8601)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=MAX_VIEW_NAME_LENGTH)
    owner: str = Field(min_length=1, max_length=200)
    shared: bool
    filters: str = Field(max_length=MAX_VIEW_TEXT_LENGTH)
    display: str = Field(max_length=MAX_VIEW_TEXT_LENGTH)
    created_at: str = Field(min_length=1, max_length=40)
    updated_at: str = Field(min_length=1, max_length=40)
