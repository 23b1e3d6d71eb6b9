// Walks in Neo4j: a breadth-first search driven level by level from Python (app/store/neo4j.py).
// Each step expands the current frontier (element ids) by one relationship in either direction,
// to nodes of an allowed kind over relationships of an allowed type; Python drops the nodes
// already seen. The work is one expansion per relationship of each visited node, never a path
// enumeration.

// name: walk_step
UNWIND $frontier AS from_id
MATCH (a)-[r]-(b:%ORGANIZATION%)
WHERE elementId(a) = from_id AND b.kind IN $kinds
  AND ($has_rel_types = false OR type(r) IN $rel_types)
RETURN DISTINCT elementId(b) AS element_id, b.id AS id

// name: relationships_among_elements
// One seek per element id (UNWIND: with "elementId(a) IN $list" the planner may scan every
// relationship of a small database), then an expansion from each.
UNWIND $element_ids AS element_id
MATCH (a:%ORGANIZATION%) WHERE elementId(a) = element_id
MATCH (a)-[r]->(b:%ORGANIZATION%) WHERE elementId(b) IN $element_ids
RETURN a.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// name: memberships_by_element_id
UNWIND $element_ids AS element_id
MATCH (n) WHERE elementId(n) = element_id
MATCH (n)-[:MEMBER_OF]->(c:Cluster)
RETURN n.id AS source, c.id AS target
