"""The four consumer services: recurring tasks, reminders, audit and realtime."""
