import pytest

from panchina.config import SiteConfig, load_registry, load_site_config


def site_errors(tmp_path, text):
    (tmp_path / "site.yaml").write_text(text)
    errors = []
    config = load_site_config(tmp_path, "content/site.yaml", errors)
    return config, [str(e) for e in errors]


def test_defaults_when_absent(tmp_path):
    assert load_site_config(tmp_path, "content/site.yaml", []) == SiteConfig()


def test_settings_are_read_and_base_url_ends_with_a_slash(tmp_path):
    config, errors = site_errors(tmp_path, "title: Archivio\nbase_url: https://x.org/a\nlanguage: IT\n")
    assert errors == []
    assert config == SiteConfig(title="Archivio", base_url="https://x.org/a/", language="it")


@pytest.mark.parametrize("text, expected", [
    ("base_url: ftp://x.org\n", "content/site.yaml:1: base_url: 'ftp://x.org' is not a web address — "
                                "use the full address of the report, starting with https:// or http://"),
    ("titel: X\n", "content/site.yaml:1: titel: unknown field — did you mean 'title'?"),
    ("language: english\n", "content/site.yaml:1: language: 'english' is not a language code — did you mean 'en'? "
                            "write a language code such as en, it, es, de or fr, or one with a region such as pt-BR"),
    ("- a\n", "content/site.yaml:1: must be key: value lines — write one setting per line, like 'title: My Archive'"),
])
def test_site_mistakes(tmp_path, text, expected):
    assert site_errors(tmp_path, text)[1] == [expected]


def registry(tmp_path, text):
    path = tmp_path / "clubs.yaml"
    path.write_text(text)
    errors = []
    return load_registry(path, "content/clubs.yaml", errors), [str(e) for e in errors]


def test_aliases_resolve_to_the_canonical_name(tmp_path):
    reg, errors = registry(tmp_path, "- name: Milan\n  aliases: [AC Milan, Milan]\n")
    assert errors == []
    assert reg.resolve("AC Milan") == "Milan" and reg.resolve("Inter") == "Inter"
    assert reg.aliases == {"Milan": ("AC Milan",)}


def test_an_alias_equal_to_another_name_is_an_error(tmp_path):
    _, errors = registry(tmp_path, "- name: Milan\n- name: AC Milan\n  aliases: [Milan]\n")
    assert errors == ["content/clubs.yaml:2: aliases: 'Milan' is already claimed by the entry on line 1 — "
                      "a name or alias may appear only once in the file: merge the two entries"]


def test_registry_entry_mistakes(tmp_path):
    _, errors = registry(tmp_path, "- name: Milan\n  alias: [AC Milan]\n- Inter\n")
    assert errors == [
        "content/clubs.yaml:2: alias: unknown field — did you mean 'aliases'?",
        "content/clubs.yaml:3: an entry must have 'name:' and 'aliases:' — write '- name: Full Name' then "
        "'  aliases: [Other Name]'",
    ]


BASE_URL_HINT = "write only https:// (or http://), the host and an optional path, like https://example.com/archive/"


@pytest.mark.parametrize("url, what", [
    ("https://example.com/#top", "a fragment (#top)"),
    ("https://example.com/?a=1&b=2", "a query (?a=1&b=2)"),
    ("https://example.com/?", "a query (?)"),
    ("https://example.com:abc/", "a port that is not a number"),
    ("https://città.it/", "characters that are not allowed in a host name (write a non-Latin one in its xn-- form)"),
    ('https://example.com/a"b/', "the character '\"' in its path (spell it with %-escapes)"),
    ("https://example.com/a;b/", "the character ';' in its path (spell it with %-escapes)"),
    ("https://example.com/100%/", "a % in its path that is not followed by two hexadecimal digits"),
])
def test_base_url_is_a_host_and_a_path_only(tmp_path, url, what):
    assert site_errors(tmp_path, f"base_url: '{url}'\n")[1] == [
        f"content/site.yaml:1: base_url: '{url}' has {what}, which the site's address cannot have — {BASE_URL_HINT}"]


def test_a_password_in_base_url_is_refused_without_being_printed(tmp_path):
    """As for any address a contributor writes: build logs are public, so the secret is not shown back."""
    assert site_errors(tmp_path, "base_url: 'https://user:secret@example.com/'\n")[1] == [
        "content/site.yaml:1: base_url: has a user name or password before @ in the address of example.com — "
        "link to the address readers can open, without the 'name:password@' part"]


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
    ("https://example.com:8443/archivio/", "https://example.com:8443/archivio/"),
    ("https://[::1]/a%C3%A9", "https://[::1]/a%C3%A9/"),
    ("https://xn--citt-6qa.it/", "https://xn--citt-6qa.it/"),
])
def test_base_url_with_a_port_or_a_path_is_accepted(tmp_path, url, expected):
    assert site_errors(tmp_path, f"base_url: {url}\n") == (SiteConfig(base_url=expected), [])


