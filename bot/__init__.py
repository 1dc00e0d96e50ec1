"""The govbot application: settings, wiring, command line, and (later) channels and the HTTP app."""
