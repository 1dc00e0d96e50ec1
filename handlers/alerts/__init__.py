"""Staff alerts: rules that find what needs attention, a durable outbox, and notifiers."""
