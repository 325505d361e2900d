"""The review desk (`/review`): sign-in, uploads run through the ETL in the background, and a document's
figures accepted, rejected, corrected or added by a signed-in reviewer. Decisions go to the review store
(`review/store.py`, SQLite beside the ETL's database), never to the DuckDB file the dashboard reads."""
