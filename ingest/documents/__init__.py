"""Document ingest: reports and news into entity and relation candidates."""
