"""A sibling module that the ASP201/ASP202 eval files import constants from: collections bound
once to a literal, an Enum, and a list that is not a literal.  It has no markers and is not an
eval file itself."""
from __future__ import annotations

import enum

PLATFORMS = ("sensor", "switch", "light")
ZONES = ["eu", "us", "ap", "sa"]
DISCOVERED = list(open("hosts.txt"))  # noqa: SIM115 - read at import, of any size


class Channel(enum.IntEnum):
    EMAIL = 1
    SMS = 2
    PUSH = 3
