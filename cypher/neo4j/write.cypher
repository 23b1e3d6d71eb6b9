// Writes for Neo4j: batched UNWIND ... MERGE through the id uniqueness constraints. Every
// property is SET explicitly, nulls included (SET to null removes a property), so a value
// removed from the input is removed from the store.

// name: merge_organizations
UNWIND $rows AS row
MERGE (n:%LABEL% {id: row.id})
SET n.name = row.name, n.kind = row.kind, n.type = row.type, n.sectors = row.sectors,
    n.tags = row.tags, n.city = row.city, n.region = row.region, n.country = row.country,
    n.lat = row.lat, n.lon = row.lon, n.employees = row.employees, n.founded = row.founded,
    n.website = row.website, n.description = row.description, n.source = row.source,
    n.updated_at = row.updated_at, n.verified_at = row.verified_at, n.verified_by = row.verified_by

// name: merge_relationships
// Each endpoint is one seek in its label's id index, in a CALL of its own (two MATCHes side by
// side would plan as a CartesianProduct); MERGE then checks the pair with Expand(Into).
UNWIND $rows AS row
WITH row, row.source AS source_id, row.target AS target_id
CALL (source_id) { MATCH (a:%FROM_LABEL% {id: source_id}) RETURN a }
CALL (target_id) { MATCH (b:%TO_LABEL% {id: target_id}) RETURN b }
MERGE (a)-[r:%REL_TYPE%]->(b)
SET r.weight = row.weight, r.since = row.since, r.until = row.until, r.evidence = row.evidence,
    r.updated_at = row.updated_at

// name: delete_keyed_relationships
// Relationships of one type between two labels, by the keys' (source, target), each end one
// seek in its label's id index (as merge_relationships).
UNWIND $keys AS key
WITH key.source AS source_id, key.target AS target_id
CALL (source_id) { MATCH (a:%FROM_LABEL% {id: source_id}) RETURN a }
CALL (target_id) { MATCH (b:%TO_LABEL% {id: target_id}) RETURN b }
MATCH (a)-[r:%REL_TYPE%]->(b)
DELETE r

// name: delete_organizations
// Organizations by id, with every relationship they have.
MATCH (n:%ORGANIZATION%) WHERE n.id IN $ids
DETACH DELETE n

// name: delete_all
// Every EcoMap node and its relationships, change sets, people, dismissed suggestions and
// saved views too (test fixtures reset a database with it); the version node stays.
CALL () {
  MATCH (n:Company) RETURN n
  UNION ALL
  MATCH (n:Institution) RETURN n
  UNION ALL
  MATCH (n:Cluster) RETURN n
  UNION ALL
  MATCH (n:ChangeSet) RETURN n
  UNION ALL
  MATCH (n:ChangeChunk) RETURN n
  UNION ALL
  MATCH (n:User) RETURN n
  UNION ALL
  MATCH (n:Dismissal) RETURN n
  UNION ALL
  MATCH (n:SavedView) RETURN n
}
DETACH DELETE n

// name: lock_store
// The first statement of every write transaction: it write-locks the version node (creating
// it), so EcoMap writers take turns and each one's reads see the writes committed before it.
MERGE (s:EcoMapState {key: 'store'})
ON CREATE SET s.version = 0
SET s.writer = randomUUID()

// name: bump_version
// The last statement of a write transaction that changed something.
MATCH (s:EcoMapState {key: 'store'}) SET s.version = s.version + 1
