"""What happens to a message and to time: the conversation pipeline, replies, tickets and alerts."""
