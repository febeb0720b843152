"""Ingest stage: raw exports to parsed and validated tables.

Detect what each file is, parse it into an :class:`~reach.ingest.export.Export`, validate it.
"""
