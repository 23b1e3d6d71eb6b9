// Dismissed missing-link suggestions, shared by both dialects (app/suggestions.py, app/store/
// embedded_suggestions.py, app/store/neo4j_suggestions.py). One Dismissal node per pair of
// organizations, found by its key: the pair, smaller id first, as JSON (app.suggestions.
// dismissal_key). Like change sets and people, no relationship joins a Dismissal to anything.

// name: merge_dismissal
// Dismiss a pair again: the latest method, score, person and time replace the earlier ones.
MERGE (d:Dismissal {key: $key})
SET d.source = $source, d.target = $target, d.method = $method, d.score = $score,
    d.by = $by, d.at = $at

// name: dismissal_of
MATCH (d:Dismissal {key: $key})
RETURN d.source AS source, d.target AS target, d.method AS method, d.score AS score,
       d.by AS by, d.at AS at

// name: all_dismissals
// Newest first; pairs dismissed in the same second by their ids.
MATCH (d:Dismissal)
RETURN d.source AS source, d.target AS target, d.method AS method, d.score AS score,
       d.by AS by, d.at AS at
ORDER BY at DESC, source, target

// name: delete_dismissal
MATCH (d:Dismissal {key: $key}) DELETE d
