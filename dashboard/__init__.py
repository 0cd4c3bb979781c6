"""Shared UI code for the dashboard: dataset queries (dataset), labels (i18n), charts, downloads, evidence
text and the Streamlit parts every page uses (ui). Only `ui` imports Streamlit."""
