"""Tidy stage: parsed exports to tidy processed tables.

Match assets, route files to months, set damaged files apart, record restatements.
"""
