"""Presentation as text and files: formatters, terminal tables, CSV/JSON and atomic writes."""
