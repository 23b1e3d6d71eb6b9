// Neo4j schema: a uniqueness constraint on id for each label (its index backs every lookup by
// id and the endpoint MATCHes of relationship writes). Neo4j has no tables: properties need no
// declaration.

// name: create_id_constraint
CREATE CONSTRAINT ecomap_%LABEL%_id IF NOT EXISTS FOR (n:%LABEL%) REQUIRE n.id IS UNIQUE

// name: create_state_constraint
// The one EcoMapState node (key 'store') holds the version token; its key is unique, so two
// first writers cannot create two.
CREATE CONSTRAINT ecomap_state_key IF NOT EXISTS FOR (s:EcoMapState) REQUIRE s.key IS UNIQUE

// name: create_change_set_constraint
// Change sets (cypher/history.cypher): found by id through this constraint's index, their
// chunks by change_set, people by name and by the digest of their token.
CREATE CONSTRAINT ecomap_change_set_id IF NOT EXISTS FOR (s:ChangeSet) REQUIRE s.id IS UNIQUE

// name: create_change_chunk_index
CREATE INDEX ecomap_change_chunk_set IF NOT EXISTS FOR (c:ChangeChunk) ON (c.change_set)

// name: create_user_constraint
CREATE CONSTRAINT ecomap_user_name IF NOT EXISTS FOR (u:User) REQUIRE u.name IS UNIQUE

// name: create_user_token_index
CREATE INDEX ecomap_user_token IF NOT EXISTS FOR (u:User) ON (u.token_digest)

// name: create_dismissal_constraint
// Dismissed suggestions (cypher/suggestions.cypher), one per pair: found by their key.
CREATE CONSTRAINT ecomap_dismissal_key IF NOT EXISTS FOR (d:Dismissal) REQUIRE d.key IS UNIQUE

// name: create_view_constraint
// Saved views (cypher/views.cypher), one per name.
CREATE CONSTRAINT ecomap_view_name IF NOT EXISTS FOR (v:SavedView) REQUIRE v.name IS UNIQUE
