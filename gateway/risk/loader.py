"""Read and validate ``risk_rules.yaml``, naming the line of every problem.

The file sits beside the partner configs and is checked by the same
``gateway partners validate`` / ``apply``: each problem is reported as
``risk_rules.yaml: line N: field: reason``, so a reviewer finds it at once.
A directory without the file gets the defaults (the ¥200,000 cap, no rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gateway.risk.config import DEFAULT_RULES, RiskRules

RULES_FILE = "risk_rules.yaml"


@dataclass(frozen=True)
class RulesProblem:
    """One thing wrong with the rules file (``file``, ``field`` and ``reason`` like a partner's)."""

    file: str
    field: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.file}: {where}{self.field}: {self.reason}"


@dataclass(frozen=True)
class LoadedRules:
    """The rules (defaults when absent or invalid) and every problem found."""

    rules: RiskRules
    problems: list[RulesProblem]
    path: Path | None

    @property
    def ok(self) -> bool:
        """No problems at all."""
        return not self.problems


def _line_of(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the node at ``loc`` (or of the nearest parent that exists)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    # An unknown field is reported on its key's line.
                    child = value if not isinstance(value, yaml.ScalarNode) else key
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _reason(message: str) -> str:
    return message.removeprefix("Value error, ")


def parse_rules(path: Path) -> LoadedRules:
    """Parse one rules file.

    Returns:
        The rules, or the defaults with the problems when the file is invalid.
    """
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data: Any = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedRules(
            DEFAULT_RULES, [RulesProblem(name, "(file)", f"cannot read: {exc}")], path
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = RulesProblem(
            name, "(yaml)", f"not valid YAML: {getattr(exc, 'problem', exc)}", line
        )
        return LoadedRules(DEFAULT_RULES, [problem], path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return LoadedRules(
            DEFAULT_RULES, [RulesProblem(name, "(file)", "must be a mapping of fields", 1)], path
        )
    try:
        rules = RiskRules.model_validate(data)
    except ValidationError as exc:
        problems = [
            RulesProblem(
                name,
                ".".join(str(part) for part in err["loc"]) or "(file)",
                _reason(err["msg"]),
                _line_of(root, tuple(err["loc"])),
            )
            for err in exc.errors(include_url=False)
        ]
        return LoadedRules(DEFAULT_RULES, problems, path)
    return LoadedRules(rules, [], path)


def load_rules(directory: Path) -> LoadedRules:
    """The rules file of a partner-config directory (defaults when there is none)."""
    path = directory / RULES_FILE
    if not path.is_file():
        return LoadedRules(DEFAULT_RULES, [], None)
    return parse_rules(path)
