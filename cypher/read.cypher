// Reads shared by both dialects.

// name: get_organization
MATCH (n:%ORGANIZATION%) WHERE n.id = $id
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: all_organizations
MATCH (n:%ORGANIZATION%)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by
ORDER BY id

// name: organization_kinds
MATCH (n:%ORGANIZATION%) RETURN n.id AS id, n.kind AS kind

// name: scan_organizations
MATCH (n:%ORGANIZATION%)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by

// name: kind_of
MATCH (n:%ORGANIZATION% {id: $id}) RETURN n.kind AS kind
