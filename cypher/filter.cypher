// FilterSpec reads shared by both dialects (the node predicate is per dialect).

// name: filter_organizations
MATCH (n:%ORGANIZATION%) WHERE %FILTER(n)%
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by
ORDER BY id SKIP $offset LIMIT $limit

// name: count_organizations
// How many organizations filter_organizations pages through: a listing asks the engine for a
// page only when its offset is below this count (LadybugDB 0.22 crashes on ORDER BY ... SKIP
// far past the last row, tools/repro/lbug_skip_past_end.py).
MATCH (n:%ORGANIZATION%) WHERE %FILTER(n)%
RETURN count(*) AS count
