"""The boilerplate classifier: the probability that a narrative sentence is template text
(套话/模板句) rather than a specific statement.

Weak labels (`derive_labels`), in this order; a sentence gets the first that applies:

1. template, reason "shared": after masking (leading enumeration marker removed, digits → "0",
   whitespace removed) a near-identical sentence — character 2–4-gram TF-IDF cosine ≥
   SHARED_SIMILARITY — occurs in reports of at least SHARED_MIN_OTHER_BODIES *other* bodies, and
   the sentence states no figure (FIGURE_SIGNALS: number, count, date); a shared shape filled
   with figures ("本年制发行政规范性文件0件，废止0件") reports facts and is left unlabeled.
   A body's own earlier years do not count: reusing one's own text is copying, a different
   check (auditor.similarity.index), not evidence that a sentence is a generic template.
2. template, reason "generic": the sentence has one of the generic shapes evaluators criticise
   (GENERIC_SHAPES: 有待进一步加强, 个别单位, 取得了一定成绩, 进一步/持续 + 加强/深化…, 高度重视…)
   and no specificity signal (rules/specificity.yaml `specific_signals`).
3. specific, reason "specific": no sentence of another body is even loosely similar (cosine <
   UNIQUE_MAX_SIMILARITY), the sentence carries a specificity signal (a number with a unit, a
   date or deadline, a named document, system or owner …; a quoted name alone does not count, it
   is often a slogan such as “放管服”) and has no generic shape.
4. anything else is left unlabeled and is not used for training, so the labels stay clean.

Only narrative sentences are used: those of the sections overview/problems/other, as
`auditor.nlp.sentences.split_document` gives them, at least MIN_CHARS characters long once
masked, and not headings. A body is the agency of the report: from a manifest.tsv next to the
corpus (columns file, kind, agency) when there is one, else the parsed Document.meta.agency,
else the file name; parentheticals are dropped, and a place-named agency that ends another
("洪泽区人民政府" / "淮安市洪泽区人民政府") is the same body. Copies of one page (spam mirrors, a PDF
and its text export) are kept once: their masked narrative sentences are the same set, or, with
at least MIRROR_MIN_SENTENCES each, overlap by a Jaccard index ≥ MIRROR_MIN_JACCARD.

The model is a scikit-learn Pipeline of only library types (HashingVectorizer on characters →
TfidfTransformer → LogisticRegression), so it can be saved with skops and loaded with the explicit
allow-list ALLOWED_TYPES: loading never runs code from the file. Never pickle.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from auditor import resources
from auditor.model import CN_NUMERALS, Document

REPO_ROOT = Path(__file__).resolve().parents[2]
# The shipped model and its card (models/ of the repository; package data in a wheel). The model
# a run uses is resources.model_path(): this one unless the configuration sets `model`.
DEFAULT_MODEL_PATH = resources.shipped_model()
DEFAULT_CARD_PATH = resources.shipped_models_dir() / resources.MODEL_CARD_FILE

NARRATIVE_SECTIONS = ("overview", "problems", "other")
MIN_CHARS = 12  # masked; shorter pieces are headings or fragments, never worth a verdict
SHARED_SIMILARITY = 0.8
SHARED_MIN_OTHER_BODIES = 1  # i.e. the sentence occurs in ≥ 2 distinct bodies
UNIQUE_MAX_SIMILARITY = 0.5
# Mirror pages replace a place name or two; everything else is the same page.
MIRROR_MIN_JACCARD = 0.9
MIRROR_MIN_SENTENCES = 3

TEMPLATE, SPECIFIC = 1, 0

# The shapes of report-format.md "Problems and improvements", as regexes over the masked text.
GENERIC_SHAPES = {
    "有待/仍需加强": r"(?:有待|仍需|还需|尚需|亟需|仍有待|需要)(?:进一步)?(?:加强|提升|提高|完善|强化|规范|增强|改进)",
    "个别单位": r"(?:个别|少数|部分)(?:单位|部门|乡镇|街道|工作人员)",
    "一定成绩": r"取得了?一定(?:的)?(?:成绩|成效)",
    "差距和不足": r"(?:一定|一些)(?:的)?(?:差距|不足)",
    "进一步加强": r"(?:进一步|持续|不断|着力|切实|继续)(?:加强|深化|推进|提升|完善|强化|提高|加大|规范|做好)",
    "高度重视": r"高度重视|稳步推进|扎实推进|全面落实|认真贯彻",
    # The political opener of the 总体情况 that every body writes the same way.
    "指导思想": r"为指导|党的二十大|党的十九大|决策部署|紧紧围绕|正确领导|以人民为中心",
}
# A shared sentence that states figures ("全年收取信息处理费0元") follows a template but reports
# facts; a quoted term alone ("放管服", "三审三校") is usually a slogan. Neither is a clean label.
FIGURE_SIGNALS = ("number", "chinese_count", "date")
WEAK_SIGNALS = ("named",)
_GENERIC = {name: re.compile(rx) for name, rx in GENERIC_SHAPES.items()}

_CN = CN_NUMERALS
# Enumeration markers differ between reports of one template ("一是" / "（二）"); drop them.
LEADING_MARKER = re.compile(
    rf"^(?:[（(](?:[{_CN}]{{1,3}}|\d{{1,2}})[）)]|[{_CN}]{{1,3}}[、.．]|\d{{1,2}}[.、．]"
    rf"|[{_CN}]{{1,2}}是[，,：:]?|第[{_CN}]{{1,2}}[，、]|(?:首先|其次|再次|最后)[，,])")
DIGITS = re.compile(r"\d+(?:[.．]\d+)?")
SPACE = re.compile(r"\s+")
HAN = re.compile(r"[\u4e00-\u9fff]")
# "（四）政府信息公开平台建设情况。": a heading with a full stop, as 2021-format reports write them.
# Without a marker only 情况/方面 endings are headings: "我局高度重视政务公开。" is a sentence.
HEADING = re.compile(r"^[^，,；;：:]{2,24}(?:情况|方面)[。.]?$")
MARKED_HEADING = re.compile(r"^[^，,；;：:]{2,24}(?:情况|方面|工作|问题|事项|建设|管理|公开|保障)[。.]?$")
URL = re.compile(r"https?:|www\.|\.com|\.cn", re.IGNORECASE)

# Pipeline parameters; written into the model card.
N_FEATURES = 2 ** 18
NGRAM_RANGE = (1, 3)
C = 4.0
MAX_FOLDS = 5
MIN_FOLDS = 3

# Every type the saved Pipeline needs besides the ones skops trusts by default; checked against
# skops.io.get_untrusted_types of the shipped file (tests/test_classifier.py).
ALLOWED_TYPES = [
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "numpy.ndarray",
    "numpy.float64",
]


@dataclass
class LabeledSentence:
    text: str
    masked: str
    body: str
    label: int  # 1 = template/boilerplate, 0 = specific
    reason: str


# --------------------------------------------------------------------------- text


def mask(text: str) -> str:
    """What the model sees: no whitespace, no leading enumeration marker, every number "0"."""
    text = SPACE.sub("", text)
    text = LEADING_MARKER.sub("", text, count=1)
    return DIGITS.sub("0", text)


def is_narrative(text: str) -> bool:
    """True for a sentence worth a verdict: long enough, mostly Han text, not a heading.

    The audit should score only sentences for which this holds (the model never saw the others).
    """
    masked = mask(text)
    if len(masked) < MIN_CHARS or "\ufffd" in masked or URL.search(masked):
        return False
    if len(HAN.findall(masked)) < len(masked) / 2:
        return False  # table residue and link lists
    if HEADING.match(masked) or (LEADING_MARKER.match(SPACE.sub("", text)) and MARKED_HEADING.match(masked)):
        return False
    # A heading line ("政府信息管理情况", "…年度报告") has no clause punctuation.
    return bool(re.search(r"[，。；：,;:]", masked)) or len(masked) >= 30


def _signals() -> dict[str, re.Pattern]:
    from auditor.rules.data import data_file

    return _compiled_signals(data_file("specificity"))


@lru_cache(maxsize=4)
def _compiled_signals(path) -> dict[str, re.Pattern]:
    from auditor.rules.data import read_data

    return {name: re.compile(rx) for name, rx in read_data(path)["specific_signals"].items()}


def specificity_signals(text: str) -> list[str]:
    """Names of the specificity signals (rules/specificity.yaml) the sentence carries."""
    return [name for name, rx in _signals().items() if rx.search(text)]


def generic_shapes(text: str) -> list[str]:
    return [name for name, rx in _GENERIC.items() if rx.search(text)]


# --------------------------------------------------------------------------- bodies


def _normalize_agency(name: str | None) -> str | None:
    if not name:
        return None
    name = re.sub(r"[（(][^（）()]*[）)]", "", name)  # "（管委会办公室发布）", "(placeholder name…)"
    name = re.sub(r"[\"'“”‘’\s]", "", name)
    # "某局", "我单位", "政府": the agency is unknown, so the report is a body of its own.
    if len(name) < 3 or "某" in name or name.startswith(("我", "本")):
        return None
    return name


@lru_cache(maxsize=64)
def _manifest(directory: str) -> dict[str, str]:
    """file (relative to the manifest's directory) → agency, from a manifest.tsv."""
    rows: dict[str, str] = {}
    path = os.path.join(directory, "manifest.tsv")
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if "file" not in header or "agency" not in header:
            return rows
        f_col, a_col = header.index("file"), header.index("agency")
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            if len(cells) > max(f_col, a_col):
                rows[cells[f_col]] = cells[a_col]
    return rows


def _manifest_agency(path: str) -> str | None:
    """The agency a manifest.tsv in the file's directory or up to two levels above gives."""
    p = Path(path).resolve()
    for directory in list(p.parents)[:3]:
        if (directory / "manifest.tsv").is_file():
            agency = _manifest(str(directory)).get(p.relative_to(directory).as_posix())
            if agency is not None:
                return agency
    return None


UNKNOWN_BODY = "文件:"  # prefix of the body of a report whose agency is unknown: its file name
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|镇|乡|街道|旗|州)")


