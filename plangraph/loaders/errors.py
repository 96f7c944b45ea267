"""Errors raised while reading a plan source."""

from __future__ import annotations

__all__ = ["PlanSourceError"]


class PlanSourceError(ValueError):
    """A plan source is malformed. The message names the file, the line and the field.

    >>> str(PlanSourceError("plan.yaml", "themes[0].goals[1].label", "is missing", line=12))
    'plan.yaml:12: themes[0].goals[1].label: is missing'
    """

    def __init__(self, file: str, field: str | None, message: str, line: int | None = None):
        self.file = file
        self.field = field
        self.line = line
        self.reason = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")
