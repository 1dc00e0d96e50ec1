"""Addresses of the real services the tests talk to (overridable for other machines).

Under pytest-xdist each worker gets its own Redis database (15, 14, …), as it gets its own
PostgreSQL database (`tests.database.postgres_database`), so parallel workers never share keys.
"""

import os

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … under xdist
_REDIS_DB = 15 - int(_WORKER[2:]) if _WORKER.startswith("gw") else 15

REDIS_URL = os.environ.get("GOVBOT_TEST_REDIS", f"redis://127.0.0.1:6379/{_REDIS_DB}")
