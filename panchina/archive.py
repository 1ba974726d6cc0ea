"""Build the model: one entity per coach, club and source, linked to its stories.

This is where names meet: two stories that spell one club two ways which
make the same web address are an error naming both files, and ``check``
warns about names that look like one entity but are not aliased.
"""

from __future__ import annotations

from itertools import combinations

from .config import Registry
from .errors import ContentError
from .model import PLURAL, Archive, Entity, EntityKind, Story, link_archive
from .slugs import slugify
from .urls import LETTER_PATH, story_url

# Words that clubs add or drop from their names ("Real Madrid CF", "AC Milan");
# two names equal without them are probably one club.
_CLUB_AFFIXES = frozenset("""
ac acf afc as asd bc bk calcio cd cf club de del di fc fk football futbol fussball
if nk pfc rc rcd sc sk ss ssc ssd sv ud us vfb vfl
""".split())


def build_archive(stories: list[Story], registries: dict[str, Registry],
                  errors: list[ContentError]) -> Archive:
    """Link stories to their coaches, clubs and sources; slug and URL clashes go to ``errors``."""
    _check_unique_urls(stories, errors)
    names = {
        "coach": [(s.coach_name, s, "coach") for s in stories],
        "club": [(club, s, "clubs") for s in stories for club in s.club_names],
        "source": [(s.source_name, s, "source") for s in stories],
    }
    entities = {kind: _entities(kind, uses, registries.get(kind), errors) for kind, uses in names.items()}
    clashing = {error.path for error in errors}
    linkable = [s for s in stories if s.path not in clashing]  # their names have no entity to link to
    return link_archive(linkable, entities["coach"], entities["club"], entities["source"])


def _check_unique_urls(stories: list[Story], errors: list[ContentError]) -> None:
    """Two stories may never make one page: the second would silently replace the first."""
    first: dict[str, Story] = {}
    for story in stories:
        key = "/".join(story.place).casefold()  # case-insensitive file systems would merge these too
        if key in first:
            errors.append(ContentError(
                story.path, None, None, f"makes the same address {story_url(story)} as {first[key].path}",
                "rename one of the two files"))
        else:
            first[key] = story


def _entities(kind: EntityKind, uses: list[tuple[str, Story, str]], registry: Registry | None,
              errors: list[ContentError]) -> dict[str, Entity]:
    """One entity per name; a second name with the same slug is an error at each use."""
    by_name: dict[str, Entity] = {}
    first_use: dict[str, tuple[str, Story, str]] = {}  # slug -> the first (name, story, field) to claim it
    for name, story, field in uses:
        if name in by_name:
            continue
        slug = slugify(name)
        if slug in first_use:
            other_name, other_story, other_field = first_use[slug]
            errors.append(ContentError(
                story.path, story.field_lines.get(field), field,
                f"'{name}' and '{other_name}' ({other_story.path}:{other_story.field_lines.get(other_field)}) "
                f"make the same address /{PLURAL[kind]}/{slug}/",
                f"spell both the same way, or list one as an alias of the other in content/{PLURAL[kind]}.yaml"
                if kind != "source" else "spell both the same way"))
            continue
        if slug == LETTER_PATH:
            errors.append(ContentError(
                story.path, story.field_lines.get(field), field,
                f"'{name}' makes the address /{PLURAL[kind]}/{slug}/, which holds the A–Z pages",
                "add a word that tells it apart, or register this spelling as an alias"))
            continue
        first_use[slug] = (name, story, field)
        aliases = registry.aliases.get(name, ()) if registry else ()
        sort_as = registry.sort_as.get(name) if registry else None
        by_name[name] = Entity(kind=kind, name=name, slug=slug, aliases=aliases, sort_as=sort_as)
    return by_name


def find_lookalikes(archive: Archive) -> list[ContentError]:
    """Warnings for names that are probably one coach or club spelled two ways."""
    warnings = []
    for kind, entities, key in (("club", archive.clubs, _club_key), ("coach", archive.coaches, _coach_key)):
        groups: dict[str, list[Entity]] = {}
        for entity in entities:
            groups.setdefault(key(entity.slug), []).append(entity)
        for group in groups.values():
            for first, second in combinations(group, 2):
                story = second.stories[-1]
                field = "clubs" if kind == "club" else "coach"
                warnings.append(ContentError(
                    story.path, story.field_lines.get(field), field,
                    f"'{second.name}' looks like '{first.name}' (used in {first.stories[-1].path})",
                    f"if they are the same {kind}, add one as an alias of the other in content/{PLURAL[kind]}.yaml"))
    return warnings


def _club_key(slug: str) -> str:
    words = [word for word in slug.split("-") if word not in _CLUB_AFFIXES]
    return "-".join(words) or slug


def _coach_key(slug: str) -> str:
    """First initial and surname: ``max-allegri`` and ``massimiliano-allegri`` meet."""
    words = slug.split("-")
    return f"{words[0][:1]}-{words[-1]}" if len(words) > 1 else slug
