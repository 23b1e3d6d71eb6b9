// Change set writes for LadybugDB (see cypher/history.cypher and app/store/embedded_history.py):
// the bulk path of a first import.

// name: copy_change_set
// Only in a transaction that has written nothing but COPYs (a first import), once per
// transaction: see copy_nodes in write.cypher.
COPY ChangeSet FROM $rows

// name: copy_change_chunks
COPY ChangeChunk FROM $rows
