"""The spaCy pipeline: blank Chinese with jieba, the domain dictionary, the sentence splitter.

Loading jieba's dictionary and building the pipeline take about a second, so both happen once
per process, on first use. Nothing on the parse path (`auditor.read`, `auditor.structure`)
imports this module: parsing a report never loads an NLP model.
"""

from __future__ import annotations

import logging

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from auditor import resources
from auditor.nlp.sentences import segment_spans

SENTENCIZER = "auditor_sentencizer"
SENT_START_FLAG, NOT_SENT_START = 1, -1  # spaCy's values for the SENT_START attribute

_jieba = None
_nlp: Language | None = None


def get_jieba():
    """The jieba module with the domain dictionary loaded (once per process)."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # it logs its cache building to stderr otherwise
        with resources.user_dictionary().open("rb") as dictionary:  # auditor/nlp/userdict.txt
            jieba.load_userdict(dictionary)
        _jieba = jieba
    return _jieba


@Language.component(SENTENCIZER)
def auditor_sentencizer(doc: Doc) -> Doc:
    """Sentence starts from `auditor.nlp.sentences`, so `doc.sents` agree with `split_text`.

    Table lines become sentences of their own. Where jieba made one token across a boundary
    (rare: the boundaries sit at punctuation and line breaks), that token starts the sentence.
    The flags are written as one array: setting `token.is_sent_start` one by one rescans the
    whole document each time.
    """
    boundaries = [span.start for span in segment_spans(doc.text)]
    flags = numpy.full(len(doc), NOT_SENT_START, dtype="int64")
    b = 0
    for token in doc:
        token_end = token.idx + len(token.text)
        while b < len(boundaries) and boundaries[b] < token_end:
            if boundaries[b] >= token.idx:
                flags[token.i] = SENT_START_FLAG
            b += 1
    if len(doc):
        flags[0] = SENT_START_FLAG
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
    return doc


def get_nlp() -> Language:
    """The pipeline, built on first use and cached for the process."""
    global _nlp
    if _nlp is None:
        import spacy

        get_jieba()  # the tokenizer segments with the global jieba, so the dictionary must be in it
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.add_pipe(SENTENCIZER)
        _nlp = nlp
    return _nlp
