// Saved views, shared by both dialects (app/views.py, app/store/embedded_views.py, app/store/
// neo4j_views.py). One SavedView node per name; its filters and display options (colour, size,
// layout, selection, tab, pinned positions) are JSON text, as app.services.views validated
// them. Like change sets and people, no relationship joins a SavedView to anything.

// name: merge_view
// Save a view, or replace the one of the same name (its creation time stays).
MERGE (v:SavedView {name: $name})
SET v.owner = $owner, v.shared = $shared, v.filters = $filters, v.display = $display,
    v.created_at = coalesce(v.created_at, $created_at), v.updated_at = $updated_at

// name: view_named
MATCH (v:SavedView {name: $name})
RETURN v.name AS name, v.owner AS owner, v.shared AS shared, v.filters AS filters,
       v.display AS display, v.created_at AS created_at, v.updated_at AS updated_at

// name: all_views
MATCH (v:SavedView)
RETURN v.name AS name, v.owner AS owner, v.shared AS shared, v.filters AS filters,
       v.display AS display, v.created_at AS created_at, v.updated_at AS updated_at
ORDER BY name

// name: delete_view
MATCH (v:SavedView {name: $name}) DELETE v