def body_keys(docs: list[Document]) -> list[str]:
    """One normalized body name per document."""
    keys = []
    for doc in docs:
        name = _normalize_agency(_manifest_agency(doc.path)) or _normalize_agency(doc.meta.agency)
        keys.append(name or f"{UNKNOWN_BODY}{Path(doc.path).stem}")
    # "洪泽区人民政府" and "淮安市洪泽区人民政府" are one body; only place-named agencies are merged,
    # so that a bare office title can never swallow other bodies.
    names = sorted(set(keys), key=len)
    canonical = {name: name for name in names}
    for name in names:
        if not (_PLACE.match(name) and len(name) >= 5):
            continue
        for other in names:
            if len(other) > len(name) and other.endswith(name) and canonical[other] == other:
                canonical[other] = canonical[name]
    return [canonical[k] for k in keys]


# --------------------------------------------------------------------------- labels


@dataclass
class _Candidate:
    text: str
    masked: str
    body: str
    doc: int


def _as_documents(items: Iterable[Any]) -> list[Document]:
    from auditor.structure import parse_file

    return [item if isinstance(item, Document) else parse_file(str(item)) for item in items]


def _collect(items: Any) -> list[Any]:
    """A directory, one file, or an iterable of files and Documents → a list of them."""
    if isinstance(items, (str, os.PathLike)):
        if os.path.isdir(items):
            from auditor.similarity.discover import discover_reports

            return list(discover_reports(str(items)))
        return [items]
    return list(items)


