"""Reading Turtle files (forms, data, code lists) as text, refusing what cannot be Turtle before parsing."""

from __future__ import annotations

from pathlib import Path as FilePath

from .errors import FormLoadError

# The real Toezicht form is about 0.5 MB; a file this large is no form or submission (and would parse for minutes).
MAX_TURTLE_BYTES = 16 * 1024 * 1024


def read_text_file(path: str | FilePath, *, limit: int) -> str:
    """The UTF-8 text of a Turtle file; FormLoadError for a missing, too large or binary file."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as error:
        raise FormLoadError(f"kan het bestand niet lezen: {error.strerror or error}", source=source) from None
    if len(raw) > limit:
        size = FilePath(path).stat().st_size
        raise FormLoadError(
            f"bestand te groot ({size / 1_048_576:.1f} MB; hoogstens {limit // 1_048_576} MB voor Turtle)",
            source=source,
        )
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise FormLoadError("binair bestand (nul-byte): geen Turtle-tekst", source=source, line=line)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FormLoadError(
            f"geen UTF-8-tekst (ongeldige byte 0x{raw[error.start]:02x}): geen Turtle", source=source, line=line
        ) from None
