"""Domain events: schemas, the transactional outbox, its relay and the transports."""
