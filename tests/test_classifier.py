"""The boilerplate classifier: weak labels, grouped training, the shipped model and its loading."""

from __future__ import annotations

from pathlib import Path

import pytest
import skops.io as sio

from auditor.similarity import classifier
from auditor.similarity.classifier import (ALLOWED_TYPES, DEFAULT_MODEL_PATH, derive_labels, load_model,
                                           score_sentences, train)

SHARED_SENTENCE = "本机关始终把政府信息公开作为密切联系群众的重要途径来抓。"
UNLABELED_SENTENCE = "村务公开栏的内容与群众关心的事项结合得不够紧密。"  # no generic shape, no signal
# Per body: a specific overview sentence, a specific measure, a generic problem sentence.
BODIES = {
    "甲县人民政府": ("全年在县政府门户网站发布乡村振兴信息312条，其中产业项目公示57条。",
                 "6月底前在门户网站上线“政策问答”专栏，由县政府办公室负责。",
                 "一是公开意识有待进一步增强。"),
    "乙县交通运输局": ("开通公交线路调整告示栏，全年刊登线路变更通告48期。",
                  "9月前完成农村客运站点名录整理，由运输管理股牵头。",
                  "下一步，我局将进一步加强组织领导，持续提升工作水平。"),
    "丙镇人民政府": ("我镇聘请8名村级信息员，每季度走访农户收集公开需求。",
                 "《丙镇惠农补贴发放明细表》已于3月在镇公告栏张贴。",
                 "个别单位对政务公开重视程度仍需提高。"),
    "丁市统计局": ("统计数据发布日历列出2023年全部42项统计产品的发布时间。",
                "统计开放日接待中学生和社区居民共计260人次。",
                "取得了一定成绩，但仍存在一些差距和不足。"),
}


def _report(agency: str, year: int, overview: str, problems: str) -> str:
    return (f"{agency}{year}年政府信息公开工作年度报告\n一、总体情况\n{overview}\n"
            f"五、存在的主要问题及改进情况\n{problems}\n六、其他需要报告的事项\n无。\n")


def _tiny_corpus(directory: Path) -> Path:
    for n, (agency, (fact, measure, generic)) in enumerate(BODIES.items()):
        problems = generic + measure + (UNLABELED_SENTENCE if n == 0 else "")
        (directory / f"r{n}.txt").write_text(_report(agency, 2023, SHARED_SENTENCE + fact, problems),
                                             encoding="utf-8")
    # 甲县 again a year later, repeating its own specific sentence: its own earlier year must not
    # make that sentence "shared".
    fact, measure, _ = BODIES["甲县人民政府"]
    (directory / "r0-2024.txt").write_text(
        _report("甲县人民政府", 2024, fact, "依申请公开答复书模板已于4月修订，由县司法局审核。" + measure),
        encoding="utf-8")
    return directory


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return _tiny_corpus(tmp_path)


def _by_text(labels):
    return {(s.body, s.text): s for s in labels}


def test_labels_follow_the_documented_scheme(tiny):
    labels = derive_labels(tiny)
    by_text = _by_text(labels)
    for agency, (fact, measure, generic) in BODIES.items():
        shared = by_text[(agency, SHARED_SENTENCE)]
        assert (shared.label, shared.reason.split(":")[0]) == (1, "shared")
        assert by_text[(agency, generic)].label == 1
        assert by_text[(agency, generic)].reason.startswith("generic:")
        assert by_text[(agency, fact)].label == 0
        assert by_text[(agency, measure)].label == 0
        assert by_text[(agency, measure)].reason.startswith("specific:")
    # Neither generic nor specific: left out, not guessed.
    assert all(s.text != UNLABELED_SENTENCE for s in labels)
    # The body's own earlier year does not make a sentence shared, and it is counted once.
    fact = BODIES["甲县人民政府"][0]
    assert [s.label for s in labels if s.text == fact] == [0]
    # Masking: digits become 0, the enumeration marker goes.
    assert by_text[("甲县人民政府", "一是公开意识有待进一步增强。")].masked == "公开意识有待进一步增强。"
    assert by_text[("甲县人民政府", fact)].masked.startswith("全年在县政府门户网站发布乡村振兴信息0条")


def test_shared_sentence_with_figures_is_not_labeled(tmp_path):
    template = "本年制发行政规范性文件{}件，废止{}件，现行有效{}件，均已在门户网站集中公开。"
    for n, agency in enumerate(BODIES):
        fact, measure, generic = BODIES[agency]
        text = _report(agency, 2023, template.format(n + 1, n + 2, n + 10) + fact, generic + measure)
        (tmp_path / f"r{n}.txt").write_text(text, encoding="utf-8")
    assert not [s for s in derive_labels(tmp_path) if "行政规范性文件" in s.text]


def test_mirror_copy_of_a_page_is_one_body(tiny):
    before = derive_labels(tiny)
    # A spam mirror: the same page with the agency in the title replaced.
    page = (tiny / "r1.txt").read_text(encoding="utf-8").replace("乙县交通运输局2023", "某娱乐平台2023")
    (tiny / "mirror.txt").write_text(page, encoding="utf-8")
    after = derive_labels(tiny)
    assert len(after) == len(before)
    assert {s.body for s in after} == {s.body for s in before}


