// Change set writes for LadybugDB (see cypher/history.cypher and app/store/embedded_history.py).

// name: create_change_chunks
LOAD FROM $rows
CREATE (c:ChangeChunk {key: key, change_set: change_set, seq: seq, entities: entities,
    changes: changes})

// name: copy_change_set
// Only in a transaction that has written nothing but COPYs (a first import), once per
// transaction: see copy_nodes in write.cypher.
COPY ChangeSet FROM $rows

// name: copy_change_chunks
COPY ChangeChunk FROM $rows
