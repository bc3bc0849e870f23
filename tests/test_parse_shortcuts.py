"""Shortcuts the parse takes for speed give what the long way gives: table 三's rows aligned
without the dynamic program where every label names its own row in order."""

from __future__ import annotations

import random

from auditor.structure.tables import align, schema
from auditor.structure.tables.cells import Segment


def test_only_a_label_naming_its_own_row_and_an_optional_row_skipped_cost_nothing():
    # What _exact_alignment's proof rests on: any other step of the program costs something.
    assert align.MATCH == 0
    assert min(align.SKIP_SEGMENT, align.SKIP_ROW, align.MATCH_OTHER_LABEL, align.UNLABELED,
               align.UNLABELED_OPTIONAL, align.MISMATCH, align.NEAR, align.NEAR_MISMATCH) > 0


def _keys(rng: random.Random, specs) -> list[tuple]:
    """label_keys of a table's segments: the rows in order (every required one, some optional
    ones), each named by its own label, then disturbed here and there."""
    keys = [(spec.key, {spec.key}, set()) for spec in specs if not spec.optional or rng.random() < 0.5]
    names = [spec.key for spec in specs]
    for _ in range(rng.choice([0, 0, 1, 2, 4])):
        at = rng.randrange(len(keys) + 1)
        change = rng.choice(["drop", "unlabeled", "other", "swap", "extra", "mentioned", "near"])
        if change == "drop" and keys:
            del keys[min(at, len(keys) - 1)]
        elif change == "unlabeled":
            keys.insert(at, (None, set(), set()))
        elif change == "other" and keys:
            other = rng.choice(names)
            keys[min(at, len(keys) - 1)] = (other, {other}, set())
        elif change == "swap" and len(keys) > 1:
            at = min(at, len(keys) - 2)
            keys[at], keys[at + 1] = keys[at + 1], keys[at]
        elif change == "extra":
            extra = rng.choice(names)
            keys.insert(at, (extra, {extra}, set()))
        elif change == "mentioned" and keys:
            primary, mentioned, near = keys[min(at, len(keys) - 1)]
            keys[min(at, len(keys) - 1)] = (primary, mentioned | {rng.choice(names)}, near)
        elif change == "near":
            keys.insert(at, (None, set(), {rng.choice(names)}))
    return keys


def test_the_exact_alignment_is_the_dynamic_programs():
    rng = random.Random(5)
    specs = schema.APPLICATION_ROWS
    taken = 0
    for trial in range(3000):
        keys = _keys(rng, specs)
        segments = [Segment(label=f"{k}", own_label="") for k in range(len(keys))]
        exact = align._exact_alignment(segments, specs, keys)
        for unlabeled_allowed in (True, False):
            cheapest = align._cheapest_alignment(segments, specs, keys, unlabeled_allowed)
            if exact is not None:
                # the same rows, the same segments, in the same order
                assert list(exact.items()) == list(cheapest.items()), (trial, keys)
        taken += exact is not None
    assert 1000 < taken < 3000  # both ways were taken
