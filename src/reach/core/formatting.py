"""How numbers, changes and intervals are written for people."""

from __future__ import annotations


def format_value(value: float | None, unit: str) -> str:
    """Write a tile's number for people: whole people, a percentage or a signed relative change.

    Parameters
    ----------
    value : float or None
        The number (a share or relative change as a fraction).
    unit : {"people", "share", "relative"}
        What it measures.

    Returns
    -------
    str
        E.g. ``"1,788"``, ``"77%"``, ``"+37%"``; ``"–"`` for None.

    Examples
    --------
    >>> format_value(1787.6, "people"), format_value(0.7716, "share"), format_value(0.374, "relative")
    ('1,788', '77%', '+37%')
    """
    if value is None:
        return "–"
    if unit == "people":
        return f"{float(value):,.0f}"
    if unit == "share":
        return f"{float(value):.0%}"
    if unit == "relative":
        return f"{float(value):+.0%}"
    raise ValueError(f"unknown unit {unit!r}")


def format_change(value: float | None, unit: str) -> str:
    """Write a change between two figures: signed people, or signed percentage points for shares.

    Examples
    --------
    >>> format_change(311.0, "people"), format_change(0.154, "share"), format_change(-0.01, "relative")
    ('+311', '+15 points', '-1 point')
    """
    if value is None:
        return "–"
    if unit == "people":
        return f"{float(value):+,.0f}"
    points = 100 * float(value)
    return f"{points:+.0f} point" + ("" if round(abs(points)) == 1 else "s")


def format_change_interval(low: float, high: float, unit: str) -> str:
    """Write the interval of a change, e.g. ``"+1 to +31 points"`` or ``"-120 to +340"``.

    Examples
    --------
    >>> format_change_interval(0.0055, 0.3053, "share"), format_change_interval(-120, 340, "people")
    ('+1 to +31 points', '-120 to +340')
    """
    if unit == "people":
        return f"{float(low):+,.0f} to {float(high):+,.0f}"
    return f"{100 * float(low):+.0f} to {100 * float(high):+.0f} points"