def _is_mirror(mine: int, theirs: int, shared: int) -> bool:
    """Two pages with these many narrative sentences, `shared` of them identical, are one page."""
    if shared == mine == theirs:
        return True
    if min(mine, theirs) < MIRROR_MIN_SENTENCES:
        return False
    return shared / (mine + theirs - shared) >= MIRROR_MIN_JACCARD


def _candidates(docs: list[Document]) -> tuple[list[_Candidate], dict]:
    """Narrative sentences, mirror pages dropped, each (body, masked text) once."""
    from auditor.nlp.sentences import split_document

    bodies = body_keys(docs)
    per_doc: list[list[tuple[str, str]]] = []
    for doc in docs:
        sentences = []
        for s in split_document(doc):
            if s.section in NARRATIVE_SECTIONS:
                if is_narrative(s.text):
                    sentences.append((s.text, mask(s.text)))
        per_doc.append(sentences)

    # A mirror copy of a page is the same body saying the same thing once, not a second body.
    # Of two copies keep the one whose agency is known (mirrors replace it with spam).
    kept: list[int] = []
    mirrors = 0
    sets = [{m for _, m in sentences} for sentences in per_doc]
    holders: dict[str, list[int]] = {}  # masked sentence → kept documents that have it
    for i in sorted(range(len(docs)), key=lambda i: bodies[i].startswith(UNKNOWN_BODY)):
        mine = sets[i]
        overlap = Counter(j for m in mine for j in holders.get(m, ()))
        if any(_is_mirror(len(mine), len(sets[j]), n) for j, n in overlap.items()):
            mirrors += 1
            continue
        kept.append(i)
        for m in mine:
            holders.setdefault(m, []).append(i)

    seen: set[tuple[str, str]] = set()
    out: list[_Candidate] = []
    for i in sorted(kept):
        for text, m in per_doc[i]:
            if (bodies[i], m) in seen:
                continue  # a body repeating itself across years counts once
            seen.add((bodies[i], m))
            out.append(_Candidate(text, m, bodies[i], i))
    stats = {"files": len(docs), "documents": len(kept), "mirrors": mirrors,
             "bodies": len({bodies[i] for i in kept}), "sentences": len(out)}
    return out, stats


