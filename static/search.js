// Panchina search: Pagefind's JavaScript API with our own small interface.
// Loaded as an external module (no inline script), so it runs under a strict
// Content-Security-Policy. It reads ?q= (and the filters) from the address and
// keeps the address in step, so a search can be bookmarked and shared.
const FILTER_ORDER = ["coach", "club", "source", "year", "lang"];
const PAGE_SIZE = 20;

const root = document.getElementById("search");
const form = root.querySelector(".search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const filtersBox = document.getElementById("search-filters");
const statusLine = document.getElementById("search-status");
const resultsList = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const languageNames = JSON.parse(root.dataset.languageNames || "{}");
// The interface words come from the page, in the site's language (templates/search.html).
const messages = JSON.parse(root.dataset.messages);
const pluralRules = new Intl.PluralRules(document.documentElement.lang || "en");

function foundText(count) {
  const message = pluralRules.select(count) === "one" ? messages.found_one : messages.found_other;
  return message.replace("{count}", count.toLocaleString(document.documentElement.lang || "en"));
}

let pagefind;
let allFilters = {};
let pending = [];
let searchToken = 0;

function readState() {
  const params = new URLSearchParams(window.location.search);
  const selected = {};
  for (const name of FILTER_ORDER) {
    const values = params.getAll(name);
    if (values.length) selected[name] = values;
  }
  const sort = params.has("sort") ? params.get("sort") : "date:desc";
  return { query: (params.get("q") || "").trim(), selected, sort };
}

function writeState(state) {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  if (state.sort !== "date:desc") params.set("sort", state.sort);
  for (const [name, values] of Object.entries(state.selected)) {
    for (const value of values) params.append(name, value);
  }
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

function currentState() {
  const selected = {};
  for (const box of filtersBox.querySelectorAll("input[type=checkbox]:checked")) {
    (selected[box.name] ||= []).push(box.value);
  }
  return { query: input.value.trim(), selected, sort: sortSelect.value };
}

function displayValue(name, value) {
  return name === "lang" ? languageNames[value] || value : value;
}

function renderFilters(counts, selected) {
  filtersBox.replaceChildren();
  for (const name of FILTER_ORDER) {
    const values = Object.keys(allFilters[name] || {});
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = messages.filters[name];
    fieldset.append(legend);
    const sorted = values.sort((a, b) =>
      name === "year" ? b.localeCompare(a) : a.localeCompare(b, undefined, { sensitivity: "base" }));
    for (const value of sorted) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      box.checked = (selected[name] || []).includes(value);
      const count = counts && counts[name] ? counts[name][value] || 0 : allFilters[name][value];
      const text = document.createElement("span");
      text.textContent = `${displayValue(name, value)} (${count})`;
      label.append(box, text);
      label.dataset.count = String(count);
      fieldset.append(label);
    }
    filtersBox.append(fieldset);
  }
}

function excerptNodes(excerpt) {
  // Pagefind's excerpt is escaped text with <mark> around matches: rebuild it
  // from text nodes so that nothing but <mark> can ever reach the page.
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  const nodes = [];
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

async function showMore(token) {
  const batch = pending.splice(0, PAGE_SIZE);
  const items = await Promise.all(batch.map((result) => result.data()));
  if (token !== searchToken) return;
  for (const data of items) {
    const item = document.createElement("li");
    item.className = "search-result";
    if (data.meta.date) {
      const time = document.createElement("time");
      time.dateTime = data.meta.date;
      time.textContent = data.meta.date;
      item.append(time);
    }
    const link = document.createElement("a");
    link.className = "result-title";
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    const excerpt = document.createElement("p");
    excerpt.append(...excerptNodes(data.excerpt || ""));
    item.append(link, excerpt);
    resultsList.append(item);
  }
  moreButton.hidden = pending.length === 0;
}

async function runSearch() {
  const state = currentState();
  writeState(state);
  const token = ++searchToken;
  const hasFilters = Object.keys(state.selected).length > 0;
  resultsList.replaceChildren();
  moreButton.hidden = true;
  if (!state.query && !hasFilters) {
    statusLine.textContent = messages.prompt;
    renderFilters(null, state.selected);
    return;
  }
  statusLine.textContent = messages.searching;
  const filters = {};
  for (const [name, values] of Object.entries(state.selected)) filters[name] = { any: values };
  const options = { filters };
  if (state.sort) {
    const [key, direction] = state.sort.split(":");
    options.sort = { [key]: direction };
  }
  const search = await pagefind.search(state.query || null, options);
  if (token !== searchToken || !search) return;
  pending = search.results;
  const count = search.results.length;
  statusLine.textContent = foundText(count);
  renderFilters(search.filters, state.selected);
  await showMore(token);
}

// The search index comes in bundles, one per run of years (panchina/search.py),
// listed oldest first in /pagefind/bundles.json: the first is loaded, the others
// are merged into it with Pagefind's mergeIndex. Returns the initialised
// Pagefind object, whose search() answers as one index over the whole site would.
async function loadIndex() {
  const listUrl = new URL("/pagefind/bundles.json", window.location.href);
  const response = await fetch(listUrl);
  if (!response.ok) throw new Error(`${listUrl}: ${response.status}`);
  const bundles = (await response.json()).bundles;
  const paths = bundles.map((bundle) => new URL(`${bundle.folder}/`, listUrl).pathname);
  // Pagefind scores a date-sorted result by its position in its own bundle, and merged
  // results are ordered by score, so bundles interleave. Each bundle's weight carries its
  // number in the score's fraction (1 + n·2⁻²², too small to change a relevance ranking),
  // so a result's bundle and position can be read back and the results put in order.
  const STEP = 2 ** -22;
  // Every page also carries its bundle's number as a hidden filter, to search some bundles only.
  const BUNDLE = "_bundle";
  const pagefind = await import(`${paths[0]}pagefind.js`);
  await pagefind.options({ excerptLength: 30, indexWeight: 1, mergeFilter: { [BUNDLE]: "0" } });
  await pagefind.init();
  await Promise.all(paths.slice(1).map((path, n) => pagefind.mergeIndex(path,
    { excerptLength: 30, indexWeight: 1 + (n + 1) * STEP, mergeFilter: { [BUNDLE]: String(n + 1) } })));

  function bundleOfDate(date) {
    const found = bundles.findIndex((bundle) => date <= bundle.last);
    return found < 0 ? bundles.length - 1 : found;
  }

  async function place(result) {
    const position = Math.round(Math.abs(result.score));
    if (position === 0) {
      // The first page of some bundle: its weight cannot show in a zero score, its date can.
      const data = await result.data();
      return [bundleOfDate(data.meta.date || ""), 0];
    }
    return [Math.round((Math.abs(result.score) - position) / (position * STEP)), position];
  }

  // A bundle in which a word does not occur falls back to the longest prefix of it that
  // does (searching "allegri" finds "a"), where one index over the site would have found
  // the word itself. So when every word of the search occurs, as a whole word, in some
  // bundle, only the bundles holding all of them are searched. A word still being typed
  // occurs nowhere whole, and is left to Pagefind's own prefix matching.
  async function bundlesWithEveryWord(term) {
    const words = (term || "").replace(/"/g, " ").split(/\s+/).filter(Boolean);
    if (bundles.length < 2 || !words.length || /^\s*".+"\s*$/.test(term)) return null;
    let holding = null;
    for (const word of words) {
      const exact = await pagefind.search(`"${word}"`);
      const counts = (exact && exact.filters[BUNDLE]) || {};
      const found = Object.keys(counts).filter((bundle) => counts[bundle] > 0);
      if (!found.length) return null;
      holding = holding ? holding.filter((bundle) => found.includes(bundle)) : found;
    }
    return holding.length ? holding : ["none"];
  }

  function withoutBundles(filters) {
    const { [BUNDLE]: _, ...shown } = filters || {};
    return shown;
  }

  async function search(term, options = {}) {
    const holding = await bundlesWithEveryWord(term);
    const filters = holding ? { ...options.filters, [BUNDLE]: { any: holding } } : options.filters;
    const found = await pagefind.search(term, { ...options, filters });
    if (!found) return found;
    const answer = { ...found, filters: withoutBundles(found.filters),
                     totalFilters: withoutBundles(found.totalFilters) };
    const direction = Object.values(options.sort || {})[0];
    if (!direction || bundles.length < 2) return answer;
    const keys = await Promise.all(found.results.map(place));
    const sign = direction === "asc" ? 1 : -1;
    const order = found.results.map((result, i) => [keys[i], result]);
    order.sort(([a], [b]) => sign * (a[0] - b[0]) || sign * (a[1] - b[1]));
    return { ...answer, results: order.map(([, result]) => result) };
  }

  return { ...pagefind, search, filters: async () => withoutBundles(await pagefind.filters()) };
}

async function start() {
  const state = readState();
  input.value = state.query;
  sortSelect.value = state.sort;
  try {
    pagefind = await loadIndex();
    allFilters = await pagefind.filters();
  } catch (error) {
    statusLine.textContent = messages.unavailable;
    return;
  }
  renderFilters(null, state.selected);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runSearch();
  });
  let typingTimer;
  input.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(runSearch, 200);
  });
  sortSelect.addEventListener("change", runSearch);
  filtersBox.addEventListener("change", runSearch);
  moreButton.addEventListener("click", () => showMore(searchToken));
  await runSearch();
}

start();
