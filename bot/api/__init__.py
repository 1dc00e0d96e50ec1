"""The staff HTTP API: answering tickets and reporting account posts (bearer-token protected)."""
