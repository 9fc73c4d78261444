"""Use cases shared by the REST API and the MCP tools: validation, SQL and events in one place."""
