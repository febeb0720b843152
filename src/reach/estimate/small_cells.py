"""Secondary suppression of the out-takes: which shown counts pin a hidden 1–7 count, and what to withhold."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from reach.core.disclosure import NHS_RULE, count_range, suppress_count


def _suppressor(suppression: Mapping[str, int] | None):
    """The NHS rule as a callable (count → text as shown), carrying its limits as ``keywords``."""
    rule = {**NHS_RULE, **dict(suppression or {})}
    return partial(
        suppress_count, low=int(rule["low"]), high=int(rule["high"]), round_to=int(rule["round_to"])
    )


def share_hidden(successes: int, trials: int, suppression: Mapping[str, int] | None = None) -> bool:
    """Whether a share must be withheld because a count behind it is small (NHS sub-national rule).

    A share is withheld when the number answering, the number saying yes **or the number not
    saying yes** is in the rule's small range (1–7 by default). The complement matters: with the
    share and the shown (rounded) number answering, a reader can work back both counts, so
    9 of 11 shown as "10" answering and 82 % would reveal the 2 who did not say yes. Zero is not
    small: 0 of 10 and 10 of 10 may be shown.

    Parameters
    ----------
    successes, trials : int
        Yes-answers and answers.
    suppression : Mapping, optional
        ``low``, ``high``, ``round_to`` of the NHS rule (``suppression`` in config/reach.yaml);
        defaults to :data:`reach.core.disclosure.NHS_RULE`.

    Returns
    -------
    bool
        True when the share (and its interval, and any change built on it) must not be shown.

    Examples
    --------
    >>> share_hidden(9, 11), share_hidden(5, 20), share_hidden(0, 10), share_hidden(10, 10), share_hidden(12, 20)
    (True, True, False, False, False)
    """
    return _small(_suppressor(suppression), successes, trials)


def _small(shown, successes: int, trials: int) -> bool:
    """True when the answers, the yes-answers or the other answers would be shown as ``"*"``."""
    successes, trials = int(successes), int(trials)
    return any(shown(count) == "*" for count in (trials, successes, trials - successes))


def _possible(shown, text: str, count: int) -> tuple[int, int]:
    """Every count a reader can take ``text`` to stand for, widened to hold the true ``count``.

    ``shown`` made with :func:`_suppressor` gives :func:`reach.core.disclosure.count_range`;
    any other rule (a callable, as in the examples) is searched count by count.
    """
    rule = getattr(shown, "keywords", None)
    if rule is not None:
        lo, hi = count_range(text, **rule)
    else:
        values = [v for v in range(2 * count + 1000) if shown(v) == text]
        lo, hi = min(values), max(values)
    return min(lo, count), max(hi, count)


def _pinned(shown, lo: int, hi: int) -> bool:
    return lo == hi and shown(lo) == "*"


#: What a reader knows of a total: (fewest answers, most answers, fewest yes, most yes).
Known = tuple[int, int, int, int]


def revealed(
    counts: Mapping[str, tuple[int, int]],
    withheld: set[str],
    shown,
    known: Known | None = None,
    texts: Mapping[str, str] | None = None,
) -> bool:
    """Whether a count of 1 to 7 can be worked out from a breakdown as shown.

    A reader of the breakdown knows each shown group's yes-answers and answers (from its share
    and interval), each withheld group's answers only as shown (``"*"``: 1 to 7; ``"10"``: 8 to
    12), and the total: exactly when its share is shown (``known`` None), else within the
    limits ``known``. The withheld groups together are the total minus the shown groups, and
    each withheld group's answers are limited by that and the others' ranges (``"*"`` and
    ``"10"`` withheld from a total of 19 can only be 7 and 12). A count is revealed when the
    withheld groups together hold 1 to 7 answers, yes-answers or other answers, or when any
    withheld group's answers, yes-answers or other answers can take only one value, of 1 to 7.

    Parameters
    ----------
    counts : Mapping of str to (int, int)
        Group → (yes-answers, answers); the groups add up to the total.
    withheld : set of str
        Groups whose share is withheld.
    shown : callable
        The NHS rule: count → text as shown (``"*"`` when hidden).
    known : tuple of int, optional
        What the reader knows of the total when its share is withheld: fewest and most answers,
        fewest and most yes-answers (:func:`total_known`).
    texts : Mapping of str to str, optional
        Group → its count as shown, where it differs from ``shown(answers)``.

    Returns
    -------
    bool

    Examples
    --------
    >>> rule = _suppressor(None)
    >>> revealed({"a": (30, 40), "b": (9, 12), "c": (3, 7)}, {"b", "c"}, rule)  # 19 = "10" + "*": 12 + 7
    True
    >>> revealed({"a": (30, 40), "b": (9, 12), "c": (3, 7)}, {"a", "b", "c"}, rule)
    False
    """
    texts = dict(texts or {})
    withheld = {g for g in withheld if counts[g][1] > 0}
    if not withheld:
        return False
    k_w = sum(counts[g][0] for g in withheld)
    n_w = sum(counts[g][1] for g in withheld)
    if known is None:
        if _small(shown, k_w, n_w):
            return True
        n_lo = n_hi = n_w
        k_lo = k_hi = k_w
    else:
        visible_k = sum(k for g, (k, _) in counts.items() if g not in withheld)
        visible_n = sum(n for g, (_, n) in counts.items() if g not in withheld)
        n_lo, n_hi = max(0, known[0] - visible_n), known[1] - visible_n
        k_lo, k_hi = max(0, known[2] - visible_k), known[3] - visible_k
        if n_lo == n_hi and k_lo == k_hi and _small(shown, k_lo, n_lo):
            return True
        if _pinned(shown, n_lo, n_hi) or _pinned(shown, k_lo, k_hi):
            return True
    ranges = {g: _possible(shown, texts.get(g, shown(counts[g][1])), counts[g][1]) for g in withheld}
    sum_lo = sum(lo for lo, _ in ranges.values())
    sum_hi = sum(hi for _, hi in ranges.values())
    for lo, hi in ranges.values():
        others_lo, others_hi = sum_lo - lo, sum_hi - hi
        f_lo, f_hi = max(lo, n_lo - others_hi), min(hi, n_hi - others_lo)
        if _pinned(shown, f_lo, f_hi):
            return True
        yes, other = set(), set()
        for n in range(f_lo, f_hi + 1):
            # The other withheld groups hold N' answers (within their ranges and the total's) and
            # any K' of 0..N' yes-answers, K' within the total's yes-answers.
            room = min(others_hi, n_hi - n)
            if room < max(others_lo, n_lo - n):
                continue
            for k in range(n + 1):
                if max(0, k_lo - k) <= min(room, k_hi - k):
                    yes.add(k)
                    other.add(n - k)
        for values in (yes, other):
            if len(values) == 1 and _pinned(shown, min(values), max(values)):
                return True
    return False


def secondary_suppression(
    counts: dict[str, tuple[int, int]], hidden: set[str], shown, known: Known | None = None
) -> set[str]:
    """The groups of one breakdown whose share must be withheld so no hidden count follows by subtraction.

    The groups of a breakdown add up to the total, whose share is shown; so the yes-answers and
    answers of the withheld groups together are the total minus the shown groups, and each
    withheld group's answers lie within what that sum and the other withheld groups' shown
    counts allow. While a count of 1 to 7 follows (:func:`revealed`), the shown group with the
    fewest answers is withheld too.

    Parameters
    ----------
    counts : dict of str to (int, int)
        Group → (yes-answers, answers).
    hidden : set of str
        Groups already withheld.
    shown : callable
        The NHS rule: count → text as shown (``"*"`` when hidden).
    known : tuple of int, optional
        What a reader knows of the total when its share is withheld (see :func:`revealed`).

    Returns
    -------
    set of str
        Every group to withhold (the total may still give a count away when no group is left
        to withhold: check with :func:`revealed`).

    Examples
    --------
    >>> rule = _suppressor(None)  # the NHS rule: "*" for 1-7, else rounded to 5
    >>> sorted(secondary_suppression({"a": (30, 40), "b": (10, 20), "c": (2, 3)}, {"c"}, rule))
    ['b', 'c']
    >>> sorted(secondary_suppression({"a": (30, 40), "b": (18, 20), "c": (2, 3)}, {"c"}, rule))
    ['a', 'b', 'c']
    >>> sorted(secondary_suppression({"a": (30, 40), "b": (18, 20), "c": (0, 0)}, set(), rule))
    []

    Shown unrounded, b's 20 answers would give c's 3 back from the 23 withheld together:

    >>> exact = lambda n: "*" if 1 <= n <= 7 else str(n)
    >>> sorted(secondary_suppression({"a": (30, 40), "b": (10, 20), "c": (2, 3)}, {"c"}, exact))
    ['a', 'b', 'c']
    """
    withheld = set(hidden)
    while withheld and revealed(counts, withheld, shown, known):
        visible = _visible(counts, withheld)
        if not visible:
            break
        withheld.add(min(visible, key=lambda g: (counts[g][1], g)))
    return withheld


def _visible(counts: Mapping[str, tuple[int, int]], withheld: set[str]) -> list[str]:
    return [g for g in counts if g not in withheld and counts[g][1] > 0]


def total_known(
    total: tuple[int, int],
    breakdowns: Mapping[str, Mapping[str, tuple[int, int]]],
    withheld: Mapping[str, set[str]],
    shown,
    texts: Mapping[str, Mapping[str, str]] | None = None,
) -> Known:
    """What a reader knows of a total whose share is withheld: its shown count and each breakdown.

    Each breakdown adds up to the total: its shown groups exactly, its withheld groups within
    their shown counts. So the total's answers lie within the shown count's range and within
    every breakdown's sum; its yes-answers within every breakdown's shown yes-answers plus 0 to
    the most its withheld groups can hold.

    Examples
    --------
    >>> rule = _suppressor(None)
    >>> total_known((10, 19), {"district": {"Breckland": (10, 19)}}, {"district": set()}, rule)
    (19, 19, 10, 10)
    """
    texts = texts or {}
    k, n = total
    n_lo, n_hi = _possible(shown, shown(n), n)
    k_lo, k_hi = 0, n_hi
    for name, counts in breakdowns.items():
        hidden = {g for g in withheld[name] if counts[g][1] > 0}
        ranges = [
            _possible(shown, texts.get(name, {}).get(g, shown(counts[g][1])), counts[g][1]) for g in hidden
        ]
        seen_k = sum(c[0] for g, c in counts.items() if g not in hidden)
        seen_n = sum(c[1] for g, c in counts.items() if g not in hidden)
        n_lo = max(n_lo, seen_n + sum(lo for lo, _ in ranges))
        n_hi = min(n_hi, seen_n + sum(hi for _, hi in ranges))
        k_lo, k_hi = max(k_lo, seen_k), min(k_hi, seen_k + sum(hi for _, hi in ranges))
    return n_lo, n_hi, k_lo, min(k_hi, n_hi)
