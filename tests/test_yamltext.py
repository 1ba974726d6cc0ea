import time
import tracemalloc

import pytest

from panchina.yamltext import YamlProblem, parse_yaml


def test_dates_stay_text_and_key_lines_are_known():
    document = parse_yaml("coach: A\n\ndate: 2023-02-30\n")
    assert document.data == {"coach": "A", "date": "2023-02-30"}
    assert document.key_lines == {"coach": 0, "date": 2}


def test_python_tags_are_refused():
    with pytest.raises(YamlProblem) as problem:
        parse_yaml("a: !!python/object/apply:os.system ['touch /tmp/pwned']")
    assert problem.value.message == "the tag !!python/object/apply:os.system is not allowed"


def test_billion_laughs_is_refused_fast_and_small():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        levels.append(f"a{level}: &a{level} [{refs}]")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(YamlProblem) as problem:
        parse_yaml("\n".join(levels))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert problem.value.line == 2  # the file line of the first alias
    assert elapsed < 5 and peak < 10_000_000


def test_a_star_inside_quotes_is_not_an_alias():
    assert parse_yaml('title: "5* hotel"').data == {"title": "5* hotel"}


def test_sequence_item_lines():
    assert parse_yaml("- a\n\n- b\n").item_lines == [0, 2]


def problem_of(text: str, first_line: int = 1) -> tuple:
    with pytest.raises(YamlProblem) as problem:
        parse_yaml(text, first_line)
    return problem.value.line, problem.value.field, problem.value.message


@pytest.mark.parametrize("text, expected", [
    ("a: " + "[" * 21 + "]" * 21, (1, "a", "the value is nested more than 20 levels deep")),
    ("- " * 21 + "x", (1, None, "the value is nested more than 20 levels deep")),
    ('a: ' + '["x":' * 10 + "y" + "]" * 10, (1, "a", "the value is nested more than 20 levels deep")),  # 2 per [
    ("- name: x\n  aliases: " + "{a: " * 30 + "b" + "}" * 30,
     (2, "aliases", "the value is nested more than 20 levels deep")),
    ("a: !!timestamp 2023-02-30", (1, "a", "the tag !!timestamp is not allowed")),
    ("a: [x, !custom y]", (1, "a", "the tag !custom is not allowed")),
    ("a:\n  b: !!str c", (2, "a", "the tag !!str is not allowed")),
    ("--- !!map\na: b", (1, None, "the tag !!map is not allowed")),
    ("!!str a: b", (1, "a", "the tag !!str is not allowed")),  # the first key's tag, not the mapping's
    ("a: b\n<<: {c: d}", (2, "<<", "YAML merge keys are not allowed")),
    ("a: b\nc: d\na: e", (3, "a", "is given twice, on line 1 and line 3")),
    ("a: {b: 1, b: 2}", (1, "b", "is given twice, on line 1 and line 1")),
    ("a: 'x\u2028y'\nb: 1\nb: 2", (3, "b", "is given twice, on line 2 and line 3")),
    ("a: 'é'\nb: x\x07", (2, None, "contains the control character U+0007")),
    ('a: "\\o"', (1, None, "the double-quoted value has an unknown escape '\\o'")),
    ("a: x\ry\rz\n", (1, None, "contains the control character U+000D, which YAML reads as a line break")),
    ('a: "\\x4g"', (1, None, "the double-quoted value has an unknown escape '\\x4g'")),
])
def test_refused_with_a_file_line_and_a_field(text, expected):
    assert problem_of(text) == expected


def test_fifty_thousand_levels_are_refused_without_recursion():
    assert problem_of("a: " + "[" * 50_000 + "]" * 50_000, first_line=2) == (
        2, "a", "the value is nested more than 20 levels deep")


def test_the_pure_python_loader_gives_the_same_answers(monkeypatch):
    import yaml

    from panchina import yamltext

    class PureLoader(yaml.SafeLoader):
        yaml_implicit_resolvers = yamltext._TextDateLoader.yaml_implicit_resolvers

    monkeypatch.setattr(yamltext, "_TextDateLoader", PureLoader)
    assert problem_of("a: 'é'\nb: x\x07") == (2, None, "contains the control character U+0007")
    assert problem_of('a: "\\o"') == (1, None, "the double-quoted value has an unknown escape '\\o'")
    assert problem_of('a: "\\x4g"') == (1, None, "the double-quoted value has an unknown escape '\\x4g'")
    assert problem_of("a: " + "[" * 5_000 + "]" * 5_000) == (1, "a", "the value is nested more than 20 levels deep")


def test_key_lines_count_newlines_only():
    document = parse_yaml("a: 'x\u2028y\x85z'\n\nb: 1\n")
    assert document.key_lines == {"a": 0, "b": 2}


def test_values_are_kept_as_written():
    document = parse_yaml("title: 2:1\nclubs: [0x10, 'a b']\n")
    assert document.data == {"title": 121, "clubs": [16, "a b"]}
    written = document.key_lines.written
    assert (written("title"), written("clubs"), written("clubs", 0), written("clubs", 1)) == (
        "2:1", "[0x10, 'a b']", "0x10", "'a b'")
    assert written("title", 0) is None and written("nothing") is None


def test_entries_of_a_list_keep_their_key_lines():
    document = parse_yaml("- name: A\n  aliases: [B]\n- just text\n")
    assert document.item_keys == [{"name": 0, "aliases": 1}, None]


def test_an_anchor_without_an_alias_is_harmless():
    assert parse_yaml("a: &x b").data == {"a": "b"}
