"""Tests of tickets: deadlines and the staff reply loop."""
