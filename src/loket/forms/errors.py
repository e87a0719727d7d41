"""Errors the form engine raises for bad input; each names the file, the line and the node when known."""

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
