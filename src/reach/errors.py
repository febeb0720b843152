"""Exceptions raised by ``reach``.

Every error a user can cause (a bad month, an unreadable export, a missing notebook) is a
:class:`ReachError`; the command line prints its message as one line and exits non-zero.
"""

from __future__ import annotations


class ReachError(Exception):
    """Base class for errors a user can act on; ``str(err)`` is the one-line message."""


class InputValidationError(ReachError):
    """An input file or parameter does not have the expected shape or values.

    Parameters
    ----------
    message : str
        What was expected and how to fix it.
    path : str, optional
        The file the problem is in.
    row : int, optional
        1-based line number in the file (header is line 1 after any preamble is counted).
    column : str, optional
        Column (header text) the problem is in.
    value : object, optional
        The offending value.
    """

    def __init__(self, message, *, path=None, row=None, column=None, value=None):
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        self.value = value
        self.reason = message
        parts = []
        if self.path is not None:
            parts.append(self.path)
        if row is not None:
            parts.append(f"line {row}")
        if column is not None:
            parts.append(f"column {column!r}")
        if value is not None:
            parts.append(f"value {str(value)[:60]!r}")
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)

    def __reduce__(self):
        # Keep path, line, column and value when the error crosses a process boundary.
        return (_rebuild_input_error, (type(self), self.reason, self.path, self.row, self.column, self.value))


def _rebuild_input_error(cls, message, path, row, column, value):
    return cls(message, path=path, row=row, column=column, value=value)


class UnrecognisedExportError(InputValidationError):
    """A file is not any export kind that ``reach`` knows how to read."""


class IncompleteDataError(ReachError):
    """The inputs for the requested month are missing or incomplete."""


class NotebookError(ReachError):
    """A report notebook is missing or one of its cells raised."""
