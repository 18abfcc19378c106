"""Errors of the ingest layer: a file that cannot be read says which file and why."""

from __future__ import annotations

from pathlib import Path


class LoadError(Exception):
    """A document could not be loaded; `reason` is a sentence a person can act on."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class UnsupportedFile(LoadError):
    """The file's type is not one we read; the ingest reports it as skipped, not as an error."""
