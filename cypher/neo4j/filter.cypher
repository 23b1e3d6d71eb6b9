// FilterSpec for Neo4j; the same parameters as the LadybugDB version. A filter starts from the
// labels of the kinds it wants (a scan per label, each skipped unless its kind is in $kinds:
// the label stands for the kinds clause, which the store leaves out), or, when it names
// clusters, from those clusters (their id index) and their MEMBER_OF relationships (the
// *_in_clusters statements; the store leaves the clusters clause out). Relationships are
// expanded from the organizations found, never matched on both ends (in a CALL: after a
// selective filter, the planner may otherwise scan every relationship of a small database).

// The node predicate, one block per FilterSpec constraint, each written for the node %NODE%:
// %FILTER(x)% includes the AND of the clauses of the constraints in use, with x for %NODE%
// (app.store.queries; a constraint not in use has no clause, rather than a clause made true).

// name: organization_filter_kinds
%NODE%.kind IN $kinds

// name: organization_filter_types
%NODE%.type IN $types

// name: organization_filter_sectors
any(sector IN %NODE%.sectors WHERE sector IN $sectors)

// name: organization_filter_regions
// Case is folded as app.store.filtering.fold_case folds the values: lower case, final sigma as
// sigma, and the dotted i of a lowered İ as i (where the two databases' lower-casing differs).
replace(replace(toLower(%NODE%.region), '\u03c2', '\u03c3'), 'i\u0307', 'i') IN $regions

// name: organization_filter_countries
%NODE%.country IN $countries

// name: organization_filter_tags
any(tag IN %NODE%.tags WHERE tag IN $tags)

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
replace(replace(toLower(%NODE%.name), '\u03c2', '\u03c3'), 'i\u0307', 'i') CONTAINS $search

// name: organization_filter_stale_since
// Never verified, or verified before the moment: timestamps are ISO text in UTC
// (app.fields.check_timestamp), which compare as text.
%NODE%.verified_at IS NULL OR %NODE%.verified_at < $stale_since

// name: filter_organizations
CALL () {
  WITH 'company' AS kind WHERE kind IN $kinds MATCH (n:Company) RETURN n
  UNION ALL
  WITH 'institution' AS kind WHERE kind IN $kinds MATCH (n:Institution) RETURN n
  UNION ALL
  WITH 'cluster' AS kind WHERE kind IN $kinds MATCH (n:Cluster) RETURN n
}
WITH n WHERE %FILTER(n)%
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by
ORDER BY id SKIP $offset LIMIT $limit

// name: filter_organizations_in_clusters
MATCH (anchor:Cluster) WHERE anchor.id IN $clusters
MATCH (anchor)<-[:MEMBER_OF]-(n)
WITH DISTINCT n WHERE %FILTER(n)%
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.type AS type, n.sectors AS sectors,
       n.tags AS tags, n.city AS city, n.region AS region, n.country AS country, n.lat AS lat,
       n.lon AS lon, n.employees AS employees, n.founded AS founded, n.website AS website,
       n.description AS description, n.source AS source, n.updated_at AS updated_at,
       n.verified_at AS verified_at, n.verified_by AS verified_by
ORDER BY id SKIP $offset LIMIT $limit

// name: count_organizations
// The matches of filter_organizations, counted: a listing sends its page (SKIP) only when the
// offset is below this count.
CALL () {
  WITH 'company' AS kind WHERE kind IN $kinds MATCH (n:Company) RETURN n
  UNION ALL
  WITH 'institution' AS kind WHERE kind IN $kinds MATCH (n:Institution) RETURN n
  UNION ALL
  WITH 'cluster' AS kind WHERE kind IN $kinds MATCH (n:Cluster) RETURN n
}
WITH n WHERE %FILTER(n)%
RETURN count(n) AS count

// name: count_organizations_in_clusters
MATCH (anchor:Cluster) WHERE anchor.id IN $clusters
MATCH (anchor)<-[:MEMBER_OF]-(n)
WITH DISTINCT n WHERE %FILTER(n)%
RETURN count(n) AS count

// name: filter_outgoing
// Every relationship leaving a matching organization, MEMBER_OF included (the memberships);
// the store keeps those whose target matches too, and of $rel_types, as the embedded store.
CALL () {
  WITH 'company' AS kind WHERE kind IN $kinds MATCH (n:Company) RETURN n
  UNION ALL
  WITH 'institution' AS kind WHERE kind IN $kinds MATCH (n:Institution) RETURN n
  UNION ALL
  WITH 'cluster' AS kind WHERE kind IN $kinds MATCH (n:Cluster) RETURN n
}
WITH n WHERE %FILTER(n)%
CALL (n) { MATCH (n)-[r]->(b:%ORGANIZATION%) RETURN r, b }
RETURN n.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// name: filter_outgoing_in_clusters
MATCH (anchor:Cluster) WHERE anchor.id IN $clusters
MATCH (anchor)<-[:MEMBER_OF]-(n)
WITH DISTINCT n WHERE %FILTER(n)%
CALL (n) { MATCH (n)-[r]->(b:%ORGANIZATION%) RETURN r, b }
RETURN n.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// name: stored_sectors
CALL () {
  MATCH (n:Company) RETURN n
  UNION ALL
  MATCH (n:Institution) RETURN n
  UNION ALL
  MATCH (n:Cluster) RETURN n
}
UNWIND n.sectors AS sector
RETURN DISTINCT sector
