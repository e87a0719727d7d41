"""Background work of persons: its purge of persons no record refers to any more (`persons.retention`), run by the
kernel's daily retention run (`core.retention`)."""

import loket.persons.retention  # noqa: F401 - registers its purge (core.retention)
