"""SQL for each entity: keyword-only functions that take the session."""
