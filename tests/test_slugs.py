from panchina.slugs import is_slug, normalize_name, slugify


def test_the_issue_examples():
    assert slugify("Jürgen Klopp") == "jurgen-klopp"
    assert slugify("Beşiktaş") == "besiktas"
    assert slugify("Atlético Madrid") == "atletico-madrid"
    assert slugify("1. FC Köln") == "1-fc-koln"


def test_letters_unicode_does_not_decompose():
    assert slugify("Martin Ødegaard") == "martin-odegaard"
    assert slugify("Łukasz Piszczek") == "lukasz-piszczek"
    assert slugify("Şenol Güneş") == "senol-gunes"
    assert slugify("İstanbul Başakşehir") == "istanbul-basaksehir"


def test_cyrillic_and_greek_get_readable_slugs():
    assert slugify("Андрій Шевченко") == "andrii-shevchenko"
    assert slugify("Ολυμπιακός") == "olympiakos"


def test_nothing_sluggable_gives_empty():
    assert slugify("日本") == ""
    assert slugify("...") == ""


def test_nfc_and_nfd_give_the_same_name_and_slug():
    assert normalize_name("Ju\u0308rgen  Klopp ") == "J\u00fcrgen Klopp"
    assert slugify("Ju\u0308rgen") == slugify("J\u00fcrgen") == "jurgen"


def test_is_slug():
    assert is_slug("real-madrid-2026")
    for bad in ("Real", "a_b", "-a", "a-", "a--b", "", "a.b", ".."):
        assert not is_slug(bad)
