// Neo4j schema: a uniqueness constraint on id for each label (its index backs every lookup by
// id and the endpoint MATCHes of relationship writes). Neo4j has no tables: properties need no
// declaration.

// name: create_id_constraint
CREATE CONSTRAINT ecomap_%LABEL%_id IF NOT EXISTS FOR (n:%LABEL%) REQUIRE n.id IS UNIQUE
