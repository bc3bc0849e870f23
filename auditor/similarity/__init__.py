"""Similarity: template-text removal, the corpus index of narrative passages (copied text across
reports and years), and the boilerplate classifier (template vs specific sentences)."""
