// Neo4j schema: a uniqueness constraint on id for each label (its index backs every lookup by
// id and the endpoint MATCHes of relationship writes). Neo4j has no tables: properties need no
// declaration.

// name: create_id_constraint
CREATE CONSTRAINT ecomap_%LABEL%_id IF NOT EXISTS FOR (n:%LABEL%) REQUIRE n.id IS UNIQUE

// name: create_state_constraint
// The one EcoMapState node (key 'store') holds the version token; its key is unique, so two
// first writers cannot create two.
CREATE CONSTRAINT ecomap_state_key IF NOT EXISTS FOR (s:EcoMapState) REQUIRE s.key IS UNIQUE
