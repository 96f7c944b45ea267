"""Loaders: read plan sources into the plan model (:mod:`plangraph.loaders.model`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import PlanSourceError
from .model import Entity, Goal, Plan, Source, Target, Task, Text, Theme, Vision
from .yaml_plan import load as load_yaml
from .yaml_plan import loads as loads_yaml

__all__ = [
    "PlanSourceError",
    "Plan",
    "Theme",
    "Goal",
    "Target",
    "Task",
    "Entity",
    "Vision",
    "Text",
    "Source",
    "load_yaml",
    "loads_yaml",
    "load_plan",
    "bundled_plan_path",
]


def bundled_plan_path() -> Path:
    """The YAML description of the Taiyuan plan that ships with plangraph.

    >>> bundled_plan_path().name
    'taiyuan.yaml'
    """
    return Path(str(resources.files("plangraph") / "data" / "taiyuan.yaml"))


def load_plan(path: str | Path) -> Plan:
    """Read one plan source, choosing the loader by the file's suffix.

    >>> load_plan(bundled_plan_path()).title.zh[:4]
    '全面再现'
    """
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return load_yaml(path)
    raise PlanSourceError(str(path), None, f"no loader for {path.suffix or 'files without a suffix'} (use .yaml)")