def _other_body_similarity(cands: list[_Candidate]) -> tuple[list[int], list[float]]:
    """For each sentence: how many other bodies have a near-identical one, and the best cosine."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not cands:
        return [], []
    X = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True).fit_transform(
        [c.masked for c in cands])
    body_ids = {b: n for n, b in enumerate(sorted({c.body for c in cands}))}
    body_of = np.array([body_ids[c.body] for c in cands])
    shared, best = [], []
    # Exact cosine by sparse products, a block of rows at a time: a dense block of at most
    # ~20 million similarities (160 MB) whatever the corpus size.
    chunk = max(1, min(1000, 20_000_000 // X.shape[0]))
    for lo in range(0, X.shape[0], chunk):
        S = (X[lo:lo + chunk] @ X.T).toarray()
        for r in range(S.shape[0]):
            row = S[r]
            other = body_of != body_of[lo + r]
            best.append(float(row[other].max()) if other.any() else 0.0)
            shared.append(len(set(body_of[other & (row >= SHARED_SIMILARITY)])))
    return shared, best


def _label_candidates(cands: list[_Candidate]) -> list[tuple[_Candidate, int | None, str]]:
    shared, best = _other_body_similarity(cands)
    out = []
    for c, n_other, top in zip(cands, shared, best):
        signals = specificity_signals(c.text)
        shapes = generic_shapes(c.masked)
        figures = [s for s in signals if s in FIGURE_SIGNALS]
        strong = [s for s in signals if s not in WEAK_SIGNALS]
        if n_other >= SHARED_MIN_OTHER_BODIES:
            if figures:
                out.append((c, None, "unlabeled:共用句式但有数字或日期"))
            else:
                out.append((c, TEMPLATE, f"shared:另有{n_other}个机关使用近似句（相似度≥{SHARED_SIMILARITY}）"))
        elif shapes and not signals:
            out.append((c, TEMPLATE, "generic:" + "、".join(shapes)))
        elif strong and not shapes and top < UNIQUE_MAX_SIMILARITY:
            out.append((c, SPECIFIC, "specific:" + "、".join(signals)))
        else:
            out.append((c, None, "unlabeled"))
    return out


def derive_labels(docs: Iterable[Any]) -> list[LabeledSentence]:
    """The weakly labelled sentences of a corpus (see the module docstring); unlabeled left out."""
    cands, _ = _candidates(_as_documents(_collect(docs)))
    return [LabeledSentence(c.text, c.masked, c.body, label, reason)
            for c, label, reason in _label_candidates(cands) if label is not None]


# --------------------------------------------------------------------------- model


def make_pipeline():
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    # Hashing keeps the file size fixed whatever the corpus; char n-grams because Chinese has no
    # spaces for a token_pattern to split on.
    return Pipeline([
        ("hash", HashingVectorizer(analyzer="char", ngram_range=NGRAM_RANGE, n_features=N_FEATURES,
                                   alternate_sign=False, norm=None, lowercase=False)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ("clf", LogisticRegression(C=C, class_weight="balanced", max_iter=2000)),
    ])


def pipeline_params() -> dict:
    return {"vectorizer": f"HashingVectorizer(analyzer='char', ngram_range={NGRAM_RANGE}, "
                          f"n_features=2**{N_FEATURES.bit_length() - 1}, alternate_sign=False)",
            "weighting": "TfidfTransformer(sublinear_tf=True)",
            "classifier": f"LogisticRegression(C={C}, class_weight='balanced')",
            "masking": "去掉空白和句首序号，数字一律替换为 0",
            "shared_similarity": SHARED_SIMILARITY, "unique_max_similarity": UNIQUE_MAX_SIMILARITY,
            "min_chars": MIN_CHARS, "sections": list(NARRATIVE_SECTIONS)}


@dataclass
class TrainReport:
    files: int
    documents: int
    mirrors: int
    bodies: int
    labeled_bodies: int
    sentences: int
    label_counts: dict[str, int]  # template / specific / unlabeled
    reasons: dict[str, int]  # shared / generic / specific
    folds: int
    per_class: dict[str, dict[str, float]]  # template/specific → precision, recall, f1, support
    confusion: list[list[int]]  # rows true (specific, template), columns predicted (same order)
    params: dict
    date: str
    sources: list[str] = field(default_factory=list)  # directories the training files came from
    note: str | None = None  # what the corpus is, for the model card
    pipeline: Any = field(repr=False, default=None)
    model_path: str | None = None
    model_bytes: int | None = None
    card_path: str | None = None

    @property
    def precision(self) -> float:
        return self.per_class["template"]["precision"]

    @property
    def recall(self) -> float:
        return self.per_class["template"]["recall"]

    @property
    def f1(self) -> float:
        return self.per_class["template"]["f1"]

    @property
    def labeled(self) -> int:
        return self.label_counts["template"] + self.label_counts["specific"]

    def confusion_grid(self) -> str:
        (tn, fp), (fn, tp) = self.confusion
        rows = [("", "预测:具体", "预测:套话"), ("实际:具体", str(tn), str(fp)), ("实际:套话", str(fn), str(tp))]
        return "\n".join("  " + "".join(_pad(cell, 12) for cell in row) for row in rows)

    def render(self) -> str:
        c = self.per_class
        lines = [
            "套话/模板句分类模型 训练报告",
            f"训练语料：{self.files} 份文件，去除镜像副本 {self.mirrors} 份后 {self.documents} 份报告，"
            f"{self.bodies} 个机关；叙述句 {self.sentences} 句",
            f"弱标签：套话 {self.label_counts['template']} 句（多机关共用 {self.reasons.get('shared', 0)}，"
            f"泛泛句式 {self.reasons.get('generic', 0)}），具体 {self.label_counts['specific']} 句，"
            f"未标注（不参与训练）{self.label_counts['unlabeled']} 句；有标注句的机关 {self.labeled_bodies} 个",
            f"按机关分组的 {self.folds} 折交叉验证（同一机关的句子不会同时出现在训练和测试中）：",
            f"  套话类：精确率 {c['template']['precision']:.3f}  召回率 {c['template']['recall']:.3f}  "
            f"F1 {c['template']['f1']:.3f}  （{c['template']['support']} 句）",
            f"  具体类：精确率 {c['specific']['precision']:.3f}  召回率 {c['specific']['recall']:.3f}  "
            f"F1 {c['specific']['f1']:.3f}  （{c['specific']['support']} 句）",
            "混淆矩阵（行为弱标签，列为模型预测，阈值 0.5）：",
            self.confusion_grid(),
            "参数：" + "；".join(f"{k}={v}" for k, v in self.params.items()),
        ]
        if self.model_path:
            size = f"{self.model_bytes / 1024:.0f} KB" if self.model_bytes is not None else "?"
            lines.append(f"模型文件：{self.model_path}（{size}）；模型卡：{self.card_path}")
        return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Right-align by display width: a Han character takes two terminal columns."""
    shown = sum(2 if HAN.match(ch) else 1 for ch in text)
    return " " * max(0, width - shown) + text


