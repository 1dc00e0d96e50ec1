"""Render the passive reply (被动回复) that goes back in the HTTP response to WeChat."""

from __future__ import annotations

from wechatpy.replies import TextReply

# Acknowledges a push without a message: WeChat then neither retries nor shows an error.
SUCCESS = "success"


def _cdata(value: str) -> str:
    # wechatpy puts values into CDATA verbatim; a "]]>" inside would end it early.
    return value.replace("]]>", "]]]]><![CDATA[>")


def text_reply_xml(*, official_id: str, openid: str, text: str) -> str:
    """The XML of a text reply from the official account to the citizen."""
    reply = TextReply(source=_cdata(official_id), target=_cdata(openid), content=_cdata(text))
    rendered: str = reply.render()
    return rendered
