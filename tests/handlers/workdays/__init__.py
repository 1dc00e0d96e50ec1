"""Tests of the working-day calendar."""
