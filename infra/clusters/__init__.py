"""Kubernetes clusters, one component per target; each exposes an explicit `provider`."""
