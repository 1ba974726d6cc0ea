"""The site settings in ``content/site.yaml`` and the name registries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ContentError
from .fields import FieldReader
from .files import NotARegularFile, is_inside, read_regular_bytes
from .languages import check_language
from .slugs import slugify
from .yamltext import KeyLines, YamlProblem, parse_yaml

BASE_URL_HINT = "write only https:// (or http://), the host and an optional path, like https://example.com/archive/"
# A path that goes into sitemap.xml and robots.txt as it is: no character
# there may need escaping in XML, HTML or a URL.
_SAFE_PATH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%")


@dataclass(frozen=True)
class SiteConfig:
    """Settings from ``content/site.yaml``; every key is optional."""

    title: str = "Panchina"  # shown in every page's header and <title>
    base_url: str = "http://127.0.0.1:8000/"  # absolute URLs in the sitemap; ends with /
    language: str = "en"  # a BCP 47 tag (en, pt-BR): <html lang>, and stories' default lang
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
        problem = site_address_problem(url)
        if problem:
            reader.error("base_url", f"'{url}' has {problem}, which the site's address cannot have", BASE_URL_HINT)
        else:
            settings["base_url"] = url.rstrip("/") + "/"
    if reader.has("language") and (text := reader.text("language", "a language code")):
        code, problem, hint = check_language(text)
        if code is None:
            reader.error("language", problem, hint)
        else:
            settings["language"] = code
    return SiteConfig(**settings)


def site_address_problem(url: str) -> str | None:
    """What makes an http(s) address unusable as the site's base, or None.

    The base goes in front of every address in the sitemap and robots.txt,
    so it may only be a host and a path: a query or fragment would end up in
    the middle of every address.
    """
    parts = urlsplit(url)
    if parts.query or url.endswith("?"):
        return f"a query ({'?' + parts.query})"
    if parts.fragment or url.endswith("#"):
        return f"a fragment ({'#' + parts.fragment})"
    if not all(char.isascii() and (char.isalnum() or char in "-.:[]") for char in parts.netloc):
        return "characters that are not allowed in a host name (write a non-Latin one in its xn-- form)"
    if not _port_is_a_number(parts):
        return "a port that is not a number"
    bad = next((char for char in parts.path if char not in _SAFE_PATH_CHARS), None)
    if bad is not None:
        return f"the character '{bad}' in its path (spell it with %-escapes)"
    if re.search(r"%(?![0-9A-Fa-f]{2})", parts.path):
        return "a % in its path that is not followed by two hexadecimal digits"
    return None


@dataclass
class Registry:
    """Canonical names with their aliases, from ``coaches.yaml`` or ``clubs.yaml``."""

    canonical: dict[str, str] = field(default_factory=dict)  # alias -> canonical name
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> its aliases
    sort_as: dict[str, str] = field(default_factory=dict)  # name -> how A–Z lists alphabetise it ("Hag, Erik ten")

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
    for item, line, keys in zip(document.data, document.item_lines, document.item_keys, strict=True):
        _add_registry_entry(registry, item, line + 1, keys, shown, claimed, errors)
    return registry


def _port_is_a_number(parts) -> bool:
    try:
        return parts.port is not None or not parts.netloc.endswith(":")
    except ValueError:  # urlsplit checks the port only when asked
        return False


def _add_registry_entry(registry: Registry, item: object, line: int, keys: KeyLines | None, shown: str,
                        claimed: dict[str, int], errors: list[ContentError]) -> None:
    if not isinstance(item, dict) or keys is None:
        errors.append(ContentError(shown, line, None, "an entry must have 'name:' and 'aliases:'",
                                   "write '- name: Full Name' then '  aliases: [Other Name]'"))
        return
    reader = FieldReader(shown, item, keys, 1, errors, home_line=line)
    reader.check_keys(("name",), ("aliases", "sort_as"))
    name = reader.name("name") if "name" in item else None
    aliases = reader.names("aliases", most=50) if reader.has("aliases") else []
    sort_as = _sort_as(reader) if reader.has("sort_as") else None
    if name is None or aliases is None or sort_as is False:
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
    if sort_as:
        registry.sort_as[name] = sort_as
    for alias in aliases:
        registry.canonical[alias] = name


def _sort_as(reader: FieldReader) -> str | bool:
    """The spelling an A–Z list sorts a name by; False (with an error) when it cannot be sorted."""
    text = reader.name("sort_as")
    if text is None:
        return False
    if not slugify(text):
        reader.error("sort_as", f"'{text}' has no letter or digit that can be sorted A–Z",
                     "write the name in Latin letters as it should be alphabetised, like 'Hag, Erik ten'")
        return False
    return text


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
    # Settings and registries sit at the top of the content folder; a link out of it would
    # put another file's words on every page.
    if not is_inside(path, path.parent.resolve()):
        errors.append(ContentError(shown, None, None, "is a link to a file outside the content folder",
                                   "copy the file into the content folder instead of linking to it"))
        return None
    try:
        text = read_regular_bytes(path).decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except NotARegularFile as error:
        errors.append(ContentError(shown, None, None, f"is {error.kind}, not a file",
                                   "replace it with an ordinary text file"))
        return None
    except (OSError, UnicodeDecodeError) as error:
        errors.append(ContentError(shown, None, None, f"cannot be read: {error}",
                                   "save it as UTF-8 text"))
        return None
    try:
        return parse_yaml(text)
    except YamlProblem as problem:
        errors.append(ContentError(shown, problem.line, problem.field, problem.message, problem.hint))
        return None
