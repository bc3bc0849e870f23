"""NLP layer: the spaCy pipeline (blank zh + jieba, domain dictionary, sentence splitter) and
claim extraction. Loaded lazily, once per process, only by commands that need it."""
