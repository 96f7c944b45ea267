"""Loaders: read plan sources into the plan model (:mod:`plangraph.loaders.model`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Callable

from .aliases import AliasTable, aliases_with, bundled_aliases
from .documents import SUPPORTED_SUFFIXES, Document, read_document
from .errors import PlanSourceError
from .lexicon import Lexicon, bundled_lexicon, lexicon_with
from .merge import reconcile_types
from .model import Entity, Goal, Plan, Source, Target, Task, Text, Theme, Vision
from .yaml_plan import dumps as dumps_yaml
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
    "dumps_yaml",
    "load_plan",
    "load_text",
    "expand_sources",
    "read_plans",
    "bundled_plan_path",
    "AliasTable",
    "aliases_with",
    "bundled_aliases",
    "Lexicon",
    "bundled_lexicon",
    "lexicon_with",
    "Document",
    "read_document",
]


def __getattr__(name: str) -> object:
    # the text reader (its rules and word tables) loads when a text is read, not for YAML plans
    if name == "load_text":
        from .text_plan import load_text

        return load_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def bundled_plan_path() -> Path:
    """The YAML description of the Taiyuan plan that ships with plangraph.

    >>> bundled_plan_path().name
    'taiyuan.yaml'
    """
    return Path(str(resources.files("plangraph") / "data" / "taiyuan.yaml"))


def load_plan(path: str | Path, aliases: AliasTable | None = None, *, lexicon: Lexicon | None = None, model: bool = True) -> Plan:
    """Read one plan source, choosing the loader by the file's suffix: YAML plan descriptions,
    or plan texts (.txt, .md, .html, .docx, .pdf) through the extractor (``lexicon`` replaces the
    shipped enterprise lexicon; ``model=False`` reads with the rules and the lexicon alone).

    >>> load_plan(bundled_plan_path()).title.zh[:4]
    '全面再现'
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml(path)
    if suffix in SUPPORTED_SUFFIXES:
        from .text_plan import load_text

        return load_text(path, aliases=aliases, lexicon=lexicon, model=model)
    known = ", ".join((".yaml", *SUPPORTED_SUFFIXES))
    raise PlanSourceError(str(path), None, f"no loader for {suffix or 'files without a suffix'} (plangraph reads {known})")


def expand_sources(sources: list[str | Path]) -> list[Path]:
    """Plan files named directly, plus every readable file inside the folders named, sorted.

    >>> expand_sources(["report.txt"])
    [PosixPath('report.txt')]
    """
    out: list[Path] = []
    for src in sources:
        p = Path(src)
        if p.is_dir():
            out += sorted(
                f for f in p.rglob("*")
                if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in (".yaml", ".yml", *SUPPORTED_SUFFIXES)
            )
        else:
            out.append(p)
    return out


def _read_one(args: tuple[str, AliasTable | None, Lexicon | None, bool]) -> Plan | PlanSourceError:
    path, aliases, lexicon, model = args
    try:
        return load_plan(path, aliases=aliases, lexicon=lexicon, model=model)
    except PlanSourceError as exc:  # returned, not raised, so one bad file does not stop a corpus
        return exc
    except OSError as exc:
        return PlanSourceError(path, None, exc.strerror or str(exc))
    except (ValueError, ArithmeticError, RecursionError, UnicodeError) as exc:  # a loader's bug still names its file
        return PlanSourceError(path, None, f"cannot be read ({type(exc).__name__}: {exc})")


def read_plans(
    sources: list[str | Path],
    *,
    aliases: AliasTable | None = None,
    lexicon: Lexicon | None = None,
    model: bool = True,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Plan], list[str]]:
    """Read every plan source (folders expanded), in parallel on every core when there are many.

    Returns the plans, with unique ids, and warnings: a file inside a named folder that cannot be
    read is skipped with a warning naming it; a file named directly is an error. Plans read from
    text agree on one type per shared entity (:func:`~plangraph.loaders.merge.reconcile_types`).

    >>> plans, warnings = read_plans([bundled_plan_path()])
    >>> [p.id for p in plans], warnings
    (['taiyuan'], [])
    """
    import os
    from concurrent.futures import ProcessPoolExecutor

    named = {Path(s) for s in sources if not Path(s).is_dir()}
    paths = expand_sources(list(sources))
    if lexicon is bundled_lexicon():
        lexicon = None  # each worker loads the shipped lexicon itself rather than receive a copy per job
    jobs = [(str(p), aliases, lexicon, model) for p in paths]
    workers = workers or os.cpu_count() or 1
    results: list[Plan | PlanSourceError] = []
    if len(jobs) >= 8 and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_read_one, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
                results.append(result)
                if on_progress:
                    on_progress(len(results), len(jobs))
    else:
        for job in jobs:
            results.append(_read_one(job))
            if on_progress:
                on_progress(len(results), len(jobs))
    plans: list[Plan] = []
    warnings: list[str] = []
    ids: set[str] = set()
    curated: set[str] = set()
    for path, result in zip(paths, results):
        if isinstance(result, PlanSourceError):
            if path in named:
                raise result
            warnings.append(f"skipped {result}")
            continue
        if path not in named and path.suffix.lower() not in (".yaml", ".yml") and result.states_nothing:
            warnings.append(f"skipped {path}: found no targets and no entities (not a plan text?)")
            continue
        base, n = result.id, 1
        while result.id in ids:
            n += 1
            result.id = f"{base}-{n}"
        ids.add(result.id)
        warnings.extend(result.warnings)
        plans.append(result)
        if path.suffix.lower() in (".yaml", ".yml"):
            curated.add(result.id)
    warnings.extend(reconcile_types(plans, curated))
    return plans, warnings
