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
    assert problem.value.line == 1
    assert elapsed < 5 and peak < 10_000_000


def test_a_star_inside_quotes_is_not_an_alias():
    assert parse_yaml('title: "5* hotel"').data == {"title": "5* hotel"}


def test_sequence_item_lines():
    assert parse_yaml("- a\n\n- b\n").item_lines == [0, 2]
