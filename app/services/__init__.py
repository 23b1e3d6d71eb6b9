"""Service layer: what the CLI and API call."""
