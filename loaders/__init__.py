"""Loaders: turn Chinese articles about development zones into a park-by-measure dataset.

Stages, each a small module of pure functions:
    read (bytes -> text) -> normalize -> parks (recognise) -> places (locate)
    -> facts / measures (extract) -> dataset (merge parks across documents) -> write (atomic).
Behaviour is driven by the YAML files in loaders/data/. Nothing here imports Streamlit.
"""
