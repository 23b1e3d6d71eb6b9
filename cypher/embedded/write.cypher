// Writes specific to LadybugDB (bulk loads go through COPY from Arrow tables in the store).

// name: copy_nodes
// At most once per table and transaction: LadybugDB 0.22 keeps the keys of all but the last
// of several COPYs into one node table in its index when the transaction rolls back
// (tools/repro/lbug_copy_rollback.py); later rows of the transaction use create_nodes.
COPY %LABEL% FROM $rows

// name: create_nodes
LOAD FROM $rows
CREATE (n:%LABEL% {id: id, name: name, kind: kind, type: type, sectors: sectors, tags: tags,
    city: city, region: region, country: country, lat: lat, lon: lon, employees: employees,
    founded: founded, website: website, description: description, source: source,
    updated_at: updated_at})

// name: update_nodes
LOAD FROM $rows
MATCH (n:%LABEL% {id: id})
SET n.name = name, n.type = type, n.sectors = sectors, n.tags = tags, n.city = city,
    n.region = region, n.country = country, n.lat = lat, n.lon = lon, n.employees = employees,
    n.founded = founded, n.website = website, n.description = description, n.source = source,
    n.updated_at = updated_at

// name: update_relationship
MATCH (a {id: $source})-[r:%REL_TYPE%]->(b {id: $target})
SET r.weight = $weight, r.since = $since, r.until = $until, r.evidence = $evidence,
    r.updated_at = $updated_at

// name: copy_relationships
COPY %REL_TYPE% FROM $rows (from='%FROM_LABEL%', to='%TO_LABEL%')

// name: delete_relationships_of_type
MATCH ()-[r:%REL_TYPE%]->() DELETE r
