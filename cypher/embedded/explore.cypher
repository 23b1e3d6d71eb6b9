// Walks in LadybugDB: a breadth-first search (SHORTEST) whose every step passes the filter of
// the recursive pattern: a node of an allowed kind, over a relationship of an allowed type.

// name: walk_distances
MATCH p = (a {id: $id})-[* SHORTEST 1..%MAX_LENGTH% (r, n | WHERE n.kind IN $kinds
    AND ($has_rel_types = false OR label(r) IN $rel_types))]-(b)
RETURN b.id AS id, min(length(p)) AS distance

// name: relationships_among
MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence
