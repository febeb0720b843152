"""The campaigns table's prespecified answers: each campaign's primary outcome and method, checked on reading."""

from __future__ import annotations

import pandas as pd

from reach.errors import InputValidationError

#: The outcomes a campaign's prespecified answer can be about (``primary_outcome`` in campaigns.csv).
PRIMARY_OUTCOMES = ("campaign_page_views",)
#: The methods that can give a campaign's prespecified answer (``primary_method`` in campaigns.csv).
PRIMARY_METHODS = ("counterfactual", "time_series")


def campaign_primaries(campaigns: pd.DataFrame, source: str = "reference/campaigns.csv") -> dict[str, dict]:
    """Each campaign's prespecified primary outcome and method, from ``campaigns.csv``.

    ``primary_outcome`` is ``campaign_page_views`` (daily views of the campaign's registered web
    pages; the only outcome so far). ``primary_method`` is ``counterfactual`` or
    ``time_series``. A missing column or blank cell takes the default (``campaign_page_views``,
    ``counterfactual``) and the campaign is marked as not prespecified (when its method is
    blank), so the report can say so.

    Parameters
    ----------
    campaigns : pandas.DataFrame
        ``reference_campaigns`` as read (text), in file order.
    source : str
        The file named in errors.

    Returns
    -------
    dict of str to dict
        Campaign id → ``{"primary_outcome", "primary_method", "prespecified"}``.

    Raises
    ------
    InputValidationError
        For a value that is not one of the known ones, naming the file, line (the header is
        line 1), column and what was expected.

    Examples
    --------
    >>> table = pd.DataFrame({"campaign_id": ["a", "b"], "primary_method": ["time_series", ""]})
    >>> campaign_primaries(table)["a"]["primary_method"], campaign_primaries(table)["b"]
    ('time_series', {'primary_outcome': 'campaign_page_views', 'primary_method': 'counterfactual', \
'prespecified': False})
    """
    out = {}
    allowed = {"primary_outcome": PRIMARY_OUTCOMES, "primary_method": PRIMARY_METHODS}
    for position, (_, row) in enumerate(campaigns.iterrows()):
        cells = {}
        for column, values in allowed.items():
            raw = row.get(column)
            text = "" if raw is None or pd.isna(raw) else str(raw).strip()
            if text and text.lower() not in values:
                raise InputValidationError(
                    f"unknown {column} for campaign {row['campaign_id']}; expected one of "
                    f"{', '.join(values)} (or blank: {values[0]}, reported as not prespecified)",
                    path=source,
                    row=position + 2,
                    column=column,
                    value=text,
                )
            cells[column] = text.lower()
        out[str(row["campaign_id"])] = {
            "primary_outcome": cells["primary_outcome"] or PRIMARY_OUTCOMES[0],
            "primary_method": cells["primary_method"] or PRIMARY_METHODS[0],
            "prespecified": bool(cells["primary_method"]),
        }
    return out
