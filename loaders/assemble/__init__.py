"""Assembly: every document's rows become the dataset tables (dataset: park ids, places, regions) and every
fact gets the date it held (asof)."""
