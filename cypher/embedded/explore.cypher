// Walks in LadybugDB: a breadth-first search (SHORTEST) whose every step passes the filter of
// the recursive pattern: a node of an allowed kind, over a relationship of an allowed type.
// Expanding one more hop from the walked nodes ("-(x)-[r]->(y)") is far faster here than
// joining on a list of ids. SHORTEST needs a lower bound of 1, so the center comes by UNION.
// The start node is labeled (its kind is looked up first): labeled lookups cost far less.

// name: walk_distances
MATCH p = (a:%LABEL% {id: $id})-[* SHORTEST 1..%MAX_LENGTH% (e, n | WHERE n.kind IN $kinds
    AND ($has_rel_types = false OR label(e) IN $rel_types))]-(b)
RETURN b.id AS id, length(p) AS distance

// name: ego_organizations
MATCH (b:%LABEL% {id: $id})
RETURN b.id AS id, b.name AS name, b.kind AS kind, b.type AS type, b.sectors AS sectors,
       b.tags AS tags, b.city AS city, b.region AS region, b.country AS country, b.lat AS lat,
       b.lon AS lon, b.employees AS employees, b.founded AS founded, b.website AS website,
       b.description AS description, b.source AS source, b.updated_at AS updated_at,
       b.verified_at AS verified_at, b.verified_by AS verified_by,
       0 AS distance
UNION ALL
MATCH p = (a:%LABEL% {id: $id})-[* SHORTEST 1..%MAX_LENGTH% (e, n | WHERE n.kind IN $kinds
    AND ($has_rel_types = false OR label(e) IN $rel_types))]-(b)
RETURN b.id AS id, b.name AS name, b.kind AS kind, b.type AS type, b.sectors AS sectors,
       b.tags AS tags, b.city AS city, b.region AS region, b.country AS country, b.lat AS lat,
       b.lon AS lon, b.employees AS employees, b.founded AS founded, b.website AS website,
       b.description AS description, b.source AS source, b.updated_at AS updated_at,
       b.verified_at AS verified_at, b.verified_by AS verified_by,
       length(p) AS distance

// name: ego_relationships
MATCH (x:%LABEL% {id: $id})-[r]->(y)
RETURN x.id AS source, label(r) AS type, y.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence
UNION ALL
MATCH (a:%LABEL% {id: $id})-[* SHORTEST 1..%MAX_LENGTH% (e, n | WHERE n.kind IN $kinds
    AND ($has_rel_types = false OR label(e) IN $rel_types))]-(x)-[r]->(y)
RETURN x.id AS source, label(r) AS type, y.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// name: ego_memberships
MATCH (x:%LABEL% {id: $id})-[:MEMBER_OF]->(c:Cluster)
RETURN x.id AS source, c.id AS target
UNION ALL
MATCH (a:%LABEL% {id: $id})-[* SHORTEST 1..%MAX_LENGTH% (e, n | WHERE n.kind IN $kinds
    AND ($has_rel_types = false OR label(e) IN $rel_types))]-(x)-[:MEMBER_OF]->(c:Cluster)
RETURN x.id AS source, c.id AS target

// name: relationships_among
MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence
