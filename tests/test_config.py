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
    ("language: english\n", "content/site.yaml:1: language: 'english' is not an ISO 639-1 language code — "
                            "did you mean 'en'? use a two-letter ISO 639-1 code such as en, it, es, de or fr"),
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
        "content/clubs.yaml:1: alias: unknown field — did you mean 'aliases'?",
        "content/clubs.yaml:3: an entry must have 'name:' and 'aliases:' — write '- name: Full Name' then "
        "'  aliases: [Other Name]'",
    ]
