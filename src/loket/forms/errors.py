"""Errors and warnings of the form engine; each names the file, the line and the node when known."""

from __future__ import annotations


class FormError(Exception):
    """Base class of the engine's errors."""


class FormLoadError(FormError):
    """A form definition or data file that cannot be used: malformed Turtle, missing root, cycles, …"""

    def __init__(self, message: str, *, source: str = "", line: int | None = None, node: str = "") -> None:
        self.message = message
        self.source = source
        self.line = line
        self.node = node
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "<invoer>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.message}"
        if self.node:
            text += f" (knoop {self.node})"
        return text


class FormWarning(str):
    """Something in a form the engine loads anyway (as the real library does), told to the form's author.

    A `str` ("file:line: message (knoop node)") that also carries its parts for structured reports.
    """

    source: str
    line: int | None
    node: str
    message: str

    def __new__(cls, message: str, *, source: str = "", line: int | None = None, node: str = "") -> FormWarning:
        where = (source or "<invoer>") + (f":{line}" if line is not None else "")
        text = f"{where}: {message}" + (f" (knoop {node})" if node else "")
        warning = super().__new__(cls, text)
        warning.source, warning.line, warning.node, warning.message = source, line, node, message
        return warning

    def as_dict(self) -> dict[str, str | int | None]:
        return {"file": self.source, "line": self.line, "node": self.node, "message": self.message}
