"""Parse untrusted WeChat XML with defusedxml before any other parser sees it."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class BadXml(Exception):
    """The body is not a well-formed, entity-free WeChat <xml> document."""


def parse_safely(data: bytes | str) -> Element:
    """The document's root; any DTD (billion laughs, external entities) or syntax error is refused.

    WeChat never sends a DTD, so refusing every DTD costs nothing and closes the entity tricks
    that wechatpy's own parser (xmltodict) would otherwise have to withstand.
    """
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BadXml(type(exc).__name__) from None
    if root.tag != "xml":
        raise BadXml(f"unexpected root <{root.tag}>")
    return root
