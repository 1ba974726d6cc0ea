"""The site settings in ``content/site.yaml`` and the name registries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError
from .fields import FieldReader
from .languages import LANGUAGE_CODES, suggest_language
from .yamltext import YamlProblem, parse_yaml


@dataclass(frozen=True)
class SiteConfig:
    """Settings from ``content/site.yaml``; every key is optional."""

    title: str = "Panchina"  # shown in every page's header and <title>
    base_url: str = "http://127.0.0.1:8000/"  # absolute URLs in the sitemap; ends with /
    language: str = "en"  # ISO 639-1: <html lang>, and stories' default lang
    description: str = "Every rumour about a football coach moving to a club, with its source."


def load_site_config(content_dir: Path, shown: str, errors: list[ContentError]) -> SiteConfig:
    """Read ``site.yaml`` if present; problems go to ``errors`` and defaults stand in."""
    path = content_dir / "site.yaml"
    reader = _read_mapping(path, shown, errors)
    if reader is None:
        return SiteConfig()
    reader.check_keys((), ("title", "base_url", "language", "description"))
    settings = {}
    for key in ("title", "description"):
        if reader.has(key) and (value := reader.text(key)):
            settings[key] = value
    if reader.has("base_url") and (url := reader.url("base_url")):
        settings["base_url"] = url.rstrip("/") + "/"
    if reader.has("language") and (code := reader.text("language", "a language code")):
        if code.lower() in LANGUAGE_CODES:
            settings["language"] = code.lower()
        else:
            reader.error("language", f"'{code}' is not an ISO 639-1 language code", suggest_language(code))
    return SiteConfig(**settings)


@dataclass
class Registry:
    """Canonical names with their aliases, from ``coaches.yaml`` or ``clubs.yaml``."""

    canonical: dict[str, str] = field(default_factory=dict)  # alias -> canonical name
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> its aliases

    def resolve(self, name: str) -> str:
        return self.canonical.get(name, name)


def load_registry(path: Path, shown: str, errors: list[ContentError]) -> Registry:
    """Read a registry file: a YAML list of ``{name, aliases}`` entries."""
    registry = Registry()
    if not path.exists():
        return registry
    document = _parse_file(path, shown, errors)
    if document is None:
        return registry
    if document.data is None:
        return registry
    if not isinstance(document.data, list):
        errors.append(ContentError(shown, 1, None, "must be a list of entries",
                                   "write each entry as '- name: Full Name' with 'aliases: [Other Name]' below"))
        return registry
    claimed: dict[str, int] = {}  # every name and alias -> line that claims it
    for item, line in zip(document.data, document.item_lines):
        _add_registry_entry(registry, item, line + 1, shown, claimed, errors)
    return registry


def _add_registry_entry(registry: Registry, item: object, line: int, shown: str,
                        claimed: dict[str, int], errors: list[ContentError]) -> None:
    if not isinstance(item, dict):
        errors.append(ContentError(shown, line, None, "an entry must have 'name:' and 'aliases:'",
                                   "write '- name: Full Name' then '  aliases: [Other Name]'"))
        return
    reader = FieldReader(shown, item, {k: 0 for k in item}, line, errors)
    reader.check_keys(("name",), ("aliases",))
    name = reader.name("name") if "name" in item else None
    aliases = reader.names("aliases", most=50) if reader.has("aliases") else []
    if name is None or aliases is None:
        return
    aliases = [alias for alias in aliases if alias != name]
    for claim in (name, *aliases):
        if claim in claimed:
            errors.append(ContentError(
                shown, line, "name" if claim == name else "aliases",
                f"'{claim}' is already claimed by the entry on line {claimed[claim]}",
                "a name or alias may appear only once in the file: merge the two entries"))
            return
    for claim in (name, *aliases):
        claimed[claim] = line
    registry.aliases[name] = tuple(aliases)
    for alias in aliases:
        registry.canonical[alias] = name


def _read_mapping(path: Path, shown: str, errors: list[ContentError]) -> FieldReader | None:
    if not path.exists():
        return None
    document = _parse_file(path, shown, errors)
    if document is None or document.data is None:
        return None
    if not isinstance(document.data, dict):
        errors.append(ContentError(shown, 1, None, "must be key: value lines",
                                   "write one setting per line, like 'title: My Archive'"))
        return None
    return FieldReader(shown, document.data, document.key_lines, 1, errors)


def _parse_file(path: Path, shown: str, errors: list[ContentError]):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        errors.append(ContentError(shown, None, None, f"cannot be read: {error}",
                                   "save it as UTF-8 text"))
        return None
    try:
        return parse_yaml(text)
    except YamlProblem as problem:
        errors.append(ContentError(shown, problem.line + 1, None, problem.message, problem.hint))
        return None
