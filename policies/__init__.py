"""Taskflow's CrossGuard policy pack: pure validators, the pack's policy list, a manifest runner."""
