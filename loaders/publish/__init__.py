"""Publishing: the tables written to data/ atomically (write), the Frictionless Data Package (package),
Parquet and Stata (exports), and the full-text search index over the articles' texts (search)."""
