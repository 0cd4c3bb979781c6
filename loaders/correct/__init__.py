"""Corrections: what analysts confirmed, rejected, corrected and added (corrections: the records and how they
apply to the tables) and the store they are kept in, data/corrections.jsonl (correction_store)."""
