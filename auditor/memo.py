"""Per-document memoization: a value computed from a Document is kept for the few documents in
use, keyed by identity (Documents are large; hashing or comparing them would cost more than the
work saved).

An audit asks for the same sentences and passages several times (the check context, the corpus
query, the reuse ratios, the previous-year lookup); a batch worker audits one document after
another, so a handful of entries is enough and memory stays bounded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import wraps

KEEP = 8


def per_document(fn):
    cache: OrderedDict[int, tuple[object, object]] = OrderedDict()
    lock = threading.Lock()  # Dask workers may run several threads

    def remember(doc, value) -> None:
        """Take `value` as fn(doc): it was computed elsewhere (a batch's parse worker)."""
        with lock:
            cache[id(doc)] = (doc, value)
            cache.move_to_end(id(doc))
            while len(cache) > KEEP:
                cache.popitem(last=False)

    @wraps(fn)
    def wrapper(doc):
        with lock:
            hit = cache.get(id(doc))
            # The entry holds the document itself, so its id cannot be reused while cached.
            if hit is not None and hit[0] is doc:
                cache.move_to_end(id(doc))
                return hit[1]
        value = fn(doc)
        remember(doc, value)
        return value

    wrapper.remember = remember
    return wrapper
