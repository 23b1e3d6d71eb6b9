// FilterSpec for LadybugDB. Each constraint has a has_* flag; unused values are typed
// placeholders (LadybugDB types a null parameter as BOOL and an empty list as ANY[]).

// name: organization_filter
// The node predicate, included as %FILTER(x)%; written for the variable n. Case is folded as
// app.store.filtering.fold_case folds the values: lower case, final sigma as sigma, and the
// dotted i of a lowered İ as i (where the two databases' lower-casing differs).
($has_kinds = false OR n.kind IN $kinds)
AND ($has_types = false OR n.type IN $types)
AND ($has_sectors = false OR list_has_any(n.sectors, $sectors))
AND ($has_regions = false
     OR replace(replace(lower(n.region), '\u03c2', '\u03c3'), 'i\u0307', 'i') IN $regions)
AND ($has_countries = false OR n.country IN $countries)
AND ($has_tags = false OR list_has_any(n.tags, $tags))
AND ($has_clusters = false
     OR EXISTS { MATCH (n)-[:MEMBER_OF]->(member_of:Cluster) WHERE member_of.id IN $clusters })
AND ($has_min_employees = false OR n.employees >= $min_employees)
AND ($has_max_employees = false OR n.employees <= $max_employees)
AND ($has_founded_from = false OR n.founded >= $founded_from)
AND ($has_founded_to = false OR n.founded <= $founded_to)
AND ($has_search = false
     OR replace(replace(lower(n.name), '\u03c2', '\u03c3'), 'i\u0307', 'i') CONTAINS $search)

// name: filter_outgoing
// Every relationship leaving a matching organization, MEMBER_OF included; the store keeps
// those whose target matches too. Filtering the nodes first (WITH) evaluates the predicate
// once per node instead of once per relationship.
MATCH (a) WHERE %FILTER(a)%
WITH a
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// name: stored_sectors
MATCH (n) UNWIND n.sectors AS sector RETURN DISTINCT sector

// name: filter_organizations_in_clusters
// filter_organizations when the filter names clusters: start from those clusters' members
// instead of testing every node (the same rows; LadybugDB plans the anchored walk far better).
MATCH (anchor:Cluster)<-[:MEMBER_OF]-(n) WHERE anchor.id IN $clusters
WITH DISTINCT n WHERE %FILTER(n)%
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at
ORDER BY id SKIP $offset LIMIT $limit

// name: count_organizations_in_clusters
MATCH (anchor:Cluster)<-[:MEMBER_OF]-(n) WHERE anchor.id IN $clusters
WITH DISTINCT n WHERE %FILTER(n)%
RETURN count(*) AS count

// name: filter_outgoing_in_clusters
// filter_outgoing when the filter names clusters, anchored the same way (5x faster on the
// 10k-organization benchmark graph).
MATCH (anchor:Cluster)<-[:MEMBER_OF]-(a) WHERE anchor.id IN $clusters
WITH DISTINCT a WHERE %FILTER(a)%
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// The "brief" and "ties" variants return only what the analyses read (app.vocabulary.
// ANALYSIS_PROPERTIES; a relationship's ends, type and weight): list and text columns cost
// LadybugDB most of a filtered read's time.

// name: filter_organizations_brief
MATCH (n) WHERE %FILTER(n)%
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.region AS region, n.country AS country
ORDER BY id SKIP $offset LIMIT $limit

// name: filter_organizations_in_clusters_brief
MATCH (anchor:Cluster)<-[:MEMBER_OF]-(n) WHERE anchor.id IN $clusters
WITH DISTINCT n WHERE %FILTER(n)%
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.region AS region, n.country AS country
ORDER BY id SKIP $offset LIMIT $limit

// name: filter_outgoing_ties
MATCH (a) WHERE %FILTER(a)%
WITH a
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight

// name: filter_outgoing_ties_in_clusters
MATCH (anchor:Cluster)<-[:MEMBER_OF]-(a) WHERE anchor.id IN $clusters
WITH DISTINCT a WHERE %FILTER(a)%
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight
