"""The write side's event vocabulary: schemas, the transactional outbox and its relay, the
publishing protocol, and dead letters. The brokers themselves are in app/transports/."""
