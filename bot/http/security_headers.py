"""Browser protections on every response: a Content-Security-Policy that allows only the app's
own resources and no framing, no MIME sniffing, and no referrer leaving the site.

A page with inline code (the chat page) sends its own policy naming that code by hash; this
middleware leaves such a policy alone.
"""

from __future__ import annotations

import base64
import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


def inline_policy(*, scripts: list[str], styles: list[str]) -> str:
    """The default policy, also allowing exactly these inline scripts and styles (by hash)."""

    def hashes(blocks: list[str]) -> str:
        return " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'"
            for b in blocks
        )

    return (
        f"{DEFAULT_POLICY}; script-src 'self' {hashes(scripts)}; style-src 'self' {hashes(styles)}"
    )


class SecurityHeaders:
    """ASGI middleware adding the headers above to each HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in (
                    *_HEADERS,
                    (b"content-security-policy", DEFAULT_POLICY.encode()),
                ):
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