def test_bodies_from_manifest_and_place_suffix(tmp_path):
    (tmp_path / "full").mkdir()
    fact, measure, generic = BODIES["甲县人民政府"]
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / "full" / name).write_text(_report("某单位", 2023, fact, generic), encoding="utf-8")
    (tmp_path / "manifest.tsv").write_text(
        "file\tkind\tagency\n"
        "full/a.txt\tfull\t洪泽区人民政府（淮安市洪泽区人民政府办公室编制）\n"
        "full/b.txt\tfull\t淮安市洪泽区人民政府\n"
        "full/c.txt\tfull\t某街道办事处（镜像域名）\n", encoding="utf-8")
    docs = classifier._as_documents(sorted((tmp_path / "full").glob("*.txt")))
    assert classifier.body_keys(docs) == ["洪泽区人民政府", "洪泽区人民政府", "文件:c"]


def test_training_report_is_grouped_and_consistent(tiny):
    report = train(tiny)
    labels = derive_labels(tiny)
    assert sum(map(sum, report.confusion)) == report.labeled == len(labels)
    assert report.label_counts["template"] == sum(s.label == 1 for s in labels)
    assert report.bodies == 4 and report.labeled_bodies == 4
    assert report.folds >= 3
    assert 0.0 <= report.precision <= 1.0 and 0.0 <= report.recall <= 1.0
    text = report.render()
    assert "精确率" in text and "召回率" in text and "混淆矩阵" in text


def test_training_saves_a_loadable_model_and_card(tiny, tmp_path):
    out = tmp_path / "out" / "m.skops"
    report = train(tiny, out_path=out)
    assert out.is_file() and report.model_bytes == out.stat().st_size
    card = Path(report.card_path).read_text(encoding="utf-8")
    assert "按机关分组的交叉验证" in card and "Grouped cross-validation" in card
    model = load_model(out)
    assert len(score_sentences(["本年度未收取信息处理费，无其他需要报告的事项。"], model)) == 1


def test_too_few_bodies_is_a_clear_error(tmp_path):
    for n, agency in enumerate(list(BODIES)[:2]):
        fact, measure, generic = BODIES[agency]
        (tmp_path / f"r{n}.txt").write_text(_report(agency, 2023, fact, generic + measure), encoding="utf-8")
    with pytest.raises(ValueError, match="机关"):
        train(tmp_path)


# --------------------------------------------------------------------------- the shipped model


def test_shipped_model_is_small_and_needs_only_allowed_types():
    assert DEFAULT_MODEL_PATH.is_file()
    assert DEFAULT_MODEL_PATH.stat().st_size < 3 * 1024 * 1024
    assert set(sio.get_untrusted_types(file=DEFAULT_MODEL_PATH)) <= set(ALLOWED_TYPES)
    assert load_model() is load_model()  # cached once per process


def test_shipped_model_separates_generic_from_specific():
    generic, specific = score_sentences([
        "进一步加强组织领导，持续提升政务公开工作水平。",
        "6月底前在门户网站上线“政策问答”专栏，由县政府办公室负责。",
    ])
    assert generic > 0.5 > specific
    assert score_sentences([]) == []


def _scored_by_hand_as_by_score_sentences(texts: list[str], model) -> None:
    from auditor.checks.metric import _linear_steps, _score_sentences

    assert _linear_steps(model) is not None  # the shipped kind of model: scored by hand
    for start in range(0, len(texts), 4):
        group = texts[start:start + 4]
        expected = score_sentences(group, model)
        assert _score_sentences(group, model) == expected, group
        assert [_score_sentences([text], model)[0] for text in group] == expected, group


def test_metric_scores_every_sentence_of_the_corpora_as_score_sentences(shared):
    """checks/metric.py applies the Pipeline's steps by hand (without sklearn's validation): the
    same floats, bit for bit, for every sentence of the shared corpus and the samples, in groups of
    four as the rules ask and alone."""
    from auditor.nlp.sentences import split_document
    from auditor.structure import parse_file

    files = [p for p in sorted((shared / "real").rglob("*")) + sorted((shared / "seed").glob("*"))
             + sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.*"))
             if p.is_file() and p.suffix not in (".json", ".md", ".tsv", ".py")]
    texts = set()
    for path in files:
        try:
            document = parse_file(path)
        except Exception:
            continue  # a file the parser refuses has no sentences to score
        texts.update(s.text for s in split_document(document))
    assert len(texts) > 2000
    _scored_by_hand_as_by_score_sentences(sorted(texts), load_model())


def test_metric_scores_a_trained_model_as_score_sentences(tiny, tmp_path):
    out = tmp_path / "out" / "m.skops"
    train(tiny, out_path=out)
    _scored_by_hand_as_by_score_sentences([text for texts in BODIES.values() for text in texts]
                                          + [SHARED_SENTENCE, UNLABELED_SENTENCE, "", "无"], load_model(out))


class NotAllowed:
    """Stands for any object the allow-list does not name."""

    def __init__(self):
        self.payload = [1, 2, 3]


def test_model_with_a_type_outside_the_allow_list_is_refused(tmp_path):
    path = tmp_path / "evil.skops"
    sio.dump(NotAllowed(), path)
    assert sio.get_untrusted_types(file=path)  # skops itself does not trust it
    with pytest.raises(ValueError, match="允许清单"):
        load_model(path)


def test_missing_or_damaged_model_file_is_a_chinese_error(tmp_path):
    with pytest.raises(ValueError, match="找不到套话分类模型文件"):
        load_model(tmp_path / "none.skops")
    damaged = tmp_path / "damaged.skops"
    damaged.write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="无法读取"):
        load_model(damaged)
