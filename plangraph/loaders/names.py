"""How names are compared: the normal form that makes 太钢, “太钢” and 太 钢 one name."""

from __future__ import annotations

import unicodedata

__all__ = ["normalise_name"]

# Quotation marks and brackets decorate names in plan texts but do not change what is named.
_DECORATION = dict.fromkeys(map(ord, "“”‘’「」『』《》〈〉\"'`"), None)
_DASHES = dict.fromkeys(map(ord, "—–―－‐‑"), "-")


def normalise_name(name: str) -> str:
    """The form of a name used to identify it: NFKC, no quotes, no spaces, one kind of dash.

    >>> normalise_name("“承诺制＋标准地＋全代办”改革")
    '承诺制+标准地+全代办改革'
    >>> normalise_name("晋祠—天龙山景区")
    '晋祠-天龙山景区'
    """
    text = unicodedata.normalize("NFKC", name).translate(_DECORATION).translate(_DASHES)
    return "".join(text.split())