def _cross_validate(texts: list[str], y: np.ndarray, groups: list[str]):
    from sklearn.model_selection import StratifiedGroupKFold

    n_groups = len(set(groups))
    folds = min(MAX_FOLDS, n_groups)
    if folds < MIN_FOLDS:
        raise ValueError(f"训练语料只有 {n_groups} 个机关有标注句，按机关分组交叉验证至少需要 {MIN_FOLDS} 个机关")
    predicted = np.empty_like(y)
    X = np.array(texts, dtype=object)
    for train_idx, test_idx in StratifiedGroupKFold(n_splits=folds).split(X, y, groups):
        if len(set(y[train_idx])) < 2:
            raise ValueError("某一折的训练数据只有一类标签，语料太小或过于单一，无法训练")
        model = make_pipeline().fit(X[train_idx], y[train_idx])
        predicted[test_idx] = model.predict(X[test_idx])
    return folds, predicted


def _shown_dir(path: str) -> str:
    """The file's directory, relative to the directory holding the repository when under it."""
    directory = Path(path).resolve().parent
    try:
        return directory.relative_to(REPO_ROOT.parent).as_posix()
    except ValueError:
        return str(directory)


def train(paths_or_docs: Any, out_path: str | os.PathLike | None = None, note: str | None = None) -> TrainReport:
    """Derive labels, cross-validate grouped by body, fit on everything; save when out_path is given.

    paths_or_docs: a directory, or files and/or parsed Documents. note: a description of the
    corpus for the model card.
    """
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    docs = _as_documents(_collect(paths_or_docs))
    cands, stats = _candidates(docs)
    labeled = _label_candidates(cands)
    rows = [(c, label, reason) for c, label, reason in labeled if label is not None]
    y = np.array([label for _, label, _ in rows], dtype=int)
    if len(set(y.tolist())) < 2:
        raise ValueError(f"训练语料中只得到 {len(rows)} 句有标注的句子，缺少套话或具体句其中一类，无法训练")
    texts = [c.masked for c, _, _ in rows]
    groups = [c.body for c, _, _ in rows]
    folds, predicted = _cross_validate(texts, y, groups)

    p, r, f, s = precision_recall_fscore_support(y, predicted, labels=[SPECIFIC, TEMPLATE], zero_division=0)
    per_class = {name: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                 for i, name in enumerate(("specific", "template"))}
    confusion = confusion_matrix(y, predicted, labels=[SPECIFIC, TEMPLATE]).tolist()
    pipeline = make_pipeline().fit(np.array(texts, dtype=object), y)

    reasons = Counter(reason.split(":")[0] for _, _, reason in rows)
    report = TrainReport(
        files=stats["files"], documents=stats["documents"], mirrors=stats["mirrors"],
        bodies=stats["bodies"], labeled_bodies=len(set(groups)), sentences=stats["sentences"],
        label_counts={"template": int((y == TEMPLATE).sum()), "specific": int((y == SPECIFIC).sum()),
                      "unlabeled": len(labeled) - len(rows)},
        reasons=dict(reasons), folds=folds, per_class=per_class, confusion=confusion,
        params=pipeline_params(), date=datetime.date.today().isoformat(),
        sources=sorted({_shown_dir(d.path) for d in docs}), note=note, pipeline=pipeline)
    if out_path is not None:
        save_model(report, out_path)
    return report


