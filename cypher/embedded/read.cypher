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

// Records by identity (edits, history). Ids and keys travel as lists to UNWIND, never as
// LOAD FROM tables: a connection keeps what it prepared for each Arrow table until it closes
// (some MiB of buffer pool each), and reads run on pooled connections. Each id is then one
// primary-key lookup (an "id IN $list" predicate would test every row against the list).

// name: organizations_by_id
UNWIND $ids AS i
MATCH (n:%ORGANIZATION% {id: i})
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: kinds_by_id
UNWIND $ids AS i
MATCH (n:%ORGANIZATION% {id: i})
RETURN n.id AS id, n.kind AS kind

// name: relationship_by_key
// One relationship of one type between two labels: a lookup of each end, milliseconds (for
// more than a few keys the store reads scan_relationships once instead).
MATCH (a:%FROM_LABEL% {id: $source})-[r:%REL_TYPE%]->(b:%TO_LABEL% {id: $target})
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: relationships_of_organization
// Every relationship of one organization, either way (for more organizations the store reads
// scan_relationships once: a statement over a list of ids costs a pass over every
// relationship table anyway).
MATCH (a:%ORGANIZATION% {id: $id})-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at
UNION ALL
MATCH (a)-[r]->(b:%ORGANIZATION% {id: $id})
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at
