"""Articles in: a file read to text (read: encodings; formats: .html/.docx/.pdf), a collection read row by
row (bulk: CSV/TSV, XLSX, JSONL, ZIP, a folder), and the store they are kept in, data/articles/ (store)."""
