"""Tests of the staff API."""
