"""Loaders: turn Chinese articles about development zones into a park-by-measure dataset.

The stages, one folder each, in the order a build runs them:

    articles/   what users bring in: files read to text (read, formats), collections row by row (bulk),
                the article store data/articles/ (store)
    extract/    one document at a time, pure: normalize -> parks (recognise) -> places (locate)
                -> subjects / owners (whose figure) -> facts / measures / dates; pipeline.process runs them
    assemble/   per-document rows -> dataset tables: park ids, places, regions (dataset), as-of dates (asof)
    correct/    analysts' corrections: what one is and how it applies (corrections), their store (correction_store)
    resolve/    mentions -> figures: re-posted copies, repeats, parts of a total, park totals
    publish/    the tables written atomically (write), the Data Package (package), Parquet and Stata (exports),
                the full-text search index over the texts (search)

Beside them: cli (the command line), engines (where the per-article step runs), cache (per-document results
kept between builds), progress, lexicon (the YAML of loaders/data/, loaded once), files (atomic writes),
access (the editor password). Behaviour is driven by the YAML files in loaders/data/. Nothing here imports
Streamlit.
"""
