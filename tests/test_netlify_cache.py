"""The Netlify build plugin keeps .cache/ between builds, and the cache hits in a fresh clone.

The Netlify CLI is not installed (it would need npm and about 1,000 packages),
so Node loads netlify/plugins/panchina-cache/index.js and calls its hooks with
a ``utils.cache`` that behaves as Netlify's documented one
(@netlify/cache-utils): ``restore`` does nothing where the path exists
locally or was never saved, ``save`` copies the path into the build cache.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, story_text

PLUGIN = ROOT / "netlify" / "plugins" / "panchina-cache"
# Netlify's utils.cache, as documented, over a folder standing for Netlify's build cache.
DRIVER = r"""
const fs = require("fs"), path = require("path");
const [plugin, hook, store] = process.argv.slice(1);
const list = (paths) => [].concat(paths);
const cache = {
  async restore(paths) {
    let any = false;
    for (const p of list(paths)) {
      if (fs.existsSync(p) || !fs.existsSync(path.join(store, p))) continue;
      fs.cpSync(path.join(store, p), p, { recursive: true });
      any = true;
    }
    return any;
  },
  async save(paths) {
    let any = false;
    for (const p of list(paths)) {
      if (!fs.existsSync(p)) continue;
      fs.rmSync(path.join(store, p), { recursive: true, force: true });
      fs.cpSync(p, path.join(store, p), { recursive: true });
      any = true;
    }
    return any;
  },
};
require(plugin)[hook]({ utils: { cache }, constants: {}, inputs: {} })
  .catch((e) => { console.error(e); process.exit(1); });
"""


def hook(name: str, folder: Path, store: Path) -> str:
    result = subprocess.run(["node", "-e", DRIVER, str(PLUGIN / "index.js"), name, str(store)], cwd=folder,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def build(folder: Path) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=folder, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A repository's working copy: the content and the theme, no .cache/ (Git ignores it)."""
    root = tmp_path / "first"
    for folder in ("templates", "static"):
        shutil.copytree(ROOT / folder, root / folder)
    for year, name in (("2019", "a"), ("2021", "b"), ("2026", "c")):
        (root / "content/stories" / year).mkdir(parents=True)
        (root / "content/stories" / year / f"{name}.md").write_text(
            story_text(date=year, body=f"Story {name} of {year}."), encoding="utf-8")
    return root


def test_the_plugin_is_declared_in_netlify_toml_and_needs_no_install():
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert {"package": "./netlify/plugins/panchina-cache"} in config["plugins"]
    assert (PLUGIN / "manifest.yml").read_text().count("name: panchina-cache") == 1
    assert "require(" not in (PLUGIN / "index.js").read_text()  # nothing to install


def fresh_clone(checkout: Path, clone: Path, store: Path) -> None:
    """Netlify's next build: a fresh clone (new inodes and times), the plugin's onPreBuild, the build."""
    shutil.copytree(checkout, clone, ignore=shutil.ignore_patterns(".cache", "output"))
    assert hook("onPreBuild", clone, store) == "panchina-cache: restored .cache/ and output/ from the previous build"


def test_a_fresh_clone_restores_the_cache_and_takes_bodies_and_bundles_from_it(tmp_path, checkout):
    store = tmp_path / "netlify-cache"
    assert hook("onPreBuild", checkout, store) == "panchina-cache: no .cache/ from a previous build; this build " \
                                                  "starts cold"
    build(checkout)
    assert hook("onPostBuild", checkout, store) == "panchina-cache: saved .cache/ and output/ for the next build"

    fresh_clone(checkout, tmp_path / "clone", store)
    restored = {path.name: path.stat().st_ino for folder in (".cache/pagefind", "output/pagefind")
                for path in (tmp_path / "clone" / folder).rglob("*")}
    report = build(tmp_path / "clone")
    pages = int(re.search(r"(\d+) pages \((\d+) unchanged\)", report).group(2))
    assert re.search(r"(\d+) pages \(\1 unchanged\)", report), report  # the restored site's pages all kept
    assert pages > 10
    published = {path.name: path.stat().st_ino for path in (tmp_path / "clone/output/pagefind").rglob("*")
                 if path.suffix in (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")}
    # Linked from the restored cache or site: not indexed again.
    assert published and set(published.values()) <= set(restored.values())
    assert hook("onPostBuild", tmp_path / "clone", store) == \
        "panchina-cache: saved .cache/ and output/ for the next build"

    # Mark every stored body: a page built from the cache shows where its body came from.
    with sqlite3.connect(store / ".cache/bodies.sqlite") as connection:
        connection.execute("UPDATE bodies SET html = html || '<p>From the cache.</p>'")
    connection.close()
    fresh_clone(checkout, tmp_path / "marked", store)
    shutil.rmtree(tmp_path / "marked" / "output")  # so that every page is rendered again, from the bodies
    build(tmp_path / "marked")
    for year, name in (("2019", "a"), ("2021", "b"), ("2026", "c")):
        assert "<p>From the cache.</p>" in (tmp_path / f"marked/output/stories/{year}/{name}/index.html").read_text()
