"""Estimate stage: processed tables to estimates.

People reached per channel and combined, coverage of families with a newborn, engagement, out-takes,
themes, time series and counterfactuals.
"""
