"""Taskflow's side of the Dapr sidecar: one async HTTP client and what is built on it.

Nothing here imports a broker, cache or cloud SDK: in Dapr mode the sidecar owns those.
"""
