"""Pushing each user's task updates to that user's open WebSocket clients."""
