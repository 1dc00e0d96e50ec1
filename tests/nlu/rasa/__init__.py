"""Tests of the Rasa answer engine: export, the HTTP client, the circuit breaker, a live server."""
