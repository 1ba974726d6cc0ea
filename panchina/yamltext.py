"""YAML read safely, with the line of every key and each value as it is written.

Front matter and the registries are small, hand-written YAML.  We read them
with PyYAML's safe loader (its C version when installed), with these changes:

- dates stay text, so that ``2023-02-30`` is our error and not a crash inside
  the loader;
- aliases (``*name``), merge keys (``<<:``) and explicit tags (``!!int``) are
  refused by name: no story needs them, aliases are how a "billion laughs"
  document blows up memory, and a tag makes the loader itself fail;
- nesting deeper than ``MAX_DEPTH`` is refused before the document is built,
  since the loader builds it recursively and a deep enough one crashes Python;
- a key given twice is an error naming both lines, not a silent overwrite;
- lines are counted at ``\\n`` only, as an editor shows them (YAML also
  breaks lines at U+0085, U+2028, U+2029 and a lone carriage return).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import yaml

from .errors import describe_character

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20  # a story needs two levels (clubs: [A, B]), a registry three
# Every collection is opened by a bracket, or by one of these indicators
# followed by a blank or a line break.  (A one-pair mapping in a flow list,
# [a: b], may open without one, but only inside a bracket: so the depth is at
# most twice the number of openers.)
_OPENERS = ("[", "{", *(indicator + blank for indicator in "-?:" for blank in " \t\n"))
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029", "\r")  # callers make line ends "\n"; a stray "\r" is one of these
_AS_SPACES = str.maketrans({char: " " for char in _YAML_ONLY_BREAKS})
_TAG = re.compile(r"(?:&[^\s,\[\]{}]+\s+)?(!<[^>\s]*>|![^\s,\[\]{}]*)")  # an explicit tag where a node starts
_MERGE = "tag:yaml.org,2002:merge"
PLAIN_HINT = "write plain text, lists and key: value pairs only"


class _TextDateLoader(_BaseLoader):
    """SafeLoader without the timestamp resolver: dates arrive as strings."""


_TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlProblem(Exception):
    """A YAML mistake, at a 1-based line of the file."""

    line: int
    message: str
    hint: str
    field: str | None = None  # the key the mistake is under, when known


class KeyLines(dict):
    """A mapping's keys, each to its 0-based line; ``written()`` gives each value as the file spells it.

    The spelling matters for hints: ``title: 2:1`` is the number 121 to YAML,
    and the contributor should be told to quote ``2:1``, not ``121``.
    """

    def __init__(self, lines: dict[str, int] | None = None, text: str = "",
                 values: dict[str, yaml.Node] | None = None):
        super().__init__(lines or {})
        self._text = text
        self._values = values or {}  # key -> its value's node, whose marks locate the spelling

    def written(self, key: str, item: int | None = None) -> str | None:
        """The value of ``key`` (or its list's ``item``) as written, or None if unknown."""
        node = self._values.get(key)
        if item is not None:
            node = node.value[item] if isinstance(node, yaml.SequenceNode) and item < len(node.value) else None
        if node is None:
            return None
        return self._text[node.start_mark.index:node.end_mark.index].strip()


@dataclass
class YamlDocument:
    data: object  # the parsed value
    key_lines: KeyLines  # top-level mapping key -> 0-based line
    item_lines: list[int]  # top-level sequence item -> 0-based line
    item_keys: list[KeyLines | None] = field(default_factory=list)  # each top-level item's keys, if a mapping


def parse_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document or raise ``YamlProblem`` saying where and how to fix it.

    ``first_line`` is the file line of the text's first line, for messages.
    """
    lines = _EditorLines(text, first_line)
    try:
        _refuse_aliases_and_depth(text, lines)
        node, data = _load(text, lines)
    except yaml.reader.ReaderError as error:  # a character YAML does not accept, such as a raw control
        raise _unacceptable_character(error, text, lines) from None
    except yaml.MarkedYAMLError as error:
        raise _yaml_only_break(error, text, lines) or _explain(error, text, lines) from None
    except yaml.YAMLError as error:  # unmarked: rare, but never a traceback
        raise YamlProblem(first_line, str(error).splitlines()[0], "check the YAML syntax") from None
    if isinstance(node, yaml.MappingNode):
        return YamlDocument(data, _key_lines(node, text, lines), [])
    if isinstance(node, yaml.SequenceNode):
        item_keys = [_key_lines(item, text, lines) if isinstance(item, yaml.MappingNode) else None
                     for item in node.value]
        return YamlDocument(data, KeyLines(), [lines.line(item.start_mark) for item in node.value], item_keys)
    return YamlDocument(data, KeyLines(), [])


def _load(text: str, lines: _EditorLines) -> tuple[yaml.Node | None, object]:
    """The document's node tree, checked, and the value built from it."""
    loader = _TextDateLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_tags_merges_and_repeats(node, text, lines, None, "!" in text)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


class _EditorLines:
    """Lines split at "\\n" only: YAML's marks count U+0085, U+2028, U+2029 and CR as line breaks too."""

    def __init__(self, text: str, first_line: int):
        self.text = text
        self.first_line = first_line
        self.yaml_counts_more = any(char in text for char in _YAML_ONLY_BREAKS)
        self.breaks: list[int] | None = None  # offsets of every "\n", made when first needed

    def line(self, mark) -> int:
        """The 0-based line of a YAML mark."""
        if not self.yaml_counts_more:
            return mark.line  # YAML counted as we do
        return self.line_at(mark.index)

    def line_at(self, index: int) -> int:
        """The 0-based line of the character at ``index``."""
        if self.breaks is None:
            self.breaks = [offset for offset, char in enumerate(self.text) if char == "\n"]
        return bisect.bisect_left(self.breaks, index)

    def file_line(self, mark) -> int:
        return self.first_line + self.line(mark)


def _key_lines(node: yaml.MappingNode, text: str, lines: _EditorLines) -> KeyLines:
    return KeyLines({str(key.value): lines.line(key.start_mark) for key, _ in node.value}, text,
                    {str(key.value): value for key, value in node.value})


def _refuse_aliases_and_depth(text: str, lines: _EditorLines) -> None:
    """Refuse aliases (``*name``) and deep nesting where they are written, before anything is built."""
    if "*" not in text and not lines.yaml_counts_more and 2 * _openers(text) <= MAX_DEPTH:
        return  # the cheap common case: no alias, and too few openers to nest that deep
    open_collections: list[list] = []  # [is a mapping, nodes seen in it] for each collection we are inside
    under = None  # the field we are in: a top-level key, or a key of a top-level list's entry
    for event in yaml.parse(text, Loader=_TextDateLoader):  # the parser keeps its own stack: no recursion
        if open_collections and isinstance(event, yaml.NodeEvent):
            is_mapping, seen = open_collections[-1]
            if is_mapping and seen % 2 == 0 and _names_fields(open_collections):  # keys and values alternate
                under = event.value if isinstance(event, yaml.ScalarEvent) else None
            open_collections[-1][1] += 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(lines.file_line(event.start_mark),
                              "YAML anchors and aliases (&name, *name) are not allowed",
                              "write the value out in full", under)
        if isinstance(event, yaml.CollectionStartEvent):
            open_collections.append([isinstance(event, yaml.MappingStartEvent), 0])
            if len(open_collections) > MAX_DEPTH:
                raise YamlProblem(lines.file_line(event.start_mark),
                                  f"the value is nested more than {MAX_DEPTH} levels deep",
                                  "a story needs two levels at most, as in 'clubs: [A, B]': "
                                  "remove the extra brackets or dashes", under)
        elif isinstance(event, yaml.CollectionEndEvent):
            open_collections.pop()


def _openers(text: str) -> int:
    """An upper bound on the collections ``text`` opens (other line breaks are checked by the caller)."""
    return sum(text.count(opener) for opener in _OPENERS) + text.endswith(("-", "?", ":"))


def _names_fields(open_collections: list[list]) -> bool:
    """True in the mapping whose keys are the fields: the top level, or an entry of a top-level list."""
    return len(open_collections) == 1 or (len(open_collections) == 2 and not open_collections[0][0])


def _refuse_tags_merges_and_repeats(node: yaml.Node, text: str, lines: _EditorLines, under: str | None,
                                    tagged: bool = True) -> None:
    """Refuse explicit tags, ``<<`` merge keys and repeated keys, in the order they are written.

    ``under`` is the top-level key the node belongs to, for messages;
    ``tagged`` is False when the text has no ``!`` and so no tag.  The
    recursion is at most ``MAX_DEPTH`` deep: deeper documents were refused.
    """
    if tagged:
        tag = _TAG.match(text, node.start_mark.index)
        if tag and not _starts_with_its_first_key(node):
            raise YamlProblem(lines.file_line(node.start_mark), f"the tag {tag.group(1)} is not allowed",
                              PLAIN_HINT, under)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_tags_merges_and_repeats(item, text, lines, under, tagged)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[tuple[str, str], yaml.Node] = {}  # (tag, key) -> the key's node
        for key, value in node.value:
            field = under or str(key.value)
            if key.tag == _MERGE:
                raise YamlProblem(lines.file_line(key.start_mark), "YAML merge keys are not allowed",
                                  "write the fields out in full", under or "<<")
            if tagged or not isinstance(key, yaml.ScalarNode):
                _refuse_tags_merges_and_repeats(key, text, lines, field, tagged)
            if isinstance(key, yaml.ScalarNode):
                first = seen.setdefault((key.tag, key.value), key)
                if first is not key:
                    first_line, line = lines.file_line(first.start_mark), lines.file_line(key.start_mark)
                    raise YamlProblem(line, f"is given twice, on line {first_line} and line {line}",
                                      "keep one of them: the second would silently replace the first",
                                      str(key.value))
            if not isinstance(value, yaml.ScalarNode) or tagged:
                _refuse_tags_merges_and_repeats(value, text, lines, field, tagged)


def _starts_with_its_first_key(node: yaml.Node) -> bool:
    """A block mapping starts where its first key does, so a tag there is the key's."""
    return isinstance(node, yaml.MappingNode) and bool(node.value) \
        and node.value[0][0].start_mark.index == node.start_mark.index


def _unacceptable_character(error: yaml.reader.ReaderError, text: str, lines: _EditorLines) -> YamlProblem:
    """A raw control character; the C loader reports a byte position, so find the character itself."""
    char = chr(error.character) if isinstance(error.character, int) else str(error.character)
    index = text.find(char)
    line = lines.first_line + (lines.line_at(index) if index >= 0 else 0)
    return YamlProblem(line, f"contains {describe_character(char)}",
                       "delete it: it is invisible in most editors, so retype the value if you cannot find it")


def _yaml_only_break(error: yaml.MarkedYAMLError, text: str, lines: _EditorLines) -> YamlProblem | None:
    """Blame a U+2028, U+2029, U+0085 or lone CR that YAML took for a line break, where the editor shows none.

    Inside quotes YAML folds them like any space; elsewhere they split a line
    in two and the mistake YAML reports is somewhere after them.  So: read the
    text again with them as spaces; if the mistake goes away or moves, they
    were the cause.
    """
    mark = error.problem_mark or error.context_mark
    if not lines.yaml_counts_more or mark is None:
        return None
    try:
        for _ in yaml.parse(text.translate(_AS_SPACES), Loader=_TextDateLoader):
            pass
    except yaml.MarkedYAMLError as again:
        again_mark = again.problem_mark or again.context_mark
        if again_mark is not None and again_mark.index == mark.index:
            return None
    except yaml.YAMLError:
        return None
    index = min(found for char in _YAML_ONLY_BREAKS if (found := text.find(char)) >= 0)
    return YamlProblem(lines.first_line + lines.line_at(index),
                       f"contains {describe_character(text[index])}, which YAML reads as a line break",
                       "replace it with a space, or put the value in quotes")


def _explain(error: yaml.MarkedYAMLError, text: str, lines: _EditorLines) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line = lines.line(mark) if mark else 0
    text_lines = text.split("\n")
    indent = text_lines[line][: len(text_lines[line]) - len(text_lines[line].lstrip())] \
        if line < len(text_lines) else ""
    problem = error.problem or "invalid YAML"
    hint = "check the quotes, colons and indentation on this line and the one before"
    if "tab" in problem or "\t" in indent:
        problem, hint = "a tab character", "indent with spaces, not tabs"
    elif "could not determine a constructor" in problem:  # a tag our check did not see; kept as a backstop
        tag = problem.split("tag", 1)[-1].strip(" '").replace("tag:yaml.org,2002:", "!!")
        problem, hint = f"the tag {tag} is not allowed", PLAIN_HINT
    elif ("escape" in problem or "hexdecimal" in problem) and mark is not None:
        problem = f"the double-quoted value has an unknown escape {_escape_near(text, mark.index)}"
        hint = "put the value in single quotes instead, where \\ is an ordinary character"
    elif error.context and "quoted scalar" in error.context:
        problem = "a quoted value is never closed"
        hint = "add the closing quote, or remove the opening one"
        if error.context_mark:
            line = lines.line(error.context_mark)
    elif "mapping values are not allowed" in problem:
        hint = "put quotes around a value that contains ': '"
    return YamlProblem(lines.first_line + line, problem, hint)


def _escape_near(text: str, index: int) -> str:
    """The bad escape (``\\o``, ``\\x4g``) that YAML's mark points into, quoted as written.

    The loaders differ: the C one marks the backslash of an unknown escape and
    the first digit of a short ``\\x``, the pure-Python one the letter after
    the backslash.
    """
    start = text.rfind("\\", max(0, index - 2), index + 1)
    if start < 0:
        return "(a backslash)"
    digits = {"x": 2, "u": 4, "U": 8}.get(text[start + 1: start + 2], 0)
    escape = re.split(r'["\n]', text[start + 1: start + 2 + digits])[0]
    return f"'\\{escape}'"
