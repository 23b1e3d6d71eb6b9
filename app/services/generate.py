"""Synthetic ecosystems of any size in the canonical CSV format, deterministic by seed.

The generator backs ``ecomap generate``. It produces a graph with the structure real cluster
ecosystems show: a few hubs (large firms, universities) with heavy-tailed degrees, communities
aligned with clusters and regions (most ties inside the home cluster, a minority across), every
organization kind and relationship type, and an average org-to-org degree close to the one
asked for. Only the standard library is used; the same seed always gives the same rows.
"""

from __future__ import annotations

import csv
import logging
import math
import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from statistics import NormalDist

from app.services.output import atomic_open, ensure_folder
from app.vocabulary import ORGANIZATION_COLUMNS, RELATIONSHIP_COLUMNS, Kind, RelType

__all__ = [
    "SyntheticEcosystem",
    "generate_ecosystem",
    "write_ecosystem_csv",
]

logger = logging.getLogger(__name__)


_MIN_ORGS = 10
_LAST_YEAR = 2025
_PROGRESS_EVERY = 10_000
_INSIDE_SHARE = 0.8  # share of ties drawn inside the home cluster

#: Country code and approximate centre (lat, lon) of the countries regions are spread over.
_COUNTRIES = (
    ("DE", 51.0, 10.4), ("FR", 46.6, 2.5), ("NL", 52.2, 5.5), ("ES", 40.3, -3.7),
    ("IT", 43.0, 12.5), ("SE", 59.3, 15.0), ("PL", 52.0, 19.4), ("FI", 62.0, 25.7),
)  # fmt: skip
#: Cluster themes: name, NACE sector codes, tags.
_THEMES = (
    ("Robotics", ("C28", "C29", "M72"), ("robotics", "automation", "ai")),
    ("Photonics", ("C26", "C27", "M72"), ("photonics", "lasers", "optics")),
    ("Software", ("J62", "J63", "M70"), ("software", "cloud", "ai")),
    ("Biotech", ("C21", "M72", "Q86"), ("biotech", "pharma", "health")),
    ("Energy", ("D35", "C27", "F42"), ("renewables", "hydrogen", "grid")),
    ("Food", ("C10", "A01", "C11"), ("agrifood", "packaging", "circular")),
    ("Mobility", ("C29", "H49", "C30"), ("mobility", "batteries", "logistics")),
    ("Materials", ("C20", "C24", "C22"), ("materials", "chemicals", "circular")),
)
_SYLLABLES = (
    "nor", "vik", "al", "ber", "ta", "lum", "sol", "ven", "kar", "mi", "ro", "dan", "el",
    "tor", "is", "ka", "len", "quin", "ar", "os", "bri", "ze", "hal", "mar", "ne", "fi",
)  # fmt: skip
_COMPANY_TYPES = (("startup", 0.35), ("sme", 0.55), ("large_enterprise", 0.10))
_INSTITUTION_TYPES = (
    ("university", 0.10), ("research_institute", 0.12), ("government", 0.10),
    ("development_agency", 0.08), ("association", 0.20), ("investor", 0.22),
    ("incubator", 0.18),
)  # fmt: skip
#: Fitness multiplier per type: hubs are large firms, universities and research institutes.
_PULL = {
    "startup": 0.6, "sme": 1.0, "large_enterprise": 6.0, "university": 8.0,
    "research_institute": 4.0, "government": 2.5, "development_agency": 2.0,
    "association": 1.5, "investor": 1.5, "incubator": 1.5, "cluster_organization": 3.0,
}  # fmt: skip
_LABEL = {
    "startup": "Startup", "sme": "SME", "large_enterprise": "Group", "university": "University",
    "research_institute": "Research Institute", "government": "Regional Office",
    "development_agency": "Development Agency", "association": "Association",
    "investor": "Capital", "incubator": "Incubator", "cluster_organization": "Cluster",
}  # fmt: skip
_FUNDERS = frozenset({"government", "development_agency", "incubator"})
_RESEARCH = frozenset({"university", "research_institute"})
#: Tie weights: 200 quantiles of a lognormal(0, 0.6), as cells (shared strings save memory).
_WEIGHTS = tuple(
    f"{math.exp(NormalDist(0.0, 0.6).inv_cdf((k + 0.5) / 200)):.2f}" for k in range(200)
)
_COLLABORATES, _SUPPLIES = RelType.COLLABORATES_WITH.value, RelType.SUPPLIES.value
_FUNDS, _INVESTS, _SPUN = RelType.FUNDS.value, RelType.INVESTS_IN.value, RelType.SPUN_OUT_OF.value


