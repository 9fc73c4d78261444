"""Taskflow's Pulumi program: typed components for clusters, platform and workloads."""
