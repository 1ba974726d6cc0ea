"""Story bodies that would recurse or take quadratic time are refused before they are rendered.

Every body that ``body_problems`` accepts must render in bounded time: the
adversarial bodies below sit just under each limit, padded to a megabyte
(content.MAX_STORY_BYTES), and must each render in well under 5 seconds
(about one on the machines we measured).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panchina import markup
from panchina.markup import BodyProblem, MarkdownRenderer, body_problems

BUDGET = 1_000_000  # a body just under content.MAX_STORY_BYTES
P = markup.MAX_PARAGRAPH_CHARS
MARKS = markup.MAX_MARKS
SECONDS = 5.0  # generous: the worst case below takes about 1.5 s


def fill(paragraph: str, budget: int) -> str:
    """``paragraph`` repeated, separated by blank lines, to about ``budget`` characters."""
    return "\n\n".join([paragraph] * max(1, budget // (len(paragraph) + 2)))


def padded(adversarial: str) -> str:
    """The adversarial part, then plain paragraphs up to a megabyte."""
    return adversarial + "\n\n" + fill(("word " * (P // 5 - 1)).strip(), BUDGET - len(adversarial))


def nested_list(depth: int) -> str:
    return "\n".join("    " * i + "- a" for i in range(depth))


# Each is just under its limits; together they cover every construct we found slow.
ADVERSARIAL = {
    "plain text": lambda: padded(""),
    "lists nested on one line": lambda: padded(fill("\n".join("- " * markup.MAX_NESTING + "a" for _ in range(P // 44)),
                                                    MARKS // markup.MAX_NESTING * 43)),
    "lists nested by indentation": lambda: padded(fill(nested_list(markup.MAX_NESTING), MARKS * 2)),
    "quotes nested": lambda: padded(fill("> " * markup.MAX_NESTING + "a", MARKS // markup.MAX_NESTING * 23)),
    "quotes and lists nested": lambda: padded(fill("\n".join("> - 1. " * (markup.MAX_NESTING // 3) + "a"
                                                             for _ in range(P // 44)), MARKS // 18 * 43)),
    "brackets open and nested": lambda: padded(
        "[" * markup.MAX_OPEN_BRACKETS + "x" * (P - 100) + "\n\n"
        + fill("[" * markup.MAX_BRACKET_NESTING + "x" * (P - 10) + "]" * markup.MAX_BRACKET_NESTING, BUDGET // 2)),
    "brackets closed": lambda: padded(fill("[a]" * (P // 3), MARKS * 3 // 2 - 10)),
    "link addresses open": lambda: padded("[a](" * markup.MAX_OPEN_LINKS + "x" * (P - 100)),
    "links": lambda: padded(fill("[a](http://b) " * (P // 14), MARKS * 7 - 20)),
    "images": lambda: padded(fill("![a](x) " * (P // 8), MARKS * 4 - 20)),
    "reference links": lambda: padded(fill("\n".join(f"[r{i}]: http://x/{i}" for i in range(200)), MARKS * 2)
                                      + "\n\n" + fill("[r1] " * (P // 5), MARKS // 2 * 5 - 5000)),
    "tags open": lambda: "<a " * markup.MAX_OPEN_TAGS + "\n\n" + padded(""),
    "tags with quotes": lambda: padded(fill('<a x="> ' * (P // 8), MARKS * 8 - 20)),
    "tags inside tags": lambda: padded(fill("<a <a <a>" * (P // 9), MARKS * 3 - 20)),
    "html blocks": lambda: padded(fill("\n".join("<div>" for _ in range(P // 6)), MARKS * 6 - 20)),
    "emphasis openers then closers": lambda: padded(fill("**a " * 333 + "b*" * 333, MARKS * 2 - 200)),
    "emphasis left open": lambda: padded(fill("*a " * 500 + "a* " * 500 + "x" * (P - 3000), MARKS * 10 - 20)),
    "emphasis inside words": lambda: padded(fill("a*b*c " * 500 + "x" * (P - 3000), MARKS * 10 - 20)),
    "emphasis nested": lambda: padded(fill("*a _b " * 250 + "c" + " b_ a*" * 250, MARKS * 3 - 200)),
    "rules": lambda: fill("\n".join(["x" * (P // markup.MAX_BREAKS_PER_PARAGRAPH - 10) + "\n---"]
                                    * markup.MAX_BREAKS_PER_PARAGRAPH), BUDGET),
    "setext headings": lambda: fill("\n".join(["x" * (P // markup.MAX_BREAKS_PER_PARAGRAPH - 10) + "\n==="]
                                              * markup.MAX_BREAKS_PER_PARAGRAPH), BUDGET),
    "headings": lambda: fill("\n".join(["# " + "x" * (P // markup.MAX_BREAKS_PER_PARAGRAPH - 10)]
                                       * markup.MAX_BREAKS_PER_PARAGRAPH), BUDGET),
    "fences": lambda: "\n\n".join("```\n" + fill("x" * 100, BUDGET // markup.MAX_FENCES - 100) + "\n```"
                                  for _ in range(markup.MAX_FENCES // 2)),
    "fences left open": lambda: padded("\n\n".join("```" + "x" * (P - 10) for _ in range(markup.MAX_FENCES))),
    "abbreviations": lambda: padded("\n".join(f"*[AB{i}]: x" for i in range(markup.MAX_ABBREVIATIONS)) + "\n\n"
                                    + fill(" ".join(f"AB{i}" for i in range(markup.MAX_ABBREVIATIONS)),
                                           MARKS * 4)),
    "definitions": lambda: padded(fill("term\n: def", 12 * markup.MAX_DEFINITIONS - 20)),
    "entities": lambda: padded(fill("&amp; " * (P // 6), MARKS * 6 - 20)),
    "escapes": lambda: padded(fill("\\! " * (P // 3), MARKS * 3 // 2 - 20)),
    "backticks": lambda: padded(fill("`a " * (P // 3), MARKS * 3 - 20)),
    "code spans": lambda: padded(fill("`a` " * (P // 4), MARKS * 2 - 20)),
    "table cells": lambda: padded(fill("\n".join(["|".join(["a"] * 200), "|".join(["-"] * 200)]
                                                 + ["|".join(["b"] * 200)] * (P // 400 - 2)), MARKS * 2 - 20)),
    "line breaks": lambda: padded(fill("a  \n" * (P // 4), MARKS * 4 - 20)),
    "autolinks": lambda: padded(fill("<http://a.b> " * (P // 13), MARKS * 13 - 20)),
}


@pytest.mark.parametrize("make", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_the_worst_body_under_each_limit_renders_quickly(make):
    body = make()
    assert len(body.encode()) <= 1024 * 1024
    started = time.perf_counter()
    errors, _ = body_problems(body)
    checked = time.perf_counter() - started
    assert errors == []
    started = time.perf_counter()
    MarkdownRenderer().render(body)
    rendered = time.perf_counter() - started
    print(f"{len(body):,} characters: checked in {checked:.2f} s, rendered in {rendered:.2f} s")
    assert checked < 1 and rendered < SECONDS


def test_the_issue_examples_are_refused_quickly():
    bodies = ["* " * 500 + "a", "[" * 16_000, "**a " * 20_000 + "b*" * 20_000, "a\n=\n" * 50_000,
              "<a " * 20_000, "[a](" * 4_000]
    for body in bodies:
        started = time.perf_counter()
        errors, _ = body_problems(body)
        assert errors and time.perf_counter() - started < 1, body[:20]


def only(body: str) -> BodyProblem:
    errors, _ = body_problems(body)
    assert len(errors) == 1, errors
    return errors[0]


def test_nesting_deeper_than_the_limit_is_refused_on_its_line():
    assert body_problems("- " * 20 + "a")[0] == []
    assert only("Intro\n\n" + "* " * 500 + "a") == BodyProblem(
        2, "lists and quotes are nested 500 levels deep; at most 20 are allowed",
        "flatten the list: put fewer items and quotes inside one another")
    assert only(nested_list(22)).line == 20
    assert only("> " * 21 + "a").message == "lists and quotes are nested 21 levels deep; at most 20 are allowed"
    assert body_problems("- - - - - - - - - - - - - - - - - - - - - - - -")[0] == []  # a rule, not a list


def test_a_long_paragraph_is_refused():
    assert only("a\n\n" + "word " * 3000) == BodyProblem(
        2, "the paragraph starting here is 15,000 characters long; at most 10,000 are allowed",
        "split it with blank lines")
    # A line of no-break spaces does not end a paragraph for Python-Markdown, so not for us either.
    assert only("word " * 1500 + "\n\u00a0\n" + "word " * 1500).line == 0


def test_brackets_left_open_or_nested_are_refused():
    assert only("See [this " * 21) == BodyProblem(
        0, "more than 20 '[' are never closed by ']' in their paragraph; this is the first one over",
        "close each link text with ']', or write \\[ for a bracket that is only text")
    assert body_problems("\\[ " * 100)[0] == []  # escaped brackets are only text
    assert only("a\n[[[[b]]]]") == BodyProblem(
        1, "square brackets are nested 4 deep; at most 3 are allowed",
        "take the inner brackets out, or write \\[ and \\] for brackets that are only text")
    assert body_problems("[[[b]]] [![photo](x.jpg)](https://example.com)")[0] == []
    assert only("[a](" * 21) == BodyProblem(
        0, "more than 20 link addresses '](' are never closed by ')' in their paragraph; this is the first one over",
        "end each link's address with ')'")


def test_tags_left_open_are_refused():
    assert only("a\n" + "<b " * 11) == BodyProblem(
        1, "more than 10 '<' start HTML tags that are never closed by '>' in their paragraph; this is the first "
           "one over", "close each tag with '>', or write &lt; for a '<' that is only text")
    assert body_problems("<b>bold</b> " * 100 + "a < b " * 100)[0] == []


def test_too_many_emphasis_marks_in_a_paragraph_are_refused():
    assert only("*a* " * 501) == BodyProblem(
        0, "the paragraph starting here has 1,002 emphasis marks (* and _); at most 1,000 are allowed",
        "split it with blank lines, or write \\* and \\_ for marks that are only text")


def test_headings_and_rules_without_blank_lines_are_refused():
    assert only("x\n" + "a\n=\n" * 21) == BodyProblem(
        42, "more than 20 headings and rules follow one another with no blank line between them; this is the "
            "first one over", "put a blank line before and after each heading and rule")
    assert body_problems("# a\n\n---\n\n" * 100)[0] == []


def test_counted_lines_are_refused_past_their_limit():
    assert only("```\nx\n```\n" * 51) == BodyProblem(
        150, "the body has 102 code fence lines (``` or ~~~); at most 100 are allowed, and this is the first one "
            "over",
        "keep the code blocks the story needs")
    assert only("".join(f"*[A{i}]: x\n" for i in range(51))) == BodyProblem(
        50, "the body has 51 abbreviation definitions (*[ABC]: …); at most 50 are allowed, and this is the first "
            "one over", "define only the abbreviations the story uses")
    assert only("term\n: def\n\n" * 501) == BodyProblem(
        1501, "the body has 501 definition lines (': ' at the start); at most 500 are allowed, and this is the "
              "first one over", "write the definitions as a plain list")


def test_too_many_marks_in_the_body_are_refused():
    body = "\n\n".join(["&amp; " * 1000] * 21)
    assert only(body) == BodyProblem(
        40, "the body has more than 20,000 Markdown marks (* _ [ ] < & ` \\ |, line breaks, list and quote markers, "
            "abbreviations) by this line", "write plain text: a story needs little formatting")
    abbreviated = "*[UEFA]: Union of European Football Associations\n\n" + "\n\n".join(["UEFA " * 1000] * 21)
    assert only(abbreviated).line == 40
    lists = "\n\n".join(["\n".join(["- " * 20 + "a"] * 200)] * 6)  # each list marker is a mark
    assert only(lists).line == 1005


def test_an_ordinary_story_has_no_problems():
    body = ("Allegri, *according to* **Sky Italia**, met [Real Madrid](https://example.com/a) officials.\n\n"
            "## Background\n\n- first\n- second\n    - nested\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "`code` &amp; \\* and <abbr>UEFA</abbr>\n")
    assert body_problems(body) == ([], [])


def test_images_keep_their_alt_text_and_warn():
    html = MarkdownRenderer().render("Before ![Allegri at Juventus](x.jpg) after.\n\n"
                                     "[![a *linked* picture](y.png)](https://example.com)")
    assert "<img" not in html
    assert html == ('<p>Before Allegri at Juventus after.</p>\n'
                    '<p><a href="https://example.com" rel="noopener noreferrer nofollow">a *linked* picture</a></p>')
    errors, warnings = body_problems("Text\n\n![Allegri at Juventus](x.jpg)\n")
    assert errors == []
    assert warnings == [BodyProblem(2, "images are not published; the alt text is kept as text",
                                    "link to the picture instead, e.g. [photo of the press conference](https://…)")]


def test_alt_text_cannot_smuggle_markup():
    html = MarkdownRenderer().render('![<script>alert(1)</script> & "x"](a.jpg)')
    assert "<script" not in html and "alert(1)" in html


# Hostile bodies made of the constructs above, in runs: whatever body_problems accepts renders quickly.
TOKENS = ["* ", "- ", "1. ", "> ", "    ", "\t", "[", "]", "](", "(", ")", "![", "<a ", "<div>", ">", "**", "*",
          "_", "`", "```", "\n", "\n\n", "---", "=", "# ", "&amp;", "|", ": ", "*[A]: x\n", "A", "x", " ", "\\",
          "<!--", '"', "<http://a>", "[r]: /x\n", "  \n"]
RUNS = st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(TOKENS),
                          st.sampled_from([1, 2, 3, 10, 100, 1000, 5000])), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RUNS)
def test_every_accepted_body_renders_quickly_without_recursion(runs):
    body = "".join((first + second) * count for first, second, count in runs)[:BUDGET]
    errors, _ = body_problems(body)
    if errors:
        return
    started = time.perf_counter()
    MarkdownRenderer().render(body)  # a RecursionError fails the test
    assert time.perf_counter() - started < SECONDS


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="[]()\\a \n", max_size=40))
def test_the_quick_look_at_links_agrees_with_the_full_scan(text):
    # body_problems skips the full scan of a paragraph whose links are all plain; it must find nothing there.
    if markup._plain_links_only(text):
        scan = markup._scan_brackets(text)
        assert scan.depth <= 1 and scan.open_brackets == [] and scan.open_links == []
