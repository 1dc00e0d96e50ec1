"""Tests of the notifiers, each against a real local stand-in of its service."""
