"""A deterministic corpus of N rumour stories, for benchmarks and large-site tests.

Coaches and clubs are drawn with Zipf-skewed weights, so a few of them carry
a large share of the stories (at N = 10,000 the busiest coach and club have
over a thousand each), as a real archive would.  Names use accented and
non-Latin-script letters; bodies are 1.5–3 KB of Markdown with headings,
lists and links, in several languages.

    python -m benchmarks.corpus 10000 /tmp/corpus   # writes /tmp/corpus/stories/…
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

FIRST = ["Jürgen", "José", "Carlo", "Massimiliano", "Xabi", "Álvaro", "Zinédine", "Mikel", "Thomas", "Luis",
         "Şenol", "Ole", "Erik", "Antonio", "Simone", "Diego", "Unai", "Marcelo", "Julian", "Roberto",
         "Stefano", "Gian Piero", "Vincenzo", "Luciano", "Ralf", "Sérgio", "Rúben", "Vítor", "Hansi", "Łukasz"]
LAST = ["Klopp", "Mourinho", "Ancelotti", "Allegri", "Alonso", "Arbeloa", "Zidane", "Arteta", "Tuchel", "Enrique",
        "Güneş", "Solskjær", "ten Hag", "Conte", "Inzaghi", "Simeone", "Emery", "Bielsa", "Nagelsmann", "Mancini",
        "Pioli", "Gasperini", "Italiano", "Spalletti", "Rangnick", "Conceição", "Amorim", "Pereira", "Flick",
        "Fabiański", "Шевченко", "Özdemir", "Müller", "Ødegaard", "Lindqvist", "Dvořák"]
CITY = ["Madrid", "Milano", "Torino", "München", "Köln", "İstanbul", "Lisboa", "Porto", "Sevilla", "Napoli",
        "Roma", "Dortmund", "Zürich", "Bern", "Praha", "Kraków", "Athína", "Göteborg", "Málaga", "Bordeaux",
        "Lyon", "Marseille", "Valencia", "Bilbao", "Genova", "Firenze", "Bergamo", "Lecce", "Wien", "Graz"]
CLUB_FORM = ["{city}", "Real {city}", "Atlético {city}", "FC {city}", "1. FC {city}", "Sporting {city}",
             "{city} Calcio", "Inter {city}", "Dinamo {city}", "Olympique {city}", "SC {city}", "Union {city}"]
SOURCES = ["Corriere dello Sport", "La Gazzetta dello Sport", "Marca", "AS", "Kicker", "Bild", "L'Équipe",
           "A Bola", "Record", "Sky Sport Italia", "The Athletic", "Fabrizio Romano", "Tuttosport", "Mundo Deportivo",
           "Fanatik", "Sport Bild", "Calciomercato.com", "Relevo", "ESPN", "Diario AS"]
LANGS = ["en", "en", "en", "it", "it", "es", "de", "fr", "pt"]
WORDS = {
    "en": "the club board coach season talks contract source report agreement interest option shortlist".split(),
    "it": "la società il tecnico stagione trattativa contratto fonte accordo interesse panchina mercato".split(),
    "es": "el club entrenador temporada negociación contrato fuente acuerdo interés banquillo directiva".split(),
    "de": "der Verein Trainer Saison Gespräche Vertrag Quelle Einigung Interesse Kandidat Vorstand".split(),
    "fr": "le club entraîneur saison discussions contrat source accord intérêt banc direction".split(),
    "pt": "o clube treinador temporada conversas contrato fonte acordo interesse banco direção".split(),
}


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank ** exponent) for rank in range(1, count + 1)]


def people(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen = set()
    while len(names) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if len(seen) >= len(FIRST) * len(LAST) - 1 or name in seen:
            name = f"{name} {len(names)}"
        seen.add(name)
        names.append(name)
    return names


def clubs(rng: random.Random, count: int) -> list[str]:
    names = []
    for index in range(count):
        name = rng.choice(CLUB_FORM).format(city=rng.choice(CITY))
        names.append(name if index < 40 else f"{name} {index}")
    return list(dict.fromkeys(names))


def body(rng: random.Random, lang: str, coach: str, club_names: list[str], source: str) -> str:
    words = WORDS[lang]

    def sentence(length: int) -> str:
        text = " ".join(rng.choice(words) for _ in range(length))
        return text[0].upper() + text[1:] + "."

    target = rng.randint(1500, 3000)
    parts = [f"{coach} and {', '.join(club_names)}: {sentence(12)}", ""]
    while sum(len(p) for p in parts) < target:
        kind = rng.random()
        if kind < 0.15:
            parts += [f"## {sentence(4)[:-1]}", ""]
        elif kind < 0.3:
            parts += [f"- {sentence(6)}" for _ in range(rng.randint(2, 4))] + [""]
        elif kind < 0.4:
            parts += [f"See [{source}](https://example.com/{rng.randint(1, 10**6)}) for {sentence(5)}", ""]
        else:
            parts += [" ".join(sentence(rng.randint(8, 16)) for _ in range(rng.randint(2, 4))), ""]
    return "\n".join(parts)


def generate(target: Path, count: int, seed: int = 2026) -> Path:
    """Write ``count`` stories under ``target/stories/`` plus a site.yaml; returns ``target``."""
    rng = random.Random(seed)
    coach_names = people(rng, max(20, count // 8))
    club_names = clubs(rng, max(20, count // 15))
    coach_weights = zipf_weights(len(coach_names))
    club_weights = zipf_weights(len(club_names))
    (target / "stories").mkdir(parents=True, exist_ok=True)
    (target / "site.yaml").write_text("title: Benchmark Archive\nbase_url: https://bench.example/\n")
    for index in range(count):
        coach = rng.choices(coach_names, coach_weights)[0]
        story_clubs = list(dict.fromkeys(rng.choices(club_names, club_weights, k=rng.randint(1, 3))))
        year = rng.randint(1995, 2025)
        precision = rng.random()
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        when = (f"{year}" if precision < 0.05 else f"{year}-{month:02d}" if precision < 0.15
                else f"{year}-{month:02d}-{day:02d}")
        source = rng.choice(SOURCES)
        lang = rng.choice(LANGS)
        clubs_yaml = ", ".join(f'"{club}"' for club in story_clubs)
        text = (f'---\ncoach: "{coach}"\nclubs: [{clubs_yaml}]\ndate: {when}\nsource: "{source}"\n'
                f"lang: {lang}\n---\n{body(rng, lang, coach, story_clubs, source)}\n")
        path = target / "stories" / str(year) / f"story-{index:06d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


if __name__ == "__main__":
    generate(Path(sys.argv[2]), int(sys.argv[1]))
