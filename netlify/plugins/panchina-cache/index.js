// Netlify build plugin: restore Panchina's .cache/ and the last published site
// (output/) before the build, save them after.
//
// .cache/ holds the checked stories, the rendered story bodies and the search
// bundles (.cache/pagefind/), all keyed by content hashes, never by file times
// or paths, so they still hit in Netlify's fresh clone of the repository. The
// build trusts none of it: bodies are sanitized again, and a bundle's code is
// replaced by Pagefind's own (panchina/search.py). A page of the restored output/
// is kept only when its bytes hash to what the last build wrote (the manifest
// in .cache/build.sqlite), so only the pages a push changes are rendered again;
// anything else in it is dropped, as the site is staged whole. Uses only utils.cache, which
// Netlify hands to every plugin: no npm install.
"use strict";

const CACHED = [".cache", "output"];

module.exports = {
  async onPreBuild({ utils }) {
    // Does nothing for a folder that already exists (a local `netlify build`) or on a first deploy.
    const restored = await utils.cache.restore(CACHED);
    console.log(restored
      ? "panchina-cache: restored .cache/ and output/ from the previous build"
      : "panchina-cache: no .cache/ from a previous build; this build starts cold");
  },

  async onPostBuild({ utils }) {
    // Only after a successful build: a failed one never reaches onPostBuild.
    const saved = await utils.cache.save(CACHED);
    console.log(saved
      ? "panchina-cache: saved .cache/ and output/ for the next build"
      : "panchina-cache: no .cache/ to save");
  },
};