# --------------------------------------------------------------------------- saving and loading


def card_path_for(model_path: str | os.PathLike) -> Path:
    model_path = Path(model_path)
    if model_path.resolve() == DEFAULT_MODEL_PATH.resolve():
        return DEFAULT_CARD_PATH
    return model_path.with_suffix(".card.md")


def save_model(report: TrainReport, out_path: str | os.PathLike) -> None:
    import zipfile

    import skops.io as sio

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Deflate: the hashed feature space is mostly zeros (unseen n-grams), which compress well.
    sio.dump(report.pipeline, out, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    untrusted = [t for t in sio.get_untrusted_types(file=out) if t not in ALLOWED_TYPES]
    if untrusted:
        raise ValueError(f"保存的模型含有不在允许清单中的类型：{', '.join(untrusted)}")
    _load.cache_clear()  # a model cached from this path before is stale now
    report.model_path = str(out)
    report.model_bytes = out.stat().st_size
    card = card_path_for(out)
    report.card_path = str(card)
    card.write_text(model_card(report), encoding="utf-8")


def load_model(path: str | os.PathLike | None = None):
    """The saved Pipeline, loaded with the allow-list only; cached once per process and path.

    path: None for the model in effect (the shipped one unless the configuration sets `model`).
    """
    return _load(str(Path(path if path is not None else resources.model_path()).resolve()))


@lru_cache(maxsize=8)
def _load(path: str):
    import skops.io as sio

    if not os.path.isfile(path):
        raise ValueError(f"找不到套话分类模型文件 {path}；请用 auditor train 语料目录 --out {path} 训练一个")
    try:
        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in ALLOWED_TYPES]
    except Exception as exc:  # a damaged or foreign file: zip/json errors of any kind
        raise ValueError(f"套话分类模型文件 {path} 无法读取（{type(exc).__name__}），不是有效的 skops 文件") from exc
    if untrusted:
        raise ValueError(f"套话分类模型文件 {path} 含有不在允许清单中的类型（{', '.join(untrusted)}），"
                         f"为安全起见拒绝加载")
    try:
        model = sio.load(path, trusted=ALLOWED_TYPES)
    except Exception as exc:
        raise ValueError(f"套话分类模型文件 {path} 无法加载（{type(exc).__name__}: {exc}）") from exc
    from sklearn.pipeline import Pipeline

    if not isinstance(model, Pipeline):
        raise ValueError(f"套话分类模型文件 {path} 中不是分类模型")
    return model


