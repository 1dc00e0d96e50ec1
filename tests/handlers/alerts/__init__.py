"""Tests of staff alerts."""
