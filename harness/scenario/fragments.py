"""Fragment files: steps shared by scenarios, found by name in ``fragments/`` folders and read once each.

A fragment is looked for in the ``fragments/`` folder of the folder that uses it, then of each folder above,
up to the library root (the folder holding the nearest ``pools/``; without one, only the using folder). The
nearest file of that name wins, so a sub-folder can add or replace fragments of the library's. A fragment's
own uses are looked up the same way from the folder that holds its ``fragments/`` folder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.scenario.errors import Problem, SpecError, SpecIssue
from harness.scenario.kinds import StepTypes
from harness.scenario.names import FRAGMENTS_DIR, POOLS_DIR, YAML_SUFFIXES
from harness.scenario.schemas import fragment_problems
from harness.scenario.yaml_marks import MarkIndex, YamlDocument

ReadFile = Callable[[Path], YamlDocument]


@dataclass
class FragmentFile:
    """One fragment file as read: its value and marks, and the problems of the file on its own."""

    name: str
    path: Path
    doc: YamlDocument
    issues: list[SpecIssue] = field(default_factory=list)
    """YAML and schema problems: a fragment with any is not checked further, nor used."""

    @property
    def raw(self) -> Mapping[str, Any]:
        value = self.doc.value
        return value if isinstance(value, Mapping) else {}

    @property
    def home(self) -> Path:
        """The folder its own ``use:`` steps are looked up from (the one holding its ``fragments/``)."""
        return self.path.parent.parent

    @property
    def args(self) -> dict[str, Mapping[str, Any]]:
        """Argument name -> its declaration (``{}`` for ``name:`` alone), in file order."""
        args = self.raw.get("args")
        if not isinstance(args, Mapping):
            return {}
        return {str(name): spec if isinstance(spec, Mapping) else {} for name, spec in args.items()}

    @property
    def returns(self) -> list[str]:
        returns = self.raw.get("returns")
        return [str(name) for name in returns] if isinstance(returns, list) else []

    def where(self, *path: str | int) -> str:
        """``file:line:col`` of a key path in the fragment, for hints placed in another file."""
        mark = self.doc.marks.locate(path, on_key=True)
        return f"{self.path}:{mark.line}:{mark.col}"


def library_root(start: Path) -> Path:
    """The folder holding the nearest ``pools/`` at or above ``start``; ``start`` itself when there is none."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / POOLS_DIR).is_dir():
            return folder
    return here


def fragment_folders(start: Path) -> list[Path]:
    """The ``fragments/`` folders a ``use:`` written in ``start`` looks in, nearest first."""
    here, root = start.resolve(), library_root(start)
    folders = []
    for folder in (here, *here.parents):
        candidate = folder / FRAGMENTS_DIR
        if candidate.is_dir():
            folders.append(candidate)
        if folder == root:
            break
    return folders


_FILES: dict[tuple[Path, int, int], FragmentFile] = {}
"""Fragment files by (path, mtime, size): every scenario using one shares the reading of it."""


class FragmentFinder:
    """Finds fragments by name for the step kinds ``kinds``, reading each file once."""

    def __init__(self, kinds: StepTypes, read_file: ReadFile) -> None:
        self.kinds = kinds
        self.read_file = read_file

    def find(self, name: str, start: Path) -> FragmentFile | None:
        for folder in fragment_folders(start):
            for suffix in YAML_SUFFIXES:
                file = folder / f"{name}{suffix}"
                if file.is_file():
                    return self.read(file)
        return None

    def names(self, start: Path) -> list[str]:
        """Every fragment name visible from ``start`` (for a "did you mean")."""
        return sorted(
            {file.stem for folder in fragment_folders(start) for file in folder.iterdir() if is_fragment_file(file)}
        )

    def read(self, file: Path) -> FragmentFile:
        stat = file.stat()
        key = (file.resolve(), stat.st_mtime_ns, stat.st_size)
        if key not in _FILES:
            _FILES[key] = self._read(file)
        return _FILES[key]

    def _read(self, file: Path) -> FragmentFile:
        try:
            doc = self.read_file(file)
        except SpecError as exc:
            return FragmentFile(file.stem, file, YamlDocument(None, MarkIndex(), ()), list(exc.issues))
        problems = list(doc.problems)
        if not isinstance(doc.value, Mapping):
            problems.append(Problem((), "a fragment file is a mapping with 'fragment' and 'steps' keys"))
        else:
            problems += fragment_problems(self.kinds, doc.value)
        issues = sorted({doc.marks.issue(file, p) for p in problems}, key=lambda i: (i.line, i.col, i.message))
        return FragmentFile(file.stem, file, doc, issues)


def is_fragment_file(path: Path) -> bool:
    return path.suffix in YAML_SUFFIXES and path.is_file() and not path.name.startswith(".")
