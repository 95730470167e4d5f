"""Brief-ready outputs: the charts a command writes, and the report bundle (Markdown and PDF)."""
