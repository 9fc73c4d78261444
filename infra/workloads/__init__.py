"""Taskflow's own workloads: secrets, Dapr resources, Deployments and their guard rails."""
