"""``GET /api/me``: who the API takes the sender for, so a page can show what they may do."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PersonDep
from app.services.people import Person

__all__ = ["router"]

router = APIRouter(tags=["people"])


@router.get("/me", response_model=Person)
def me(person: PersonDep) -> Person:
    """The sender: ``name``, ``role``, ``clusters`` and ``signed_in``.

    Without credentials the answer is ``anonymous``, whose ``role`` is ``admin`` while
    writes are open to anyone (no API key, no person, reads open) and ``null`` otherwise (it
    reads, when reads are open). An unknown token or key is 401. Needs no token even when
    reads do, so that a page can tell it must ask for one.
    """
    return person
