"""SQL, one module per table: keyword-only functions that take the session (ADR 0001)."""
