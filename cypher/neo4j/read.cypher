// Reads in Neo4j syntax (labels(n), type(r)). Whole-graph reads match only the EcoMap labels, so
// a database that also holds other data counts, scans and exports the ecosystem alone.

// name: count_nodes_by_label
MATCH (n:Company|Institution|Cluster) UNWIND labels(n) AS label
RETURN label, count(*) AS count

// name: count_relationships_by_type
MATCH (:Company|Institution|Cluster)-[r]->(:Company|Institution|Cluster)
RETURN type(r) AS type, count(*) AS count

// name: organization_kinds
MATCH (n:Company|Institution|Cluster) RETURN n.id AS id, n.kind AS kind

// name: all_organizations
MATCH (n:Company|Institution|Cluster)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at
ORDER BY id

// name: scan_organizations
MATCH (n:Company|Institution|Cluster)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at

// name: all_relationships
MATCH (a:Company|Institution|Cluster)-[r]->(b:Company|Institution|Cluster)
RETURN a.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at
ORDER BY source, type, target

// name: scan_relationships
MATCH (a:Company|Institution|Cluster)-[r]->(b:Company|Institution|Cluster)
RETURN a.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence, r.updated_at AS updated_at

// name: locate_organizations
// The stored organizations among $ids, through the id index of each label (one seek per label
// and id; a label disjunction or an unlabelled match would scan). elementId addresses a node
// for the rest of the same transaction.
MATCH (n:Company) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind, elementId(n) AS element_id
UNION ALL
MATCH (n:Institution) WHERE n.id IN $ids
RETURN n.id AS id, n.kind AS kind, elementId(n) AS element_id
UNION ALL
MATCH (n:Cluster) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind, elementId(n) AS element_id

// name: organizations_by_element_id
MATCH (n) WHERE elementId(n) IN $element_ids
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at

// name: store_version
// The version token: it changes with every committed write, by any process.
MATCH (s:EcoMapState {key: 'store'}) RETURN s.version AS version
