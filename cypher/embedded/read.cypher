// Reads that use LadybugDB functions (label() of a node or relationship).

// name: count_nodes_by_label
MATCH (n) RETURN label(n) AS label, count(*) AS count

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
MATCH (n)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.region AS region, n.country AS country
