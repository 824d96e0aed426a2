"""Demo BSNs: valid by the elfproef, in a range kept apart from most numbers issued to people."""

from __future__ import annotations

import random

from clients.bsn import check_digit

# Demo BSNs start with 99 (the national test persons use 999...), which keeps them apart from
# most numbers issued to people; that leaves about 909,000 valid numbers.
BSN_PREFIX = "99"
BSN_FREE_DIGITS = 6
MAX_CLIENTS = 900_000


def bsn_from_prefix(number: int) -> str | None:
    """The BSN 99 + six digits + check digit, or None when no check digit passes the elfproef."""
    head = f"{BSN_PREFIX}{number:0{BSN_FREE_DIGITS}d}"
    check = check_digit(head)
    return None if check is None else f"{head}{check}"


def draw_bsns(rng: random.Random, count: int) -> list[str]:
    """`count` distinct BSNs that pass the elfproef, in random order."""
    space = 10**BSN_FREE_DIGITS
    size = min(space, count + count // 8 + 64)
    while True:
        candidates = (bsn_from_prefix(n) for n in rng.sample(range(space), size))
        bsns = [bsn for bsn in candidates if bsn is not None]
        if len(bsns) >= count or size == space:
            return bsns[:count]
        size = min(space, size * 2)
