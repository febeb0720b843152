"""reach: monthly reach and impact of safer-sleep communication assets.

The package turns the exports an analyst downloads (GA4, YouTube Studio, Meta, feedback forms)
into tidy tables, honest estimates with intervals, and an offline HTML report.
"""

__version__ = "0.1.0"
