"""Extraction, one document at a time and pure (no I/O), so documents can run in parallel:

    normalize -> parks (recognise names) -> places (locate them) -> subjects / owners (whose figure it is)
    -> facts (numbers) / measures (measure types) / dates (the page's publication date)

`pipeline.process(doc_id, raw)` runs them and returns rows that name parks by their canonical key."""
