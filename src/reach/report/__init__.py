"""Report stage: summary to the report.

Sentences, tables and charts the notebooks show, notebook execution, HTML rendering, the manifest
and the month index.
"""
