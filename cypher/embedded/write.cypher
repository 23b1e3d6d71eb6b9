// Writes specific to LadybugDB (bulk loads go through COPY from Arrow tables in the store).

// name: copy_nodes
COPY %LABEL% FROM $rows

// name: update_nodes
UNWIND $rows AS row
MATCH (n:%LABEL% {id: row.id})
SET n.name = row.name, n.type = row.type, n.sectors = row.sectors, n.tags = row.tags,
    n.city = row.city, n.region = row.region, n.country = row.country, n.lat = row.lat,
    n.lon = row.lon, n.employees = row.employees, n.founded = row.founded,
    n.website = row.website, n.description = row.description, n.source = row.source,
    n.updated_at = row.updated_at

// name: update_relationship
MATCH (a {id: $source})-[r:%REL_TYPE%]->(b {id: $target})
SET r.weight = $weight, r.since = $since, r.until = $until, r.evidence = $evidence,
    r.updated_at = $updated_at

// name: copy_relationships
COPY %REL_TYPE% FROM $rows (from='%FROM_LABEL%', to='%TO_LABEL%')

// name: delete_relationships_of_type
MATCH ()-[r:%REL_TYPE%]->() DELETE r
