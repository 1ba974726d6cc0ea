from datetime import date

from panchina.model import Entity, PartialDate, Story, link_archive
from panchina.urls import story_url


def make_story(url, coach, clubs, when, source="Source"):
    place = tuple(url.strip("/").split("/")[1:])
    return Story(path=f"content{url}.md", place=place, coach_name=coach, club_names=tuple(clubs), date=when,
                 source_name=source, source_url=None, title=url, lang="en", body_hash="", body_line=6)


def entities(kind, names):
    return {name: Entity(kind=kind, name=name, slug=name.lower().replace(" ", "-")) for name in names}


def test_partial_dates_print_and_sort_as_the_start_of_their_period():
    assert PartialDate(2026, 3, 4).iso == "2026-03-04"
    assert PartialDate(2026, 3).iso == "2026-03"
    assert PartialDate(2019).iso == "2019"
    assert PartialDate(2019).start == date(2019, 1, 1)


def test_archive_links_stories_and_sorts_newest_first_with_a_stable_tie_break():
    stories = [
        make_story("/stories/b/", "Allegri", ["Real Madrid"], PartialDate(2026, 3, 4)),
        make_story("/stories/a/", "Allegri", ["Milan"], PartialDate(2026, 3, 4)),
        make_story("/stories/old/", "Klopp", ["Real Madrid", "Milan"], PartialDate(2019)),
    ]
    archive = link_archive(stories, entities("coach", ["Allegri", "Klopp"]),
                           entities("club", ["Real Madrid", "Milan", "Unused"]), entities("source", ["Source"]))
    assert [story_url(s) for s in archive.stories] == ["/stories/a/", "/stories/b/", "/stories/old/"]
    assert [c.name for c in archive.clubs] == ["Milan", "Real Madrid"]  # no stories, no page
    allegri = archive.coaches[0]
    assert allegri.stories[0].coach is allegri  # references, not copies
    assert allegri.count == 2 and allegri.first_date == PartialDate(2026, 3, 4)
    assert [(club.name, n) for club, n in allegri.partners] == [("Milan", 1), ("Real Madrid", 1)]
    real = next(c for c in archive.clubs if c.name == "Real Madrid")
    assert [(year, [story_url(s) for s in items]) for year, items in real.stories_by_year()] == [
        (2026, ["/stories/b/"]), (2019, ["/stories/old/"])]
    assert [(coach.name, n) for coach, n in real.partners] == [("Allegri", 1), ("Klopp", 1)]
    assert [e.name for e in archive.most_rumoured("coach")] == ["Allegri", "Klopp"]
