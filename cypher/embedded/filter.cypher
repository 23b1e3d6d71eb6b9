// FilterSpec for LadybugDB. A list that nothing may satisfy is a typed placeholder, never an
// empty list (LadybugDB types an empty list as ANY[]).

// The node predicate, one block per FilterSpec constraint, each written for the node %NODE%:
// %FILTER(x)% includes the AND of the clauses of the constraints in use, with x for %NODE%
// (app.store.queries; a constraint not in use has no clause, rather than a clause made true).

// name: organization_filter_kinds
%NODE%.kind IN $kinds

// name: organization_filter_types
%NODE%.type IN $types

// name: organization_filter_sectors
list_has_any(%NODE%.sectors, $sectors)

// name: organization_filter_regions
// Case is folded as app.store.filtering.fold_case folds the values: lower case, final sigma as
// sigma, and the dotted i of a lowered İ as i (where the two databases' lower-casing differs).
replace(replace(lower(%NODE%.region), '\u03c2', '\u03c3'), 'i\u0307', 'i') IN $regions

// name: organization_filter_countries
%NODE%.country IN $countries

// name: organization_filter_tags
list_has_any(%NODE%.tags, $tags)

// name: organization_filter_clusters
EXISTS { MATCH (%NODE%)-[:MEMBER_OF]->(member_of:Cluster) WHERE member_of.id IN $clusters }

// name: organization_filter_min_employees
%NODE%.employees >= $min_employees

// name: organization_filter_max_employees
%NODE%.employees <= $max_employees

// name: organization_filter_founded_from
%NODE%.founded >= $founded_from

// name: organization_filter_founded_to
%NODE%.founded <= $founded_to

// name: organization_filter_search
// Case folded as in organization_filter_regions.
replace(replace(lower(%NODE%.name), '\u03c2', '\u03c3'), 'i\u0307', 'i') CONTAINS $search

// name: organization_filter_stale_since
// Never verified, or verified before the moment: timestamps are ISO text in UTC
// (app.fields.check_timestamp), which compare as text.
%NODE%.verified_at IS NULL OR %NODE%.verified_at < $stale_since

// name: filter_outgoing
// Every relationship leaving a matching organization, MEMBER_OF included; the store keeps
// those whose target matches too. Filtering the nodes first (WITH) evaluates the predicate
// once per node instead of once per relationship.
MATCH (a:%ORGANIZATION%) WHERE %FILTER(a)%
WITH a
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// name: stored_sectors
MATCH (n:%ORGANIZATION%) UNWIND n.sectors AS sector RETURN DISTINCT sector

// name: filter_organizations_in_clusters
// filter_organizations when the filter names clusters: start from those clusters' members
// instead of testing every node (the same rows; LadybugDB plans the anchored walk far better).
MATCH (anchor:Cluster)<-[:MEMBER_OF]-(n) WHERE anchor.id IN $clusters
WITH DISTINCT n WHERE %FILTER(n)%
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by
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
MATCH (n:%ORGANIZATION%) WHERE %FILTER(n)%
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
MATCH (a:%ORGANIZATION%) WHERE %FILTER(a)%
WITH a
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight

// name: filter_outgoing_ties_in_clusters
MATCH (anchor:Cluster)<-[:MEMBER_OF]-(a) WHERE anchor.id IN $clusters
WITH DISTINCT a WHERE %FILTER(a)%
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight
