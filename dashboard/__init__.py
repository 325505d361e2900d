"""Dash dashboard over the DuckDB the ETL builds (read-only)."""
