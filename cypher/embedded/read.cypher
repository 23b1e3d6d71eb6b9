// Reads that use LadybugDB functions (label() of a node or relationship).
// An unlabeled node pattern scans every node table, change sets and people included: a
// pattern that means organizations names their tables (%ORGANIZATION%, Company:Institution:
// Cluster). A relationship pattern ((a)-[r]->(b), ()-[r]->()) reaches only the ends its
// relationship tables join, which are organizations alone (schema.cypher).

// name: count_nodes_by_label
MATCH (n:%ORGANIZATION%) RETURN label(n) AS label, count(*) AS count

// name: count_relationships_by_type
MATCH ()-[r]->() RETURN label(r) AS type, count(*) AS count

// name: all_relationships
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at
ORDER BY source, type, target

// name: scan_relationships
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: scan_ties
// scan_relationships without the provenance columns: all the collaboration network needs.
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight

// name: scan_organizations_brief
// scan_organizations with only the properties the analyses read (see filter.cypher).
MATCH (n:%ORGANIZATION%)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.region AS region, n.country AS country

// Records by identity (edits, history). Ids come as an UNWIND list: each is a primary-key
// lookup (an "id IN $list" predicate tests every row against the whole list). Not LOAD FROM
// an Arrow table: LadybugDB 0.22 keeps buffer pool pages of every LOAD FROM run in a read-only
// transaction until the pool is full (tests/test_store_records.py reads a thousand times).

// name: organizations_by_id
UNWIND $ids AS id
MATCH (n:%ORGANIZATION% {id: id})
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: kinds_by_id
UNWIND $ids AS id
MATCH (n:%ORGANIZATION% {id: id})
RETURN n.id AS id, n.kind AS kind

// name: relationships_by_key
// The stored relationships among the keys' (source, target) of one type between two labels.
UNWIND $keys AS key
MATCH (a:%FROM_LABEL% {id: key.source})-[r:%REL_TYPE%]->(b:%TO_LABEL% {id: key.target})
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: relationships_of_organization
// Every relationship of one organization, either way (a relationship between two organizations
// of a batch comes twice: the store keeps one).
MATCH (a:%ORGANIZATION% {id: $id})-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at
UNION ALL
MATCH (a)-[r]->(b:%ORGANIZATION% {id: $id})
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: relationships_of_organizations
// relationships_of_organization for a batch of ids.
UNWIND $ids AS id
MATCH (a:%ORGANIZATION% {id: id})-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at
UNION ALL
UNWIND $ids AS id
MATCH (a)-[r]->(b:%ORGANIZATION% {id: id})
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at
