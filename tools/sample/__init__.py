"""The builder of EcoMap's bundled, fictional sample ecosystem (``app/sample``).

The region of Valmora, its cities, organizations and ties are all invented. ``build`` makes the
organizations and relationships with one seeded ``random.Random``; ``write_sample`` writes
``organizations.csv`` and ``relationships.csv`` in the canonical CSV format (DESIGN.md
section 3) and a ``README.md`` that documents the deliberate structure the analyses should
find. Two runs write byte-identical files. Run it with ``python tools/build_sample.py``.

Modules, in the order the data flows:

- ``setting``: places, brand name parts, evidence wording;
- ``ids``, ``profiles``, ``groups``, ``fixed_orgs``: who is in the sample;
- ``parameters``: the knobs of the relationship steps;
- ``model``, ``builder``: the rows and the builder that enforces the structure's rules;
- ``relationships``, ``structures``: the ordinary network and the deliberate structures;
- ``readme``, ``ecosystem``: the README text; building everything and writing the files.
"""

from __future__ import annotations

from .builder import SampleBuilder
from .ecosystem import build, write_sample

__all__ = ["SampleBuilder", "build", "write_sample"]
