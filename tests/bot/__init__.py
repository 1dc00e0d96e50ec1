"""Tests of the application: settings and command line."""
