"""Similarity: template-text removal, the corpus index of narrative passages (copied text across
reports and years), and the boilerplate classifier (template vs specific sentences).

In a wheel, shipped/ holds the repository's models/ (the classifier and its model card) as package
data; a checkout has no shipped/ and reads models/ itself (auditor/resources.py)."""
