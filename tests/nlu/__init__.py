"""Tests of the answer engine (nlu/)."""
