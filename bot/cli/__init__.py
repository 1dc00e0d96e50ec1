"""The `govbot` command line (typer)."""
