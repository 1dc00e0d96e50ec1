"""Tests of the Telegram channel against a local stand-in of the Bot API."""
