// Change sets and people, shared by both dialects (app/store/history.py describes the nodes).
// A ChangeSet holds a change set's header; its changes are JSON text in ChangeChunk nodes
// (change_set: the set's id, seq: their order, entities: what each touches, with both ends of
// each relationship). No relationship joins these nodes to each other or to organizations, so
// no relationship pattern of the organization reads can reach them.

// name: last_change_set_id
// The largest id so far (null before the first). Writers take turns (the write lock of each
// store), so the next id is this one plus one.
MATCH (s:ChangeSet) RETURN max(s.id) AS id

// name: create_change_set
CREATE (s:ChangeSet {id: $id, at: $at, author: $author, source: $source})

// name: create_change_chunks
// A list of rows, not a LOAD FROM table (LadybugDB keeps what it prepared for each table until
// the connection closes: see read.cypher of the embedded dialect).
UNWIND $rows AS row
CREATE (c:ChangeChunk {key: row.key, change_set: row.change_set, seq: row.seq,
    entities: row.entities, changes: row.changes})

// name: change_set_headers_newest
// A page of change sets, newest first (a LIMIT one more than the page tells whether more are
// left); $after 0 and $since '' leave everything in.
MATCH (s:ChangeSet) WHERE s.id > $after AND s.at >= $since
RETURN s.id AS id, s.at AS at, s.author AS author, s.source AS source
ORDER BY id DESC LIMIT $limit

// name: change_set_headers_oldest
// The same page oldest first: the sets after a given one (the conflicts of a revert).
MATCH (s:ChangeSet) WHERE s.id > $after AND s.at >= $since
RETURN s.id AS id, s.at AS at, s.author AS author, s.source AS source
ORDER BY id ASC LIMIT $limit

// name: change_set_headers_among
MATCH (s:ChangeSet) WHERE s.id IN $ids
RETURN s.id AS id, s.at AS at, s.author AS author, s.source AS source

// name: change_sets_touching
// The ids of the sets with a chunk that touches $entity: the entity lists only, no JSON read.
MATCH (c:ChangeChunk) WHERE $entity IN c.entities
RETURN DISTINCT c.change_set AS id

// name: change_chunks
MATCH (c:ChangeChunk) WHERE c.change_set IN $ids
RETURN c.change_set AS change_set, c.seq AS seq, c.changes AS changes

// name: change_chunks_touching
// The chunks of these sets that touch $entity (the others hold none of its changes).
MATCH (c:ChangeChunk) WHERE c.change_set IN $ids AND $entity IN c.entities
RETURN c.change_set AS change_set, c.seq AS seq, c.changes AS changes

// name: create_user
CREATE (u:User {name: $name, role: $role, clusters: $clusters, token_digest: $token_digest,
    created_at: $created_at})

// name: user_named
MATCH (u:User {name: $name})
RETURN u.name AS name, u.role AS role, u.clusters AS clusters, u.token_digest AS token_digest,
       u.created_at AS created_at

// name: all_users
MATCH (u:User)
RETURN u.name AS name, u.role AS role, u.clusters AS clusters, u.token_digest AS token_digest,
       u.created_at AS created_at
ORDER BY name

// name: user_by_token
MATCH (u:User) WHERE u.token_digest = $token_digest
RETURN u.name AS name, u.role AS role, u.clusters AS clusters, u.token_digest AS token_digest,
       u.created_at AS created_at

// name: delete_user
MATCH (u:User {name: $name}) DELETE u
