"""Addresses of the real services the tests talk to (overridable for other machines)."""

import os

REDIS_URL = os.environ.get("GOVBOT_TEST_REDIS", "redis://127.0.0.1:6379/15")
