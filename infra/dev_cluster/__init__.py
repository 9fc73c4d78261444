"""Deploying the program to the local dev cluster (scripts/dev-cluster)."""
