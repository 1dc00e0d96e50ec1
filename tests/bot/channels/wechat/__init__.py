"""Tests of the WeChat official-account channel."""
