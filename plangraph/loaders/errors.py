"""Errors raised while reading a plan source."""

from __future__ import annotations

__all__ = ["PlanSourceError", "yaml_error"]


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

    def __reduce__(self) -> tuple:
        # rebuilt from the fields, so it crosses from a worker process to the parent whole
        return (type(self), (self.file, self.field, self.reason, self.line))


def yaml_error(file: str, exc: Exception) -> PlanSourceError:
    """The error for a file that is not valid YAML, at the line where the parser stopped.

    >>> import yaml
    >>> try:
    ...     yaml.safe_load("a: [1, 2")
    ... except yaml.YAMLError as exc:
    ...     print(yaml_error("x.yaml", exc))
    x.yaml:1: not valid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence started on line 1)
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark and getattr(exc, "problem_mark", None):
        reason += f" ({context} started on line {context_mark.line + 1})"
    return PlanSourceError(file, None, f"not valid YAML: {reason}", line=mark.line + 1 if mark else None)