@dataclass(frozen=True, slots=True)
class SyntheticEcosystem:
    """A generated ecosystem, as rows in CSV cell form.

    Attributes
    ----------
    organizations : list of dict
        One row per organization, keyed by :data:`ORGANIZATION_COLUMNS` in that order; every
        value is a string and ``""`` means missing.
    relationships : list of dict
        One row per relationship, keyed by :data:`RELATIONSHIP_COLUMNS` in that order.
    """

    organizations: list[dict[str, str]]
    relationships: list[dict[str, str]]


def _quota(rng: random.Random, total: int, shares: tuple[tuple[str, float], ...]) -> list[str]:
    """Return ``total`` type names in proportion to ``shares`` (largest remainder), shuffled."""
    exact = [(name, share * total) for name, share in shares]
    counts = {name: int(value) for name, value in exact}
    by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
    for name, _ in by_remainder[: total - sum(counts.values())]:
        counts[name] += 1
    names = [name for name, _ in shares for _ in range(counts[name])]
    rng.shuffle(names)
    return names


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _org_details(rng: random.Random, org_type: str) -> tuple[str, str]:
    """Return (employees, founded) cells for an organization of ``org_type``."""
    if org_type == "startup":
        employees, founded = int(math.exp(rng.gauss(2.2, 0.8))), rng.randint(2008, _LAST_YEAR)
    elif org_type == "sme":
        employees = min(249, 10 + int(math.exp(rng.gauss(3.5, 0.9))))
        founded = rng.randint(1950, _LAST_YEAR - 2)
    elif org_type == "large_enterprise":
        employees, founded = 250 + int(math.exp(rng.gauss(7.0, 1.0))), rng.randint(1900, 2005)
    elif org_type == "university":
        employees, founded = 800 + int(math.exp(rng.gauss(7.5, 0.6))), rng.randint(1900, 1995)
    else:
        employees, founded = int(math.exp(rng.gauss(3.5, 1.0))), rng.randint(1950, 2020)
    return ("" if rng.random() < 0.05 else str(employees)), str(founded)


def _pick_type(
    rng: random.Random, a: int, b: int, kinds: list[str], types: list[str]
) -> tuple[str, int, int]:
    """Choose a relationship type for the pair ``(a, b)`` and orient it: (type, source, target)."""
    ta, tb, r = types[a], types[b], rng.random()
    company_a, company_b = kinds[a] == Kind.COMPANY, kinds[b] == Kind.COMPANY
    if r < 0.5 and (ta in _FUNDERS or tb in _FUNDERS):
        return (_FUNDS, a, b) if ta in _FUNDERS else (_FUNDS, b, a)
    if r < 0.7 and ((ta == "investor" and company_b) or (tb == "investor" and company_a)):
        return (_INVESTS, a, b) if ta == "investor" else (_INVESTS, b, a)
    if r < 0.25 and (
        (ta == "startup" and tb in _RESEARCH) or (tb == "startup" and ta in _RESEARCH)
    ):
        return (_SPUN, a, b) if ta == "startup" else (_SPUN, b, a)
    if company_a and company_b:
        if r < 0.35:
            return _SUPPLIES, a, b
        if r < 0.45 and {ta, tb} == {"startup", "large_enterprise"}:
            return (_INVESTS, a, b) if ta == "large_enterprise" else (_INVESTS, b, a)
        if r < 0.38 and "startup" in (ta, tb):
            return (_SPUN, a, b) if ta == "startup" else (_SPUN, b, a)
    return _COLLABORATES, min(a, b), max(a, b)


