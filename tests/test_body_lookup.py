"""The bodies a name names (CorpusIndex._body_of) found through an index of the names' place
cuts, not by comparing the name with every body of the corpus: the same bodies as comparing
with each (_same_normalized), on hand-made names that almost qualify one another."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from auditor.similarity.index import _Coordinator, _same_normalized, normalize_agency

NAMES = ["淮安市洪泽区人民政府", "江苏省淮安市洪泽区", "洪泽区", "淮安市", "江苏省淮安市", "洪泽区卫生健康局",
         "淮安市洪泽区卫生健康局", "上海市", "上海市科委", "上海市科学技术委员会", "广西壮族自治区南宁市",
         "南宁市", "香港特别行政区某署", "某署", "锡林郭勒盟某旗", "某旗", "黔东南苗族侗族自治州凯里市", "凯里市",
         "甘孜州康定市", "康定市", "市市市区", "市区", "区区区县", "我单位", "", "xx市yy区", "yy区", "阿拉善盟",
         "新区管委会", "某某新区", "浙江省杭州市余杭区", "杭州市余杭区", "余杭区", "杭州余杭区", "省直机关", "直机关"]


def test_same_bodies_as_comparing_with_every_name():
    bodies: dict[str, list[int]] = defaultdict(list)
    for r, name in enumerate(NAMES):
        bodies[normalize_agency(name)].append(r)
    index = SimpleNamespace(_bodies=bodies, _qualified=None)
    found_some = 0
    for name in NAMES + ["淮安市洪泽区", "新疆维吾尔自治区", "吐鲁番地区鄯善县", "鄯善县"]:
        norm = normalize_agency(name)
        expected = sorted(other for other in bodies if _same_normalized(norm, other))
        got = sorted(_Coordinator._same_body_names(index, norm))
        assert got == expected, name
        found_some += len(got) > 1
    assert found_some >= 5  # the names do qualify one another


def test_count_bodies_counts_as_comparing_every_name_with_every_body_counted_before():
    """count_bodies looks up only the names that could name the same body; it must count as the
    plain greedy count does (each name compared with every body counted before it), in order."""
    from auditor.similarity.index import count_bodies, same_body

    def greedy(names):
        seen = []
        for name in names:
            if not any(same_body(name, other) or name == other for other in seen):
                seen.append(name)
        return len(seen)

    names = ["淮安市洪泽区人民政府", "洪泽区", "江苏省淮安市洪泽区", "淮安市洪泽区卫生健康委员会", "洪泽区卫生健康委员会",
             "上海市", "上海市科委", "本单位", "我单位", "余杭区卫生健康局", "杭州市余杭区卫生健康局", "杭州市"]
    assert count_bodies(names) == greedy(names) == 8
    for order in (NAMES, list(reversed(NAMES)), sorted(NAMES), names[::-1]):
        assert count_bodies(order) == greedy(order), order
