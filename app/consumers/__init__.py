"""The four consumers (recurring, reminders, audit, realtime): de-duplication, retries and
dead letters in base.py, what each does in handlers.py; transports feed them."""
