// Writes shared by both dialects.

// name: delete_organization
MATCH (n) WHERE n.id = $id DETACH DELETE n
