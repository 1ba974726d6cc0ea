"""The same corpus as a Hugo site: one page per story, coach, club and source, indexes, home.

Hugo's taxonomies give the coach, club and source timelines; the layouts are
deliberately as plain as ours, so the comparison times the generators, not
the themes.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

CONFIG = """\
baseURL = "https://bench.example/"
title = "Benchmark Archive"
disableKinds = ["RSS"]
[taxonomies]
  coach = "coaches"
  club = "clubs"
  source = "sources"
[markup.goldmark.renderer]
  unsafe = false
"""

LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title><link rel="stylesheet" href="/static/style.css"></head>
<body><header><a href="/">{{ site.Title }}</a> <a href="/coaches/">Coaches</a> <a href="/clubs/">Clubs</a>
<form action="/search/"><input type="search" name="q"></form></header><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><p>{{ range .GetTerms "coaches" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }} →
{{ range .GetTerms "clubs" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<h1>{{ .Title }}</h1><p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "sources" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range first 20 .Site.RegularPages.ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ len .Pages }} rumours</p>
{{ range .Pages.GroupByDate "2006" }}<h2>{{ .Key }}</h2><ol>{{ range .Pages }}
<li><time>{{ .Date.Format "2 January 2006" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ range .GetTerms "clubs" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</li>{{ end }}</ol>{{ end }}{{ end }}
""",
}
_FENCE = re.compile(r"^---\n(.*?)\n---\n", re.S)


def write_hugo_site(content_dir: Path, site_dir: Path) -> Path:
    """Translate our stories into a Hugo site under ``site_dir``."""
    (site_dir / "hugo.toml").parent.mkdir(parents=True, exist_ok=True)
    (site_dir / "hugo.toml").write_text(CONFIG)
    for name, text in LAYOUTS.items():
        path = site_dir / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for story in sorted((content_dir / "stories").rglob("*.md")):
        text = story.read_text(encoding="utf-8")
        match = _FENCE.match(text)
        fields = yaml.safe_load(match.group(1))
        when = str(fields["date"])
        when += "-01" * (3 - len(when.split("-")))
        clubs = fields["clubs"] if isinstance(fields["clubs"], list) else [fields["clubs"]]
        front = {"title": fields.get("title") or f"{fields['coach']} linked with {', '.join(clubs)}",
                 "date": when, "coaches": [fields["coach"]], "clubs": clubs, "sources": [fields["source"]]}
        target = site_dir / "content" / "stories" / story.relative_to(content_dir / "stories")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + text[match.end():],
                          encoding="utf-8")
    return site_dir
