// LadybugDB schema: one node table per kind, one relationship table per type with the
// FROM/TO pairs of DESIGN.md section 2. Every node table has the same columns, in the order of
// app.vocabulary.ORGANIZATION_PROPERTIES; every relationship table those of
// RELATIONSHIP_PROPERTIES (bulk COPY relies on the order).

// name: create_company
CREATE NODE TABLE IF NOT EXISTS Company(
  id STRING PRIMARY KEY, name STRING, kind STRING, type STRING, sectors STRING[], tags STRING[],
  city STRING, region STRING, country STRING, lat DOUBLE, lon DOUBLE, employees INT64,
  founded INT64, website STRING, description STRING, source STRING, updated_at STRING,
  verified_at STRING, verified_by STRING)

// name: create_institution
CREATE NODE TABLE IF NOT EXISTS Institution(
  id STRING PRIMARY KEY, name STRING, kind STRING, type STRING, sectors STRING[], tags STRING[],
  city STRING, region STRING, country STRING, lat DOUBLE, lon DOUBLE, employees INT64,
  founded INT64, website STRING, description STRING, source STRING, updated_at STRING,
  verified_at STRING, verified_by STRING)

// name: create_cluster
CREATE NODE TABLE IF NOT EXISTS Cluster(
  id STRING PRIMARY KEY, name STRING, kind STRING, type STRING, sectors STRING[], tags STRING[],
  city STRING, region STRING, country STRING, lat DOUBLE, lon DOUBLE, employees INT64,
  founded INT64, website STRING, description STRING, source STRING, updated_at STRING,
  verified_at STRING, verified_by STRING)

// A database made before organizations carried their verification lacks its two columns:
// opening it for writing adds them, after the others (the order of ORGANIZATION_PROPERTIES).

// name: add_verified_at_column
ALTER TABLE %LABEL% ADD IF NOT EXISTS verified_at STRING

// name: add_verified_by_column
ALTER TABLE %LABEL% ADD IF NOT EXISTS verified_by STRING

// name: create_member_of
CREATE REL TABLE IF NOT EXISTS MEMBER_OF(
  FROM Company TO Cluster, FROM Institution TO Cluster,
  weight DOUBLE, since STRING, until STRING, evidence STRING, updated_at STRING)

// name: create_collaborates_with
CREATE REL TABLE IF NOT EXISTS COLLABORATES_WITH(
  FROM Company TO Company, FROM Company TO Institution, FROM Company TO Cluster,
  FROM Institution TO Company, FROM Institution TO Institution, FROM Institution TO Cluster,
  FROM Cluster TO Company, FROM Cluster TO Institution, FROM Cluster TO Cluster,
  weight DOUBLE, since STRING, until STRING, evidence STRING, updated_at STRING)

// name: create_supplies
CREATE REL TABLE IF NOT EXISTS SUPPLIES(
  FROM Company TO Company,
  weight DOUBLE, since STRING, until STRING, evidence STRING, updated_at STRING)

// name: create_invests_in
CREATE REL TABLE IF NOT EXISTS INVESTS_IN(
  FROM Company TO Company, FROM Institution TO Company,
  weight DOUBLE, since STRING, until STRING, evidence STRING, updated_at STRING)

// name: create_funds
CREATE REL TABLE IF NOT EXISTS FUNDS(
  FROM Institution TO Company, FROM Institution TO Institution, FROM Institution TO Cluster,
  weight DOUBLE, since STRING, until STRING, evidence STRING, updated_at STRING)

// name: create_spun_out_of
CREATE REL TABLE IF NOT EXISTS SPUN_OUT_OF(
  FROM Company TO Company, FROM Company TO Institution,
  weight DOUBLE, since STRING, until STRING, evidence STRING, updated_at STRING)

// Change sets and people (cypher/history.cypher). No relationship table joins them to anything:
// relationship patterns reach organizations alone. Column order matters to COPY (app.store.
// embedded_history's Arrow schemas).

// name: create_change_set_table
CREATE NODE TABLE IF NOT EXISTS ChangeSet(id INT64 PRIMARY KEY, at STRING, author STRING,
  source STRING)

// name: create_change_chunk_table
CREATE NODE TABLE IF NOT EXISTS ChangeChunk(key STRING PRIMARY KEY, change_set INT64, seq INT64,
  entities STRING[], changes STRING)

// name: create_user_table
CREATE NODE TABLE IF NOT EXISTS User(name STRING PRIMARY KEY, role STRING, clusters STRING[],
  token_digest STRING, created_at STRING)

// Dismissed suggestions (cypher/suggestions.cypher): the key is the pair as JSON. A database
// made before them gains the table when it is opened for writing; opened read-only, it has
// none to read (app.store.embedded_suggestions).

// name: create_dismissal_table
CREATE NODE TABLE IF NOT EXISTS Dismissal(key STRING PRIMARY KEY, source STRING, target STRING,
  method STRING, score DOUBLE, by STRING, at STRING)

// Saved views (cypher/views.cypher), by name; filters and display options are JSON text. A database
// made before them gains the table when it is opened for writing; opened read-only, it has
// none to read (app.store.embedded_views).

// name: create_view_table
CREATE NODE TABLE IF NOT EXISTS SavedView(name STRING PRIMARY KEY, owner STRING, shared BOOLEAN,
  filters STRING, display STRING, created_at STRING, updated_at STRING)

// name: table_named
CALL show_tables() WHERE name = $name RETURN name
