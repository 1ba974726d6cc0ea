"""YAML read safely, with the line of every top-level key.

Front matter and the registries are small, hand-written YAML.  We read them
with PyYAML's safe loader (its C version when installed), with two changes:
dates stay text, so that ``2023-02-30`` is our error and not a crash inside
the loader; and anchors and aliases are refused, since no story needs them and
they are how a "billion laughs" document blows up memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextDateLoader(_BaseLoader):
    """SafeLoader without the timestamp resolver: dates arrive as strings."""


_TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlProblem(Exception):
    """A YAML mistake, at a 0-based line of the text that was parsed."""

    line: int
    message: str
    hint: str


@dataclass
class YamlDocument:
    data: object  # the parsed value
    key_lines: dict[str, int]  # top-level mapping key -> 0-based line
    item_lines: list[int]  # top-level sequence item -> 0-based line


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document or raise ``YamlProblem`` saying where and how to fix it."""
    loader = _TextDateLoader(text)
    try:
        _refuse_aliases(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {}, [])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        raise _explain(error, text) from None
    except yaml.YAMLError as error:  # unmarked: rare, but never a traceback
        raise YamlProblem(0, str(error), "check the YAML syntax") from None
    finally:
        loader.dispose()
    key_lines, item_lines = {}, []
    if isinstance(node, yaml.MappingNode):
        key_lines = {str(k.value): k.start_mark.line for k, _ in node.value}
    elif isinstance(node, yaml.SequenceNode):
        item_lines = [item.start_mark.line for item in node.value]
    return YamlDocument(data, key_lines, item_lines)


def _refuse_aliases(text: str) -> None:
    """Refuse aliases (``*name``) where they are written, before anything expands them."""
    if "*" not in text:  # the cheap common case: no alias can be present
        return
    for event in yaml.parse(text, Loader=_TextDateLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                event.start_mark.line,
                "YAML anchors and aliases (&name, *name) are not allowed",
                "write the value out in full",
            )


def _explain(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line = mark.line if mark else 0
    lines = text.splitlines()
    indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())] if line < len(lines) else ""
    problem = error.problem or "invalid YAML"
    hint = "check the quotes, colons and indentation on this line and the one before"
    if "tab" in problem or "\t" in indent:
        problem, hint = "a tab character", "indent with spaces, not tabs"
    elif "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '").replace("tag:yaml.org,2002:", "!!")
        problem = f"the tag {tag} is not allowed"
        hint = "write plain text, lists and key: value pairs only"
    elif error.context and "quoted scalar" in error.context:
        problem = "a quoted value is never closed"
        hint = "add the closing quote, or remove the opening one"
        if error.context_mark:
            line = error.context_mark.line
    elif "mapping values are not allowed" in problem:
        hint = "put quotes around a value that contains ': '"
    return YamlProblem(line, problem, hint)