@pytest.mark.parametrize("text, expected", [
    ("title: A\ntitle: B\n", "content/site.yaml:2: title: is given twice, on line 1 and line 2 — keep one of them: "
                             "the second would silently replace the first"),
    ("title: !!int x\n", "content/site.yaml:1: title: the tag !!int is not allowed — write plain text, lists and "
                         "key: value pairs only"),
    ('title: "Archivio\\u202e"\n', "content/site.yaml:1: title: contains the invisible character U+202E "
                                   "(RIGHT-TO-LEFT OVERRIDE) — delete it: it is invisible in most editors, so "
                                   "retype the value if you cannot find it"),
    ("description: |\n  a\x1bb\n", "content/site.yaml:2: contains the control character U+001B — delete it: it is "
                                   "invisible in most editors, so retype the value if you cannot find it"),
    ("title: 2:1\n", "content/site.yaml:1: title: must be text, but YAML reads 2:1 as a number — put it in quotes: "
                     "title: \"2:1\""),
    ("language: pt-XX\n", "content/site.yaml:1: language: 'pt-XX': XX is not a country or region code — use a "
                          "two-letter country code such as pt-BR, or write just 'pt'"),
    ("a: [" + "[" * 100 + "]" * 100 + "]\n",
     "content/site.yaml:1: a: the value is nested more than 20 levels deep — a story needs two levels at most, "
     "as in 'clubs: [A, B]': remove the extra brackets or dashes"),
])
def test_site_yaml_hardening(tmp_path, text, expected):
    assert site_errors(tmp_path, text)[1] == [expected]


@pytest.mark.parametrize("code, expected", [("pt-BR", "pt-BR"), ("zh_hant", "zh-Hant"), ("en-us", "en-US"),
                                            ("es-419", "es-419"), ("fil", "fil")])
def test_site_language_is_a_bcp47_tag(tmp_path, code, expected):
    assert site_errors(tmp_path, f"language: {code}\n") == (SiteConfig(language=expected), [])


def test_every_iso_639_1_code_is_a_language_babel_knows():
    from babel import Locale

    from panchina.languages import LANGUAGE_CODES
    assert LANGUAGE_CODES <= set(Locale("en").languages)


@pytest.mark.parametrize("text, expected", [
    ("- name: Milan\n  name: Inter\n", "content/clubs.yaml:2: name: is given twice, on line 1 and line 2 — keep one "
                                       "of them: the second would silently replace the first"),
    ("- name: Milan\n  aliases: [AC Milan]\n  aliases: [Rossoneri]\n",
     "content/clubs.yaml:3: aliases: is given twice, on line 2 and line 3 — keep one of them: the second would "
     "silently replace the first"),
    ('- name: "Mi\\u200blan"\n', "content/clubs.yaml:1: name: contains the invisible character U+200B "
                                 "(ZERO WIDTH SPACE) — delete it: it is invisible in most editors, so retype the "
                                 "value if you cannot find it"),
    ("- name: Milan\n  aliases: [!!int x]\n", "content/clubs.yaml:2: aliases: the tag !!int is not allowed — write "
                                              "plain text, lists and key: value pairs only"),
    ("- name: Milan\n- aliases: [X]\n", "content/clubs.yaml:2: name: missing — add a line 'name: …' "
                                        "(required fields: name)"),
])
def test_registry_hardening(tmp_path, text, expected):
    assert registry(tmp_path, text)[1] == [expected]


def test_sort_as_says_how_a_name_is_alphabetised(tmp_path):
    reg, errors = registry(tmp_path, "- name: Park Hang-seo\n  sort_as: Park Hang-seo\n- name: Milan\n")
    assert errors == []
    assert reg.sort_as == {"Park Hang-seo": "Park Hang-seo"}


@pytest.mark.parametrize("text, expected", [
    ("- name: Li Ming\n  sort_as: 李明\n",
     "content/clubs.yaml:2: sort_as: '李明' has no letter or digit that can be sorted A–Z — write the name in "
     "Latin letters as it should be alphabetised, like 'Hag, Erik ten'"),
    ("- name: Li Ming\n  sort_as: [Li, Ming]\n",
     "content/clubs.yaml:2: sort_as: must be a name, not a list — write one value after 'sort_as:'"),
    ("- name: Li Ming\n  sort_as: ''\n", "content/clubs.yaml:2: sort_as: is empty — write a name after 'sort_as:'"),
    ("- name: Li Ming\n  sortas: Li Ming\n", "content/clubs.yaml:2: sortas: unknown field — did you mean 'sort_as'?"),
])
def test_sort_as_mistakes(tmp_path, text, expected):
    reg, errors = registry(tmp_path, text)
    assert errors == [expected]
    assert reg.sort_as == {}
