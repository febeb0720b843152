"""Core: the small building blocks every stage uses.

Months, intervals, disclosure control, formatting and URLs; imports nothing else from reach but
:mod:`reach.errors`.
"""
