// Exploration reads shared by both dialects.

// name: organizations_by_id
MATCH (n) WHERE n.id IN $ids
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at

// name: memberships_of
MATCH (n)-[:MEMBER_OF]->(c:Cluster) WHERE n.id IN $ids
RETURN n.id AS source, c.id AS target
