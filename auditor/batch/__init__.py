"""`auditor batch`: score a whole corpus, resumably, into SQLite + CSV + an HTML index."""
