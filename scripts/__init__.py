"""Repository scripts; only scripts/ci is Python."""
