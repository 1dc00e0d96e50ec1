"""Benchmarks behind `govbot bench …`: each prints figures, with a JSON object as its last line."""
