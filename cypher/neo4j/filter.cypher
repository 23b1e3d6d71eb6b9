// FilterSpec for Neo4j; the same parameters as the LadybugDB version.

// name: organization_filter
// The node predicate, included as %FILTER(x)%; written for the variable n.
($has_kinds = false OR n.kind IN $kinds)
AND ($has_types = false OR n.type IN $types)
AND ($has_sectors = false OR any(sector IN n.sectors WHERE sector IN $sectors))
AND ($has_regions = false OR toLower(n.region) IN $regions)
AND ($has_countries = false OR n.country IN $countries)
AND ($has_tags = false OR any(tag IN n.tags WHERE tag IN $tags))
AND ($has_clusters = false
     OR EXISTS { MATCH (n)-[:MEMBER_OF]->(member_of:Cluster) WHERE member_of.id IN $clusters })
AND ($has_min_employees = false OR n.employees >= $min_employees)
AND ($has_max_employees = false OR n.employees <= $max_employees)
AND ($has_founded_from = false OR n.founded >= $founded_from)
AND ($has_founded_to = false OR n.founded <= $founded_to)
AND ($has_search = false OR toLower(n.name) CONTAINS $search)

// name: filter_relationships
MATCH (a)-[r]->(b)
WHERE %FILTER(a)% AND %FILTER(b)% AND ($has_rel_types = false OR type(r) IN $rel_types)
RETURN a.id AS source, type(r) AS type, b.id AS target, r.weight AS weight, r.since AS since,
       r.until AS until, r.evidence AS evidence

// name: stored_sectors
MATCH (n) UNWIND n.sectors AS sector RETURN DISTINCT sector