def score_sentences(texts: list[str], model: Any = None) -> list[float]:
    """Probability that each sentence is template text (masked the same way as in training).

    model: a fitted Pipeline, a model file path, or None for the model in effect.
    """
    if not texts:
        return []
    if model is None or isinstance(model, (str, os.PathLike)):
        model = load_model(model)
    import sklearn

    column = list(model.classes_).index(TEMPLATE)
    # A fitted model and hashed features, finite by construction: sklearn's checks of the
    # parameters and of the input cost a third of a call on a few sentences and find nothing.
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        proba = model.predict_proba(np.array([mask(t) for t in texts], dtype=object))
    return [float(v) for v in proba[:, column]]


# --------------------------------------------------------------------------- model card


def model_card(report: TrainReport) -> str:
    c = report.per_class
    (tn, fp), (fn, tp) = report.confusion
    size = f"{report.model_bytes / 1024:.0f} KB" if report.model_bytes is not None else "—"
    name = Path(report.model_path).name if report.model_path else "boilerplate.skops"
    params = "\n".join(f"| {k} | {v} |" for k, v in report.params.items())
    return f"""# 模型卡：套话/模板句分类模型（{name}）

## 中文

**预测什么**：对年度报告叙述部分（总体情况、存在的主要问题及改进情况、其他需要报告的事项）的每一句，
给出它是“套话/模板句”（标签 1）而不是“具体表述”（标签 0）的概率。`auditor audit` 在没有给出
`--corpus` 时用它对单份报告做套话评估。

**训练日期**：{report.date}

**训练数据**：{report.files} 份文件（去除镜像副本 {report.mirrors} 份后 {report.documents} 份报告），
{report.bodies} 个机关，{report.sentences} 句叙述句。其中套话 {report.label_counts['template']} 句
（多机关共用 {report.reasons.get('shared', 0)} 句，泛泛句式 {report.reasons.get('generic', 0)} 句），
具体 {report.label_counts['specific']} 句，未标注（不参与训练）{report.label_counts['unlabeled']} 句；
有标注句的机关 {report.labeled_bodies} 个。训练文件所在目录：{'、'.join(report.sources)}。
{report.note or ''}

**弱标签规则**（`auditor/similarity/classifier.py` 的 `derive_labels`，按顺序取第一条）：
句子先遮蔽（去掉空白和句首序号，数字一律换成 0）。
1. 套话（shared）：另有至少 {SHARED_MIN_OTHER_BODIES} 个其他机关的报告中有近似句（字符 2–4 元组
   TF-IDF 余弦相似度 ≥ {SHARED_SIMILARITY}），且句中没有数字或日期（填了数字的共用句式如
   “本年制发行政规范性文件0件，废止0件”是在报告事实，不标注）。同一机关不同年份的重复不算
   （那是“沿用上年”，由语料比对检查）。
2. 套话（generic）：含“有待进一步加强”“个别单位”“取得了一定成绩”“进一步/持续+加强/深化”“高度重视”
   “以……为指导”“紧紧围绕”等泛泛句式，且没有任何具体性信号（rules/specificity.yaml）。
3. 具体（specific）：与其他机关的任何句子都不相近（相似度 < {UNIQUE_MAX_SIMILARITY}），带有具体性信号
   （带单位的数字、日期或期限、书名号文件、系统或专栏、责任主体；只有引号中的名称不算，常是口号），
   且不含泛泛句式。
4. 其余句子不标注、不参与训练。
机关取自语料目录中的 manifest.tsv（如有），否则取报告解析出的机关名，再否则取文件名；去掉括注，
带地名的机关名若是另一机关名的结尾则视为同一机关；叙述句相同（杰卡德系数 ≥ {MIRROR_MIN_JACCARD}）的镜像页面只计一次。

**参数**：

| 参数 | 取值 |
|---|---|
{params}

模型文件大小：{size}。保存格式 skops，加载时只允许以下类型（`ALLOWED_TYPES`），不会执行文件中的代码：
{', '.join(ALLOWED_TYPES)}。

**按机关分组的交叉验证**（StratifiedGroupKFold，{report.folds} 折，同一机关的句子不会同时出现在
训练集和测试集；指标针对弱标签，阈值 0.5）：

| 类别 | 精确率 | 召回率 | F1 | 句数 |
|---|---|---|---|---|
| 套话（1） | {c['template']['precision']:.3f} | {c['template']['recall']:.3f} | {c['template']['f1']:.3f} | {c['template']['support']} |
| 具体（0） | {c['specific']['precision']:.3f} | {c['specific']['recall']:.3f} | {c['specific']['f1']:.3f} | {c['specific']['support']} |

混淆矩阵（行：弱标签；列：预测）：

| | 预测：具体 | 预测：套话 |
|---|---|---|
| 实际：具体 | {tn} | {fp} |
| 实际：套话 | {fn} | {tp} |

**局限**：
- 标签是按规则推出的弱标签，不是人工标注；指标衡量的是模型对这些规则的复现程度，以及在没见过的机关上的泛化，
  不等于人工判断的准确率。具体类要求带具体性信号，模型因此会部分学到“有数字/日期/书名号就是具体”。
- 语料小：真实报告多数只有网页开头的一千多字，第五、六部分的句子主要来自少数完整报告和虚构样例。
- 机关名来自清单或解析结果，无法识别的机关按文件计，同一机关不同年份可能被当作不同机关。
- 只适合 2008/2019/2021 年格式的政府信息公开工作年度报告的叙述句；表格行、标题不应送入模型。

**重新训练**：`auditor train 语料目录 --out models/boilerplate.skops`（会同时重写本模型卡）。

## English

**What it predicts**: for each narrative sentence of an annual report (sections overview, problems,
other) the probability that it is template/boilerplate text (label 1) rather than a specific
statement (label 0). `auditor audit` uses it when no `--corpus` is given, so a single report still
gets a boilerplate assessment.

**Trained**: {report.date}

**Training data**: {report.files} files ({report.documents} reports after dropping {report.mirrors} mirror
copies), {report.bodies} bodies, {report.sentences} narrative sentences; {report.label_counts['template']} labelled
template ({report.reasons.get('shared', 0)} shared across bodies, {report.reasons.get('generic', 0)} generic shape),
{report.label_counts['specific']} specific, {report.label_counts['unlabeled']} left unlabeled; {report.labeled_bodies}
bodies have labelled sentences. Directories of the training files: {', '.join(report.sources)}.

**Weak labels** (first that applies; sentences masked: whitespace and leading enumeration marker
removed, digits → 0): (1) template if a near-identical sentence (char 2–4-gram TF-IDF cosine ≥
{SHARED_SIMILARITY}) occurs in ≥ {SHARED_MIN_OTHER_BODIES} other body's reports and it states no number or date — a
body's own earlier years do not count; (2) template if it has a generic shape (有待进一步加强, 个别单位,
取得了一定成绩, 进一步/持续 + 加强/深化, 高度重视, 以…为指导 …) and no specificity signal; (3) specific
if no other body's sentence is even loosely similar (cosine < {UNIQUE_MAX_SIMILARITY}), it carries a specificity
signal (rules/specificity.yaml; a quoted name alone does not count) and no generic shape;
(4) otherwise unlabeled and not used. Bodies come from a manifest.tsv in the corpus
when present, else the parsed agency, else the file name; mirror pages (same narrative sentences,
Jaccard ≥ {MIRROR_MIN_JACCARD}) count once.

**Parameters**: see the table above. Model size {size}. Saved with skops; loaded with the explicit
allow-list {', '.join(ALLOWED_TYPES)} — loading never executes code from the file.

**Grouped cross-validation** ({report.folds}-fold StratifiedGroupKFold by body; against the weak labels,
threshold 0.5): template precision {c['template']['precision']:.3f}, recall {c['template']['recall']:.3f},
F1 {c['template']['f1']:.3f}; specific precision {c['specific']['precision']:.3f}, recall
{c['specific']['recall']:.3f}, F1 {c['specific']['f1']:.3f}. Confusion matrix (rows true specific/template,
columns predicted specific/template): [[{tn}, {fp}], [{fn}, {tp}]].

**Limitations**: weak, rule-derived labels (the figures measure agreement with them on unseen bodies,
not human judgement; the specific class requires a signal, so the model partly learns "numbers,
dates and 《》 mean specific"); a small corpus in which most real reports are only the first part
of a web page; bodies that cannot be identified count per file. Feed it narrative sentences only,
not table rows or headings.

**Retrain**: `auditor train DIR --out models/boilerplate.skops` (rewrites this card).
"""
