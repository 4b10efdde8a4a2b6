"""Public identifiers: prefix, 24 base62 characters, no repeats, every character used."""

from __future__ import annotations

import re
from collections import Counter

from gateway.ids import new_id


def test_ids_are_prefixed_base62_of_fixed_length() -> None:
    for _ in range(200):
        assert re.fullmatch(r"off_[0-9A-Za-z]{24}", new_id("off"))


def test_ids_do_not_repeat_and_spread_over_the_alphabet() -> None:
    made = [new_id("pq")[3:] for _ in range(5000)]
    assert len(set(made)) == len(made)
    counts = Counter("".join(made))  # 120 000 characters, ~1 935 expected of each
    assert len(counts) == 62
    assert min(counts.values()) > 1500 and max(counts.values()) < 2400
    # Every position varies (a fixed character would be a lost bit of entropy).
    assert all(len({m[i] for m in made}) == 62 for i in range(24))
