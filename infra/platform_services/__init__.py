"""Cluster-wide platform services installed before the app."""
