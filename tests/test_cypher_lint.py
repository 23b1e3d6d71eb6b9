"""Every Neo4j-dialect statement passes Neo4j's own Cypher linter.

``tools/cypher-lint/lint.mjs`` runs ``lintCypherQuery`` from the npm package
``@neo4j-cypher/language-support`` (installed by ``make test``). Each statement of
``load_queries("neo4j")`` (shared + ``cypher/neo4j/`` overrides) is rendered with every valid
filling of its vocabulary slots (a ``%FILTER(x)%`` with the clause of every FilterSpec
constraint, and each clause alone inside a minimal statement too) and linted as Cypher 5, the
default language of Neo4j 5 and 2025.x (deprecations, which Cypher 25 removes, are warnings
and so fail the test too). The schema comes from ``app.vocabulary``: the labels, the
relationship types with their allowed endpoints, the property keys; ``lint.mjs`` adds Neo4j's
built-in functions and procedures. So a LadybugDB-only function, a misspelt label or property,
or a relationship drawn between kinds it cannot join is reported.

The only diagnostic filtered out is the undeclared parameter error (message
``Parameter $name is not defined.``): values travel as ``$parameters`` by design and the linter
only knows parameters declared up front in its schema.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.store.queries import FILTER_CLAUSES, load_queries, query
from app.vocabulary import (
    ENDPOINTS,
    LABELS,
    ORGANIZATION_PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    Kind,
    RelType,
)

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "tools/cypher-lint"
PACKAGE = LINTER / "node_modules/@neo4j-cypher/language-support"

#: Neo4j's semantic analysis costs 30-400 ms a statement; adding "CYPHER 25" doubles the run.
CYPHER_VERSIONS = ("CYPHER 5",)

#: The linter's undeclared parameter error, e.g. ``Parameter $id is not defined.``
#: (the same test as the package's own ``isNotParamError``).
UNDECLARED_PARAMETER = re.compile(r"^Parameter \$\S+ is not defined\.$")

#: Statements that are fragments included into others (the clauses of ``%FILTER(x)%``), linted
#: inside a minimal statement with ``%NODE%`` filled with its node.
FRAGMENTS = {name: "MATCH (n) WHERE {} RETURN n.id AS id" for name in FILTER_CLAUSES.values()}
FRAGMENT_SLOTS = {"%NODE%": "n"}
#: The statements that include the fragments are linted with every clause in their predicate.
EVERY_CONSTRAINT = frozenset(FILTER_CLAUSES)

#: Statements Neo4j must reject, proving the linter runs and the schema is in force.
SELF_CHECK = {
    "self_check_syntax": "MATCH (n) RETRUN n",
    "self_check_ladybug_function": "MATCH (n) RETURN label(n) AS label",
    "self_check_ladybug_copy": "COPY Company FROM $rows",
    "self_check_ladybug_ddl": "CREATE NODE TABLE Company(id STRING PRIMARY KEY)",
    "self_check_unknown_label": "MATCH (n:Compnay) RETURN n.id AS id",
    "self_check_impossible_relationship": "MATCH (a:Cluster)-[:SUPPLIES]->(b) RETURN b.id AS id",
}

#: Valid but for its parameters, which the linter reports as undeclared.
PARAMETERS_ONLY = "MATCH (n:Company) WHERE n.id = $id AND n.kind IN $kinds RETURN n.name AS name"

Slots = dict[str, Any]


#: The node that holds the Neo4j store's version token (cypher/neo4j/write.cypher, lock_store).
STATE_LABEL, STATE_PROPERTIES = "EcoMapState", ("key", "version", "writer")
#: The nodes of change sets and people (cypher/history.cypher), of dismissed suggestions
#: (cypher/suggestions.cypher) and of saved views (cypher/views.cypher), and their properties.
HISTORY_LABELS = ("ChangeSet", "ChangeChunk", "User", "Dismissal", "SavedView")
HISTORY_PROPERTIES = (
    *("id", "at", "author", "source"),
    *("key", "change_set", "seq", "entities", "changes"),
    *("name", "role", "clusters", "token_digest", "created_at"),
    *("key", "source", "target", "method", "score", "by", "at"),
    *("name", "owner", "shared", "filters", "display", "created_at", "updated_at"),
)


def _schema() -> dict[str, Any]:
    return {
        "labels": sorted([*LABELS.values(), STATE_LABEL, *HISTORY_LABELS]),
        "relationshipTypes": [rel_type.value for rel_type in RelType],
        "propertyKeys": sorted(
            {
                *ORGANIZATION_PROPERTIES,
                *RELATIONSHIP_PROPERTIES,
                *STATE_PROPERTIES,
                *HISTORY_PROPERTIES,
            }
        ),
        "graphSchema": [
            {"from": LABELS[source], "to": LABELS[target], "relType": rel_type.value}
            for rel_type, (sources, targets) in ENDPOINTS.items()
            for source in sorted(sources)
            for target in sorted(targets)
        ],
    }


def _endpoint_fillings(text: str) -> list[Slots]:
    """Fillings of ``%REL_TYPE%``, ``%FROM_LABEL%`` and ``%TO_LABEL%`` (allowed pairs only)."""
    has_rel, has_from, has_to = (
        slot in text for slot in ("%REL_TYPE%", "%FROM_LABEL%", "%TO_LABEL%")
    )
    if not (has_from or has_to):
        return [{"rel_type": rel_type} for rel_type in RelType] if has_rel else [{}]
    fillings = {
        (rel_type if has_rel else None, source if has_from else None, target if has_to else None)
        for rel_type, (sources, targets) in ENDPOINTS.items()
        for source, target in itertools.product(sources, targets)
    }
    return [
        {"rel_type": rel_type, "from_label": source, "to_label": target}
        for rel_type, source, target in sorted(fillings, key=str)
    ]


def _fillings(text: str) -> Iterator[Slots]:
    labels: list[Slots] = [{"label": kind} for kind in Kind] if "%LABEL%" in text else [{}]
    for label, endpoints in itertools.product(labels, _endpoint_fillings(text)):
        yield {**label, **endpoints}


def _neo4j_statements() -> list[dict[str, str]]:
    statements = []
    for name, raw in sorted(load_queries("neo4j").items()):
        if name in FRAGMENTS:
            text = raw
            for slot, value in FRAGMENT_SLOTS.items():
                text = text.replace(slot, value)
            statements.append({"name": name, "text": FRAGMENTS[name].format(text)})
            continue
        for slots in _fillings(raw):
            text = query("neo4j", name, **slots, where=EVERY_CONSTRAINT)
            shown = ", ".join(f"{key}={value}" for key, value in slots.items() if value)
            label = f"{name}[{shown}]" if shown else name
            statements.append({"name": label, "text": text})
    return statements


def _run_linter(statements: list[dict[str, str]]) -> list[dict[str, Any]]:
    if not (PACKAGE / "package.json").is_file():
        pytest.fail(
            f"{PACKAGE.relative_to(ROOT)} is missing: run `make test`, which installs the Cypher "
            "linter (npm ci --prefix tools/cypher-lint)",
            pytrace=False,
        )
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (`node`) is needed to lint Cypher: install Node.js 20 or newer")
    payload = {
        "schema": _schema(),
        "statements": [
            {**statement, "cypherVersion": version}
            for statement in statements
            for version in CYPHER_VERSIONS
        ],
    }
    done = subprocess.run(
        [node, str(LINTER / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"lint.mjs failed ({done.returncode}):\n{done.stderr}"
    results: list[dict[str, Any]] = json.loads(done.stdout)
    assert len(results) == len(payload["statements"])
    return results


@pytest.fixture(scope="module")
def linted() -> tuple[list[dict[str, str]], dict[str, list[dict[str, Any]]]]:
    """One linter run for the whole module: the Neo4j statements, then the self-check ones."""
    statements = _neo4j_statements()
    checks = [{"name": name, "text": text} for name, text in SELF_CHECK.items()]
    checks.append({"name": "self_check_parameters_only", "text": PARAMETERS_ONLY})
    by_name: dict[str, list[dict[str, Any]]] = {}
    for result in _run_linter(statements + checks):
        by_name.setdefault(result["name"], []).append(result)
    return statements, by_name


def _reported(results: list[dict[str, Any]]) -> list[str]:
    return [
        f"{result['cypherVersion']} {d['line']}:{d['column']} {d['severity']}: {d['message']}"
        for result in results
        for d in result["diagnostics"]
        if not UNDECLARED_PARAMETER.match(d["message"])
    ]


def test_every_neo4j_statement_passes_the_neo4j_linter(
    linted: tuple[list[dict[str, str]], dict[str, list[dict[str, Any]]]],
) -> None:
    statements, by_name = linted
    assert statements, "no Neo4j-dialect statements found"
    failures = {
        statement["name"]: found
        for statement in statements
        if (found := _reported(by_name[statement["name"]]))
    }
    assert not failures, "Neo4j's linter rejects:\n" + "\n".join(
        f"- {name}:\n    " + "\n    ".join(messages) for name, messages in failures.items()
    )


@pytest.mark.parametrize("name", sorted(SELF_CHECK))
def test_the_linter_rejects_what_neo4j_rejects(
    linted: tuple[list[dict[str, str]], dict[str, list[dict[str, Any]]]], name: str
) -> None:
    _, by_name = linted
    results = by_name[name]
    assert {result["cypherVersion"] for result in results} == set(CYPHER_VERSIONS)
    for result in results:
        assert _reported([result]), f"{result['cypherVersion']} accepted {SELF_CHECK[name]!r}"


def test_the_filter_matches_the_linters_parameter_message(
    linted: tuple[list[dict[str, str]], dict[str, list[dict[str, Any]]]],
) -> None:
    """A statement that is valid but for its parameters gets exactly the filtered diagnostics."""
    _, by_name = linted
    for result in by_name["self_check_parameters_only"]:
        messages = [d["message"] for d in result["diagnostics"]]
        assert sorted(messages) == [
            "Parameter $id is not defined.",
            "Parameter $kinds is not defined.",
        ]
        assert all(UNDECLARED_PARAMETER.match(message) for message in messages)


def test_slot_fillings_follow_the_vocabulary() -> None:
    """Each slot is filled with every value the vocabulary allows there, and nothing else."""
    assert [slots["label"] for slots in _fillings("%LABEL%")] == list(Kind)
    assert [slots["rel_type"] for slots in _fillings("%REL_TYPE%")] == list(RelType)
    typed = list(_fillings("%REL_TYPE% %FROM_LABEL% %TO_LABEL%"))
    assert len(typed) == sum(len(sources) * len(targets) for sources, targets in ENDPOINTS.values())
    for slots in typed:
        sources, targets = ENDPOINTS[slots["rel_type"]]
        assert slots["from_label"] in sources and slots["to_label"] in targets
    assert len(list(_fillings("%FROM_LABEL% %TO_LABEL%"))) == len(Kind) ** 2
    assert len(list(_fillings("%LABEL% %REL_TYPE%"))) == len(Kind) * len(RelType)
    assert list(_fillings("MATCH (n) RETURN n")) == [{}]
