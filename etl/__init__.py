"""ETL: municipal emergency-management reports -> facts with evidence -> DuckDB."""
