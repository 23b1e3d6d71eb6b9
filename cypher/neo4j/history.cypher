// Change set writes for Neo4j (see cypher/history.cypher and app/store/neo4j_history.py).

// name: create_change_chunks
UNWIND $rows AS row
CREATE (c:ChangeChunk {key: row.key, change_set: row.change_set, seq: row.seq,
    entities: row.entities, changes: row.changes})
