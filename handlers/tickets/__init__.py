"""Tickets for human replies: deadlines on the working-day calendar, and the staff reply loop."""
