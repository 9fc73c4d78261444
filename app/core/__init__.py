"""Cross-cutting plumbing: settings, database engine, security, logging, metrics, tracing."""