def generate_ecosystem(
    n_orgs: int, *, seed: int = 0, avg_degree: float = 10.0
) -> SyntheticEcosystem:
    """Generate a synthetic ecosystem of ``n_orgs`` organizations.

    Parameters
    ----------
    n_orgs : int
        Number of organizations (companies, institutions and clusters), at least 10.
    seed : int, optional
        Seed of the random generator; the same seed gives identical rows.
    avg_degree : float, optional
        Target average degree of the org-to-org network (relationships other than
        ``MEMBER_OF``), i.e. ``2 * E / n_orgs``. Capped by what ``n_orgs`` allows.

    Returns
    -------
    SyntheticEcosystem
        Organization and relationship rows that pass :mod:`app.domain` validation.

    Raises
    ------
    ValueError
        If ``n_orgs`` is below 10 or ``avg_degree`` is negative.
    """
    if isinstance(n_orgs, bool) or not isinstance(n_orgs, int) or n_orgs < _MIN_ORGS:
        raise ValueError(f"n_orgs must be an integer >= {_MIN_ORGS}, got {n_orgs!r}")
    if not avg_degree >= 0:  # also rejects NaN
        raise ValueError(f"avg_degree must be >= 0, got {avg_degree!r}")
    rng = random.Random(seed)
    n_clusters, n_regions = max(3, n_orgs // 400), max(2, n_orgs // 2000)
    n_countries = min(len(_COUNTRIES), n_regions)
    width = max(6, len(str(n_orgs - 1)))
    ids = [f"org-{i:0{width}d}" for i in range(n_orgs)]
    evidence = f"synthetic:seed={seed}"

    # Regions (centre, country, cities) and clusters (region, theme).
    regions: list[tuple[str, str, list[tuple[str, float, float]]]] = []
    for r in range(n_regions):
        code, lat0, lon0 = _COUNTRIES[r % n_countries]
        lat, lon = lat0 + rng.uniform(-1.5, 1.5), lon0 + rng.uniform(-2.0, 2.0)
        cities = [
            (_word(rng), lat + rng.gauss(0, 0.25), lon + rng.gauss(0, 0.35))
            for _ in range(rng.randint(3, 6))
        ]
        label = _word(rng)
        while any(label == other for other, _, _ in regions):  # region names are unique
            label = _word(rng)
        regions.append((label, code, cities))
    cluster_region = [c % n_regions for c in range(n_clusters)]
    cluster_theme = [rng.randrange(len(_THEMES)) for _ in range(n_clusters)]

    # Organizations: clusters first, then companies (~82.5% of the rest) and institutions.
    n_rest = n_orgs - n_clusters
    n_companies = round(n_rest * 0.825)
    types = ["cluster_organization"] * n_clusters
    types += _quota(rng, n_companies, _COMPANY_TYPES)
    types += _quota(rng, n_rest - n_companies, _INSTITUTION_TYPES)
    kinds = [Kind.CLUSTER.value] * n_clusters + [Kind.COMPANY.value] * n_companies
    kinds += [Kind.INSTITUTION.value] * (n_rest - n_companies)
    home = list(range(n_clusters)) + [rng.randrange(n_clusters) for _ in range(n_rest)]
    region_of = [
        cluster_region[home[i]] if i < n_clusters or rng.random() < 0.9
        else rng.randrange(n_regions)
        for i in range(n_orgs)
    ]  # fmt: skip
    fitness = [_PULL[t] * rng.paretovariate(2.0) for t in types]
    founded: list[int] = []
    organizations: list[dict[str, str]] = []
    for i in range(n_orgs):
        region_name, country, cities = regions[region_of[i]]
        city, clat, clon = rng.choice(cities)
        theme_name, sectors, tags = _THEMES[cluster_theme[home[i]]]
        word = _word(rng)
        name = f"{word} {theme_name} {_LABEL[types[i]]} {i}"
        employees, year = _org_details(rng, types[i])
        founded.append(int(year))
        organizations.append(dict(zip(ORGANIZATION_COLUMNS, (
            ids[i], name, kinds[i], types[i], "|".join(rng.sample(sectors, rng.randint(1, 2))),
            "|".join(rng.sample(tags, rng.randint(0, 2))), city, region_name, country,
            f"{clat + rng.gauss(0, 0.04):.5f}", f"{clon + rng.gauss(0, 0.06):.5f}", employees,
            year, "" if rng.random() < 0.15 else f"https://{word.lower()}{i}.example",
            "" if rng.random() < 0.3 else f"Synthetic {_LABEL[types[i]].lower()} in {city}.",
        ), strict=True)))  # fmt: skip

    # Org-to-org ties: sources by global fitness, targets mostly inside the home cluster.
    members: list[list[int]] = [[] for _ in range(n_clusters)]
    for i in range(n_orgs):
        members[home[i]].append(i)
    member_cum = [list(accumulate(fitness[i] for i in m)) for m in members]
    global_cum = list(accumulate(fitness))
    target = min(round(avg_degree * n_orgs / 2), n_orgs * (n_orgs - 1) // 4)
    seen: set[int] = set()
    years = {y: str(y) for y in range(1900, _LAST_YEAR + 1)}
    relationships: list[dict[str, str]] = []
    attempts, max_attempts = 0, 50 * target + 1000
    population, rand = range(n_orgs), rng.random
    while len(seen) < target and attempts < max_attempts:
        batch = min(max_attempts - attempts, 200_000, max(1000, 2 * (target - len(seen))))
        attempts += batch
        for a in rng.choices(population, cum_weights=global_cum, k=batch):
            if rand() < _INSIDE_SHARE:
                cum, m = member_cum[home[a]], members[home[a]]
                b = m[min(bisect(cum, rand() * cum[-1]), len(m) - 1)]
            else:
                b = min(bisect(global_cum, rand() * global_cum[-1]), n_orgs - 1)
            pair = a * n_orgs + b if a < b else b * n_orgs + a
            if a == b or pair in seen:
                continue
            seen.add(pair)
            rel, src, dst = _pick_type(rng, a, b, kinds, types)
            start = max(founded[src], founded[dst])
            since = start + int(rand() * (_LAST_YEAR + 1 - start))
            until = since + int(rand() * (_LAST_YEAR + 1 - since)) if rand() < 0.1 else 0
            relationships.append({
                "source": ids[src], "target": ids[dst], "type": rel,
                "weight": _WEIGHTS[int(rand() * len(_WEIGHTS))], "since": years[since],
                "until": years[until] if until else "", "evidence": evidence,
            })  # fmt: skip
            if len(seen) >= target:
                break
    if len(seen) < target:
        logger.warning("generated %d of %d org-to-org ties for %d orgs", len(seen), target, n_orgs)

    # Cluster membership: most orgs join their home cluster, a few a second one; some none.
    for i in range(n_clusters, n_orgs):
        joined = [home[i]] if rng.random() < 0.7 else []
        if rng.random() < 0.05:
            joined.append(rng.randrange(n_clusters))
        for c in dict.fromkeys(joined):
            since = rng.randint(max(founded[i], founded[c]), _LAST_YEAR)
            relationships.append({
                "source": ids[i], "target": ids[c], "type": RelType.MEMBER_OF.value,
                "weight": "1", "since": years[since], "until": "", "evidence": evidence,
            })  # fmt: skip
    return SyntheticEcosystem(organizations=organizations, relationships=relationships)


def write_ecosystem_csv(
    eco: SyntheticEcosystem,
    out_dir: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[Path, Path]:
    """Write ``organizations.csv`` and ``relationships.csv`` into ``out_dir``.

    Parameters
    ----------
    eco : SyntheticEcosystem
        The rows to write.
    out_dir : Path
        Target directory; created if missing. Existing files of those names are replaced,
        each only once it is written whole (a failure raises
        :class:`~app.services.output.OutputError` and leaves the old file).
    progress : callable, optional
        Called with the number of rows written so far (both files together, headers not
        counted) about every 10,000 rows and once at the end; the total is
        ``len(eco.organizations) + len(eco.relationships)``.

    Returns
    -------
    tuple of Path
        Paths of the organizations and relationships files.
    """
    out_dir = Path(out_dir)
    ensure_folder(out_dir)
    written = 0
    paths = []
    for filename, header, rows in (
        ("organizations.csv", ORGANIZATION_COLUMNS, eco.organizations),
        ("relationships.csv", RELATIONSHIP_COLUMNS, eco.relationships),
    ):
        path = out_dir / filename
        cells = itemgetter(*header)
        with atomic_open(path, newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for start in range(0, len(rows), _PROGRESS_EVERY):
                chunk = rows[start : start + _PROGRESS_EVERY]
                writer.writerows(map(cells, chunk))
                written += len(chunk)
                if progress is not None:
                    progress(written)
        paths.append(path)
    if progress is not None and written == 0:
        progress(0)
    return paths[0], paths[1]
