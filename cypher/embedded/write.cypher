// Writes specific to LadybugDB (bulk loads go through COPY from Arrow tables in the store).

// name: copy_nodes
// Only in a transaction that writes nothing but COPYs: LadybugDB 0.22 may recover a
// transaction killed while it commits without its COPYed rows but with its other writes
// (tools/repro/lbug_kill_during_write.py); such transactions use create_nodes and
// create_relationships. At most once per table and transaction: LadybugDB 0.22 keeps the keys
// of all but the last of several COPYs into one node table in its index when the transaction
// rolls back (tools/repro/lbug_copy_rollback.py).
COPY %LABEL% FROM $rows

// name: create_nodes
LOAD FROM $rows
CREATE (n:%LABEL% {id: id, name: name, kind: kind, type: type, sectors: sectors, tags: tags,
    city: city, region: region, country: country, lat: lat, lon: lon, employees: employees,
    founded: founded, website: website, description: description, source: source,
    updated_at: updated_at, verified_at: verified_at, verified_by: verified_by})

// name: update_nodes
LOAD FROM $rows
MATCH (n:%LABEL% {id: id})
SET n.name = name, n.type = type, n.sectors = sectors, n.tags = tags, n.city = city,
    n.region = region, n.country = country, n.lat = lat, n.lon = lon, n.employees = employees,
    n.founded = founded, n.website = website, n.description = description, n.source = source,
    n.updated_at = updated_at, n.verified_at = verified_at, n.verified_by = verified_by

// name: update_relationships
// Changed relationships of one type between two labels, set-based: each row's ends are found
// by primary key, the relationship between them updated in place. The count lets the store
// check that every row matched. No statement deletes a type's rows to copy them back (a kill
// during such a rewrite could leave the table empty after recovery, issue 13).
LOAD FROM $rows
MATCH (a:%FROM_LABEL% {id: source})-[r:%REL_TYPE%]->(b:%TO_LABEL% {id: target})
SET r.weight = weight, r.since = since, r.until = until, r.evidence = evidence,
    r.updated_at = updated_at
RETURN count(*) AS matched

// name: create_relationships
// New relationships in a transaction that also updates (see copy_nodes), one batch of one
// type between two labels; each end is found by primary key (two MATCHes: a comma between
// them makes LadybugDB plan a cross product that fills the buffer pool).
LOAD FROM $rows
MATCH (a:%FROM_LABEL% {id: source})
MATCH (b:%TO_LABEL% {id: target})
CREATE (a)-[r:%REL_TYPE% {weight: weight, since: since, until: until, evidence: evidence,
    updated_at: updated_at}]->(b)

// name: copy_relationships
COPY %REL_TYPE% FROM $rows (from='%FROM_LABEL%', to='%TO_LABEL%')

// name: delete_keyed_relationships
// Relationships of one type between two labels, by $keys ({source, target}): the source by
// primary key, then its relationships of the type to the key's target (a MATCH of both ends by
// key would join every relationship of the type with the list).
UNWIND $keys AS key
MATCH (a:%FROM_LABEL% {id: key.source})
MATCH (a)-[r:%REL_TYPE%]->(b:%TO_LABEL%) WHERE b.id = key.target
DELETE r

// name: delete_organizations
// Organizations by id, with every relationship they have.
UNWIND $ids AS i
MATCH (n:%ORGANIZATION% {id: i})
DETACH DELETE n
