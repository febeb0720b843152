"""Layer 0.

Small building blocks every stage uses (months, intervals, disclosure control, formatting, URLs);
imports nothing else from reach but :mod:`reach.errors`.
"""
