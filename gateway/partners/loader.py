"""Read and validate a directory of partner configuration files.

Every problem is reported, not just the first, each as ``file: field: reason``
so a reviewer can fix a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from gateway.partners.config import PartnerConfig
from gateway.risk.loader import RULES_FILE, load_rules

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with one file."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class LoadedConfigs:
    """The valid configs of a directory and every problem found."""

    configs: dict[str, PartnerConfig]
    sources: dict[str, str]
    problems: list[ConfigProblem]

    @property
    def ok(self) -> bool:
        """No problems at all."""
        return not self.problems


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def _reason(message: str) -> str:
    return message.removeprefix("Value error, ")


def parse_file(path: Path) -> tuple[PartnerConfig | None, list[ConfigProblem]]:
    """Parse one YAML file into a config.

    Args:
        path: the file.

    Returns:
        The config (``None`` if invalid) and the problems found in it.
    """
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [ConfigProblem(name, "(file)", f"cannot read: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(yaml)"
        return None, [ConfigProblem(name, where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, dict):
        return None, [ConfigProblem(name, "(file)", "must be a mapping of fields")]
    try:
        config = PartnerConfig.model_validate(data)
    except ValidationError as exc:
        problems = [
            ConfigProblem(name, _field_path(err["loc"]), _reason(err["msg"]))
            for err in exc.errors(include_url=False)
        ]
        return None, problems
    if config.id != path.stem:
        return None, [ConfigProblem(name, "id", f"{config.id!r} must match the file name")]
    return config, []


def load_directory(directory: Path) -> LoadedConfigs:
    """Validate every ``*.yaml`` / ``*.yml`` file of ``directory``.

    Args:
        directory: the directory (not searched recursively).

    Returns:
        Valid configs by id, the file each came from, and every problem,
        including ids used by more than one file and those of
        ``risk_rules.yaml`` (each naming its line).
    """
    problems: list[ConfigProblem] = []
    configs: dict[str, PartnerConfig] = {}
    sources: dict[str, str] = {}
    if not directory.is_dir():
        return LoadedConfigs({}, {}, [ConfigProblem(str(directory), "(dir)", "not a directory")])
    # The risk rules file sits beside the partner configs and is checked with them.
    rules = load_rules(directory)
    problems.extend(
        ConfigProblem(p.file, f"line {p.line}: {p.field}" if p.line else p.field, p.reason)
        for p in rules.problems
    )
    for path in sorted(
        p
        for p in directory.iterdir()
        if p.suffix in SUFFIXES and p.is_file() and p.name != RULES_FILE
    ):
        config, found = parse_file(path)
        problems.extend(found)
        raw_id = config.id if config is not None else _raw_id(path)
        if raw_id is not None and raw_id in sources:
            problems.append(
                ConfigProblem(
                    path.name, "id", f"duplicate id {raw_id!r} (also in {sources[raw_id]})"
                )
            )
            configs.pop(raw_id, None)
            continue
        if raw_id is not None:
            sources[raw_id] = path.name
        if config is not None:
            configs[config.id] = config
    if not sources and not problems:
        problems.append(ConfigProblem(str(directory), "(dir)", "no partner configuration files"))
    return LoadedConfigs(configs, sources, problems)


def _raw_id(path: Path) -> str | None:
    """The ``id`` an invalid file declares, so duplicates are caught even then."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
