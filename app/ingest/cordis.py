"""Read CORDIS project participations (EU Horizon 2020) into EcoMap's canonical records.

One organization per PIC (id ``pic-<PIC>``) and one ``COLLABORATES_WITH`` tie per pair of
organizations that share projects (weight: the number of shared projects). The records are
the ones the CSV reader produces, so :mod:`app.ingest.validate` and the store's upsert apply
unchanged. Every problem in a row is located as ``FILE:LINE: column: message``.

Input: the CORDIS participations table (``rcn,role,pic,type,country,start_year,...``), plain
or gzip-compressed; and optionally a projects table (``rcn,...,programme_parts`` with
``;``-joined parts, or one ``rcn,programme_part`` row per part) whose programme parts become
organization tags and whose start years fill the ones the participations lack. The literal
``NA`` means missing, except in ``country`` where it is Namibia. CORDIS writes ``UK`` and
``EL`` for GB and GR.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from app.errors import Problem, excerpt
from app.fields import MAX_LIST_ITEM_LENGTH
from app.ingest.cordis_rows import TICK as _TICK
from app.ingest.cordis_rows import Progress, csv_rows
from app.ingest.readers import Record, Table
from app.vocabulary import COUNTRY_CODES

__all__ = ["ACTIVITY_TYPES", "CORDIS_COUNTRIES", "SOURCE", "CordisInput", "read_cordis"]

logger = logging.getLogger(__name__)

SOURCE = "CORDIS H2020"

#: CORDIS activity type -> (kind, type, name prefix).
ACTIVITY_TYPES: dict[str, tuple[str, str, str]] = {
    "PRC": ("company", "company", "Company"),
    "HES": ("institution", "university", "University"),
    "REC": ("institution", "research_institute", "Research organisation"),
    "PUB": ("institution", "government", "Public body"),
    "OTH": ("institution", "other", "Organisation"),
}

#: The codes CORDIS writes instead of ISO 3166-1 alpha-2.
CORDIS_COUNTRIES: dict[str, str] = {"UK": "GB", "EL": "GR"}

_EVIDENCE_RCNS = 5  # project numbers named in a tie's evidence
_PIC_RE = re.compile(r"^[A-Za-z0-9]{1,50}$")
#: Project numbers (CORDIS: digits); they are named in evidence texts.
_RCN_RE = re.compile(r"^[A-Za-z0-9._-]{1,50}$")
_YEAR_RE = re.compile(r"^\d{4}$")
_DATE_RE = re.compile(r"^(\d{4})-\d{2}-\d{2}$")

_Votes = dict[Any, list[Any]]  # value -> [rows, latest start]


@dataclass(slots=True)
class CordisInput:
    """The tables read from CORDIS files, and what reading them found.

    ``tables`` holds the organizations (problems of every input row are attached to it) and
    the ties; the ties are generated on iteration, once.
    """

    tables: list[Table]
    rows_read: int = 0
    rows_rejected: int = 0
    records: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Org:
    line: int
    types: _Votes = field(default_factory=dict)
    countries: _Votes = field(default_factory=dict)
    projects: set[str] = field(default_factory=set)
    coordinated: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Collector:
    """What the rows say so far: organizations, project members and start years."""

    problems: list[Problem]
    orgs: dict[str, _Org] = field(default_factory=dict)
    members: dict[str, dict[str, int]] = field(default_factory=dict)  # rcn -> pic -> line
    years: dict[str, int] = field(default_factory=dict)
    parts: dict[str, set[str]] = field(default_factory=dict)

    def participation(self, file: str, line: int, row: dict[str, str | None]) -> bool:
        """Check one participation row and add it; return True when it was rejected."""
        found: list[tuple[str, str]] = []
        rcn, pic, code = row["rcn"], row["pic"], (row["type"] or "").upper()
        for column, value in (("rcn", rcn), ("pic", pic), ("type", code)):
            if not value:
                found.append((column, "required value is missing"))
        _check_rcn(rcn, found)
        if pic and not _PIC_RE.match(pic):
            found.append(("pic", f"{excerpt(pic)} is not a PIC (1-50 letters and digits)"))
        if code and code not in ACTIVITY_TYPES:
            expected = ", ".join(ACTIVITY_TYPES)
            message = f"unknown activity type {excerpt(row['type'])}; expected {expected}"
            found.append(("type", message))
        country = row["country"]
        if country is not None:
            country = CORDIS_COUNTRIES.get(country.upper(), country.upper())
            if country not in COUNTRY_CODES:
                message = (
                    f"unknown country code {excerpt(row['country'])} (ISO 3166-1 alpha-2, UK or EL)"
                )
                found.append(("country", message))
        year = _start_year(row, found)
        if found or rcn is None or pic is None:
            self.problems.extend(Problem(file, line, column, text) for column, text in found)
            return True
        org = self.orgs.get(pic)
        if org is None:
            org = self.orgs[pic] = _Org(line)
        start = (year or 0, row.get("start_date") or "")
        _vote(org.types, code, start)
        _vote(org.countries, country, start)
        self.members.setdefault(rcn, {}).setdefault(pic, line)
        org.projects.add(rcn)
        if (row.get("role") or "").lower() == "coordinator":
            org.coordinated.add(rcn)
        if year is not None and year < self.years.get(rcn, 10_000):
            self.years[rcn] = year
        return False

    def project(
        self, file: str, line: int, row: dict[str, str | None], years: dict[str, int]
    ) -> bool:
        """Check one projects row and add its programme parts (and start year to ``years``)."""
        found: list[tuple[str, str]] = []
        rcn = row["rcn"]
        if not rcn:
            found.append(("rcn", "required value is missing"))
        _check_rcn(rcn, found)
        year = _start_year(row, found)
        column = "programme_parts" if "programme_parts" in row else "programme_part"
        cell = row.get(column) or ""
        parts = {p.strip() for p in cell.split(";") if p.strip()}
        for part in parts:
            if len(part) > MAX_LIST_ITEM_LENGTH or not part.isprintable():
                message = (
                    f"{excerpt(part)} is not a programme part (at most "
                    f"{MAX_LIST_ITEM_LENGTH} printable characters)"
                )
                found.append((column, message))
                break
        if found or rcn is None:
            self.problems.extend(Problem(file, line, column, text) for column, text in found)
            return True
        self.parts.setdefault(rcn, set()).update(parts)
        if year is not None and year < years.get(rcn, 10_000):
            years[rcn] = year
        return False

    def organization(self, pic: str, org: _Org, source: str) -> Record:
        """The organization record of one PIC."""
        code, country = _winner(org.types), _winner(org.countries)
        kind, subtype, label = ACTIVITY_TYPES[code]
        started = sorted(self.years[rcn] for rcn in org.projects if rcn in self.years)
        span = f" ({started[0]}-{started[-1]})" if started else ""
        n = len(org.projects)
        description = (
            f"{source}: {n} project{'' if n == 1 else 's'}, {len(org.coordinated)} as "
            f"coordinator{span}. PIC {pic}, activity type {code}."
        )
        cells = {
            "id": f"pic-{pic}",
            "name": f"{label} {pic} ({country})" if country else f"{label} {pic}",
            "kind": kind,
            "type": subtype,
            "country": country,
            "tags": sorted({part for rcn in org.projects for part in self.parts.get(rcn, ())}),
            "description": description,
            "source": source,
        }
        return Record(org.line, cells)


def read_cordis(
    path: Path,
    *,
    projects: Path | None = None,
    source: str = SOURCE,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> CordisInput:
    """Read a CORDIS participations file (and optionally a projects file) into tables.

    Parameters
    ----------
    path : Path
        Participations, ``.csv`` or gzip ``.csv.gz``. Required columns: ``rcn``, ``pic``,
        ``type``, ``country`` and ``start_year`` or ``start_date``; others are ignored.
    projects : Path, optional
        Projects with ``rcn`` and ``programme_parts`` (``;``-joined) or ``programme_part``
        (one row per part), optionally ``start_year`` or ``start_date``.
    source : str
        The ``source`` of every organization and the prefix of every tie's evidence.
    progress : callable, optional
        ``progress(phase, done, total)`` for the phases ``"reading"`` and ``"pairing"``.
    max_bytes : int, optional
        The most any one file may hold once decompressed (counted as it expands); the rest
        of a larger file is not read and the file is a problem. ``None``: no limit.

    Returns
    -------
    CordisInput
        An organizations table and a relationships table, the row counts, and notes on
        ambiguous input (a PIC seen with several types or countries, projects missing from
        the projects file).
    """
    orgs_table = Table(path.name, "organizations")
    result = CordisInput([orgs_table])
    seen = _Collector(orgs_table.problems)
    required, dates = ("rcn", "pic", "type", "country"), ("start_year", "start_date")
    rows = csv_rows(
        path, required, seen.problems, alternatives=dates, progress=progress, max_bytes=max_bytes
    )
    for line, row in rows:
        result.rows_read += 1
        result.rows_rejected += row is None or seen.participation(path.name, line, row)
    if projects is not None:
        years: dict[str, int] = {}
        parts = ("programme_parts", "programme_part")
        project_rows = csv_rows(
            projects, ("rcn",), seen.problems, alternatives=parts, max_bytes=max_bytes
        )
        for line, row in project_rows:
            result.rows_read += 1
            result.rows_rejected += row is None or seen.project(projects.name, line, row, years)
        for rcn, year in years.items():
            seen.years.setdefault(rcn, year)  # a participation's own start year wins
        unknown = sum(1 for rcn in seen.members if rcn not in seen.parts)
        if unknown:
            result.notes.append(
                f"{unknown} project(s) are not in {projects.name}: no programme tags for them"
            )
    orgs = seen.orgs
    conflicts = [pic for pic, org in orgs.items() if len(org.types) > 1 or len(org.countries) > 1]
    if conflicts:
        result.notes.append(
            f"{len(conflicts)} PIC(s) appear with different activity types or countries "
            f"(e.g. {', '.join(conflicts[:5])}); kept the most frequent (ties: the latest start)"
        )
    for note in result.notes:
        logger.info("%s: %s", path.name, note)  # the report carries them too
    ties = _pair(seen.members, seen.years, progress)
    orgs_table.records = [seen.organization(pic, org, source) for pic, org in orgs.items()]
    result.tables.append(Table(path.name, "relationships", _tie_records(ties, source)))
    result.records = len(orgs) + len(ties)
    return result


def _check_rcn(rcn: str | None, found: list[tuple[str, str]]) -> None:
    if rcn and not _RCN_RE.match(rcn):
        message = f"{excerpt(rcn)} is not a project number (1-50 letters, digits, . _ -)"
        found.append(("rcn", message))


def _start_year(row: dict[str, str | None], found: list[tuple[str, str]]) -> int | None:
    """The year of ``start_year``, else of ``start_date``; bad values are added to ``found``."""
    year = None
    date = row.get("start_date")
    if date is not None:
        match = _DATE_RE.match(date)
        if match:
            year = int(match.group(1))
        else:
            message = f"expected an ISO date (2019-05-31), got {excerpt(date)}"
            found.append(("start_date", message))
    text = row.get("start_year")
    if text is not None:
        if _YEAR_RE.match(text):
            year = int(text)
        else:
            found.append(("start_year", f"expected a year (2019), got {excerpt(text)}"))
    return year


def _vote(votes: _Votes, value: Any, start: tuple[int, str]) -> None:
    tally = votes.get(value)
    if tally is None:
        votes[value] = [1, start]
    else:
        tally[0] += 1
        tally[1] = max(tally[1], start)


def _winner(votes: _Votes) -> Any:
    """The most frequent value; ties go to the latest start, then to the larger value."""
    return max(votes.items(), key=lambda item: (*item[1], item[0] or ""))[0]


def _pair(
    members: dict[str, dict[str, int]], years: dict[str, int], progress: Progress | None
) -> dict[tuple[str, str], list[Any]]:
    """Every pair of organizations in a project: [shared projects, first year, line, rcns...]."""
    ties: dict[tuple[str, str], list[Any]] = {}
    ordered = sorted(members, key=lambda rcn: (len(rcn), rcn))  # numeric order for numbers
    for done, rcn in enumerate(ordered, start=1):
        project = members[rcn]
        year = years.get(rcn)
        for a, b in combinations(sorted(project), 2):
            tie = ties.get((a, b))
            if tie is None:
                ties[(a, b)] = [1, year, max(project[a], project[b]), rcn]
                continue
            tie[0] += 1
            if year is not None and (tie[1] is None or year < tie[1]):
                tie[1] = year
            if len(tie) < 3 + _EVIDENCE_RCNS:
                tie.append(rcn)
        if progress and (done % _TICK == 0 or done == len(ordered)):
            progress("pairing", done, len(ordered))
    return ties


def _tie_records(ties: dict[tuple[str, str], list[Any]], source: str) -> Iterator[Record]:
    """The ties as relationship records, freeing each as it goes."""
    while ties:
        (a, b), (count, year, line, *rcns) = ties.popitem()
        more = ", …" if count > len(rcns) else ""
        plural = "" if count == 1 else "s"
        evidence = f"{source}: {count} shared project{plural} (rcn {', '.join(rcns)}{more})"
        cells = {
            "source": f"pic-{a}",
            "target": f"pic-{b}",
            "type": "COLLABORATES_WITH",
            "weight": count,
            "since": None if year is None else str(year),
            "evidence": evidence,
        }
        yield Record(line, cells)
