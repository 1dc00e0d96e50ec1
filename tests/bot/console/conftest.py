"""The sample county served over HTTP with one console user per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser

from bot.console.users import create_user
from bot.runtime import Runtime
from tests.bot.console.chromium import launch
from tests.bot.console.console_client import PASSWORD, ConsoleClient
from tests.live_server import POLICE_WEB, served_county

# username: (role, department code)
USERS = {
    "editor-gaj": ("editor", "gaj"),
    "editor2-gaj": ("editor", "gaj"),
    "editor-rsj": ("editor", "rsj"),
    "reviewer": ("reviewer", None),
    "duty-zfb": ("duty", "zfb"),
    "duty-rsj": ("duty", "rsj"),
    "supervisor": ("supervisor", None),
    "admin": ("admin", None),
    "lock-me": ("editor", "gaj"),
}


def add_users(runtime: Runtime, users: dict[str, tuple[str, str | None]] = USERS) -> None:
    """Create the test users (all of USERS unless told) with the same password."""
    with runtime.database.session() as session:
        for name, (role, department) in users.items():
            create_user(
                session,
                username=name,
                password=PASSWORD,
                role=role,
                department=department,
                actor="test",
            )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    """The app on a free loopback port with the console users."""
    # Every test signs in from loopback: the per-address limit has its own tests.
    with served_county(
        tmp_path_factory.mktemp("console"),
        kb_refresh_seconds=0.5,
        address_limits={"console_sign_in": "10000/minute"},
        web_accounts=[POLICE_WEB],
    ) as pair:
        add_users(pair[1])
        yield pair


@pytest.fixture
def signed_in(served: tuple[str, Runtime]) -> Iterator[Callable[[str], ConsoleClient]]:
    """`signed_in("editor-gaj")`: a client with that user's session."""
    clients: list[ConsoleClient] = []

    def make(username: str) -> ConsoleClient:
        client = ConsoleClient(served[0])
        clients.append(client)
        response = client.sign_in(username, PASSWORD)
        assert response.status_code == 303, response.text
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(served: tuple[str, Runtime]) -> Iterator[ConsoleClient]:
    """A browser that has not signed in."""
    with ConsoleClient(served[0]) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the module's browser tests."""
    yield from launch()
