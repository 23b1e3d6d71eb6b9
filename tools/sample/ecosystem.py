"""Build the whole sample ecosystem and write its files."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from app.vocabulary import ORGANIZATION_COLUMNS, RELATIONSHIP_COLUMNS

from .builder import SampleBuilder
from .groups import CLUSTER_GROUPS
from .ids import KNOWN_IDS
from .parameters import GROUP_COLLABORATION
from .readme import readme_text
from .relationships import (
    add_memberships,
    cross_cluster_ties,
    customer_ties,
    funding,
    institution_ties,
    investments,
    preferential_collaboration,
    research_ties,
    spin_offs,
    supply_chains,
)
from .structures import broker_ties, choose_roles, fashion_bridges, missing_link_gadgets


def build() -> SampleBuilder:
    """Build the whole sample ecosystem.

    Every step draws from one seeded random generator: keep their order, or the sample changes.
    """
    b = SampleBuilder()
    b.build_organizations()
    unknown = sorted(set(KNOWN_IDS) - set(b.orgs))
    if unknown:
        raise ValueError(f"constants name unknown organizations: {unknown}")
    choose_roles(b)
    add_memberships(b)
    for group, m, extra in GROUP_COLLABORATION:
        preferential_collaboration(b, group, m, extra)
    for group in CLUSTER_GROUPS:
        supply_chains(b, group)
        research_ties(b, group)
    institution_ties(b)
    broker_ties(b)
    missing_link_gadgets(b)
    cross_cluster_ties(b)
    fashion_bridges(b)
    customer_ties(b)
    investments(b)
    funding(b)
    spin_offs(b)
    return b


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> None:
    """Write rows with a fixed header, Unix newlines and minimal quoting."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_sample(out: Path, b: SampleBuilder) -> list[Path]:
    """Write the two CSV files and the README into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    orgs_path, rels_path, readme_path = (
        out / "organizations.csv", out / "relationships.csv", out / "README.md",
    )  # fmt: skip
    write_csv(orgs_path, ORGANIZATION_COLUMNS, (b.orgs[k].row() for k in sorted(b.orgs)))
    rels = sorted(b.rels.values(), key=lambda r: (r.source, r.target, r.type))
    write_csv(rels_path, RELATIONSHIP_COLUMNS, (rel.row() for rel in rels))
    with readme_path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(readme_text(b))
    return [orgs_path, rels_path, readme_path]
