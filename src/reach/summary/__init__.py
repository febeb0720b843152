"""Summary stage: estimates to the month's summary.

The ``summary.json`` contract, the At a glance tiles, the numbers behind each chart and the data-
quality caveats.
"""
