"""Dapr resources as plain data, shared by the Pulumi program and local sidecar runs."""
