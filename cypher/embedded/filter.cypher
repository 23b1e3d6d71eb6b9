// FilterSpec for LadybugDB. Each constraint has a has_* flag; unused values are typed
// placeholders (LadybugDB types a null parameter as BOOL and an empty list as ANY[]).

// name: organization_filter
// The node predicate, included as %FILTER(x)%; written for the variable n.
($has_kinds = false OR n.kind IN $kinds)
AND ($has_types = false OR n.type IN $types)
AND ($has_sectors = false OR list_has_any(n.sectors, $sectors))
AND ($has_regions = false OR lower(n.region) IN $regions)
AND ($has_countries = false OR n.country IN $countries)
AND ($has_tags = false OR list_has_any(n.tags, $tags))
AND ($has_clusters = false
     OR EXISTS { MATCH (n)-[:MEMBER_OF]->(member_of:Cluster) WHERE member_of.id IN $clusters })
AND ($has_min_employees = false OR n.employees >= $min_employees)
AND ($has_max_employees = false OR n.employees <= $max_employees)
AND ($has_founded_from = false OR n.founded >= $founded_from)
AND ($has_founded_to = false OR n.founded <= $founded_to)
AND ($has_search = false OR lower(n.name) CONTAINS $search)

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
