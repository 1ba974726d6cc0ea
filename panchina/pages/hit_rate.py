"""``/sources/by-hit-rate/``: the sources with enough resolved reports, by how often they came true.

Sorted by hit rate, then by the low end of its Wilson interval, so that of
two sources at 80% the one with more resolved reports comes first; the
counts and the interval stand beside each rate.  No JavaScript: this is the
sorted view of ``/sources/``.
"""

from __future__ import annotations

from ..outcomes import ENOUGH_RESOLVED
from ..present import track_view
from ..urls import HIT_RATE_URL, file_for
from . import Page, Site

TEMPLATE = "hit_rate.html"


def pages(site: Site) -> list[Page]:
    resolved, present = site.archive.resolved, site.present
    ranked, waiting = [], []
    for source in site.archive.sources:
        record = resolved.record(source.stories)
        if record.enough:
            ranked.append((-record.rate, -record.interval.low, source.name, present.ref(source), track_view(record)))
        else:  # listed too, nearest to a rate first: a reader looking for one should find out why it is not ranked
            waiting.append((-record.resolved, source.name, present.ref(source), track_view(record)))
    ranked.sort(key=lambda item: item[:3])
    waiting.sort(key=lambda item: item[:2])
    return [Page(file_for(HIT_RATE_URL), TEMPLATE, {
        "url": HIT_RATE_URL, "sources": [(ref, track) for *_, ref, track in ranked],
        "too_few": [(ref, track) for *_, ref, track in waiting], "threshold": ENOUGH_RESOLVED,
    })]
