"""Tests of the handlers package."""
