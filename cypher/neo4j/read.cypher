// Reads in Neo4j syntax (labels, type(r), elementId). Every read starts from a label: a seek in
// a label's id index (the uniqueness constraints of schema.cypher), a label scan where a whole
// label is wanted, or an expansion from nodes found so. Whole-graph reads match only the EcoMap
// labels, so a database that also holds other data counts, scans and exports the ecosystem
// alone (%ORGANIZATION% is Company|Institution|Cluster: never the EcoMapState, ChangeSet,
// ChangeChunk or User nodes). A label disjunction with an id predicate
// ((n:%ORGANIZATION%) WHERE n.id ...) is planned as one id-index seek per label; a disjunction without one may become an
// AllNodesScan on a small database, so whole-label reads union one scan per label instead.
// tests/test_neo4j_plans.py checks every plan.

// name: count_nodes_by_label
// From the count store: no node is read.
MATCH (n:Company) RETURN 'Company' AS label, count(n) AS count
UNION ALL
MATCH (n:Institution) RETURN 'Institution' AS label, count(n) AS count
UNION ALL
MATCH (n:Cluster) RETURN 'Cluster' AS label, count(n) AS count

// name: count_relationships_by_type
CALL () {
  MATCH (a:Company) RETURN a
  UNION ALL
  MATCH (a:Institution) RETURN a
  UNION ALL
  MATCH (a:Cluster) RETURN a
}
MATCH (a)-[r]->(b:%ORGANIZATION%)
RETURN type(r) AS type, count(*) AS count

// name: organization_kinds
CALL () {
  MATCH (n:Company) RETURN n
  UNION ALL
  MATCH (n:Institution) RETURN n
  UNION ALL
  MATCH (n:Cluster) RETURN n
}
RETURN n.id AS id, n.kind AS kind

// name: all_organizations
// Sorted by the store, as the embedded store sorts.
CALL () {
  MATCH (n:Company) RETURN n
  UNION ALL
  MATCH (n:Institution) RETURN n
  UNION ALL
  MATCH (n:Cluster) RETURN n
}
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: scan_organizations
// Not sent by the Neo4j store (upserts read only the ids they write: organizations_by_id);
// kept as the labelled form of the shared statement.
CALL () {
  MATCH (n:Company) RETURN n
  UNION ALL
  MATCH (n:Institution) RETURN n
  UNION ALL
  MATCH (n:Cluster) RETURN n
}
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: all_relationships
// Expanded from the organizations; sorted by the store.
CALL () {
  MATCH (a:Company) RETURN a
  UNION ALL
  MATCH (a:Institution) RETURN a
  UNION ALL
  MATCH (a:Cluster) RETURN a
}
MATCH (a)-[r]->(b:%ORGANIZATION%)
RETURN a.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: get_organization
MATCH (n:%ORGANIZATION%) WHERE n.id = $id
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: kind_of
MATCH (n:%ORGANIZATION%) WHERE n.id = $id RETURN n.kind AS kind

// name: organizations_by_id
// The stored organizations among $ids (what an upsert compares its rows with).
MATCH (n:%ORGANIZATION%) WHERE n.id IN $ids
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: relationships_by_key
// The stored relationships among $keys ({source, target} rows) of one type between two labels.
// Both ends are sought in their id index (a CALL each: two MATCHes side by side would be a
// CartesianProduct), then Expand(Into) checks the end with fewer relationships: a key costs
// the same whether an end is a hub or not.
UNWIND $keys AS key
WITH key.source AS source_id, key.target AS target_id
CALL (source_id) { MATCH (a:%FROM_LABEL% {id: source_id}) RETURN a }
CALL (target_id) { MATCH (b:%TO_LABEL% {id: target_id}) RETURN b }
MATCH (a)-[r:%REL_TYPE%]->(b)
RETURN a.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: relationships_of
// Every relationship with an end among $ids, either way, MEMBER_OF included (a relationship
// between two of them comes twice: the store keeps one).
MATCH (n:%ORGANIZATION%) WHERE n.id IN $ids
MATCH (n)-[r]-(:%ORGANIZATION%)
RETURN startNode(r).id AS source, type(r) AS type, endNode(r).id AS target, r.weight AS weight,
       r.since AS since, r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: locate_organizations
// The stored organizations among $ids, through the id index of each label. elementId addresses
// a node for the rest of the same transaction.
MATCH (n:%ORGANIZATION%) WHERE n.id IN $ids
RETURN n.id AS id, n.kind AS kind, elementId(n) AS element_id

// name: organizations_by_element_id
// One seek per element id (with "elementId(n) IN $list" the planner may scan every node of a
// small database).
UNWIND $element_ids AS element_id
MATCH (n) WHERE elementId(n) = element_id
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: store_version
// The version token: it changes with every committed write, by any process.
MATCH (s:EcoMapState {key: 'store'}) RETURN s.version AS version
