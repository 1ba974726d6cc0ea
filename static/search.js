// Panchina search: Pagefind's JavaScript API with our own small interface.
// Loaded as an external module (no inline script), so it runs under a strict
// Content-Security-Policy. The address holds the whole search (?q=, the sort
// and every filter), so a search can be bookmarked and shared, and each step
// the reader takes is a history entry that the Back button returns to.
//
// Filters are whatever Pagefind reports (coach, club, source, year, lang, and
// any later one such as status or outcome): each becomes a fieldset whose
// values are sorted by count, with the top few shown, "show all", a box to
// narrow a long list, and values with no results disabled and hidden. The
// filter controls are built once and then updated in place, so the control
// the reader used keeps the focus.

// Filters named here come first, in this order; any other Pagefind filter follows, A–Z.
const FILTER_ORDER = ["coach", "club", "status", "outcome", "source", "year", "lang"];
const PAGE_SIZE = 20; // results shown at a time
const TOP_VALUES = 5; // values a filter shows before "show all"
const NARROW_FROM = 8; // a filter with more values than this gets a box to narrow it
const TYPING_DELAY = 250; // ms of quiet before a typed query is searched

const root = document.getElementById("search");
const form = root.querySelector(".search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const filtersBox = document.getElementById("search-filters");
const filtersList = document.getElementById("search-filter-list");
const toggle = document.getElementById("search-filters-toggle");
const toggleCount = document.getElementById("search-filters-count");
const closeButton = document.getElementById("search-filters-close");
const chipsBox = document.getElementById("search-chips");
const chipsList = document.getElementById("search-chip-list");
const clearAll = document.getElementById("search-clear");
const statusLine = document.getElementById("search-status");
const resultsWrap = document.getElementById("search-results-wrap");
const resultsList = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const languageNames = JSON.parse(root.dataset.languageNames || "{}");
// The interface words come from the page, in the site's language (templates/search.html).
const messages = JSON.parse(root.dataset.messages);
const locale = document.documentElement.lang || "en";
const pluralRules = new Intl.PluralRules(locale);
const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });

let pagefind;
let allFilters = {}; // name -> {value: count} over the whole archive
const controls = {}; // name -> {fieldset, items: Map(value -> {item, box, count}), find, more, none, expanded}
let state = { query: "", sort: "date:desc", selected: {} }; // selected: name -> [values]
let pending = [];
let searchToken = 0;
let typingEntry = false; // the current history entry was made by typing: further typing replaces it

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

function format(message, values) {
  return message.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

function plural(pair, count) {
  const message = pluralRules.select(count) === "one" ? pair[0] : pair[1];
  return format(message, { count: count.toLocaleString(locale) });
}

function filterLabel(name) {
  return messages.filters[name] || name;
}

function displayValue(name, value) {
  return name === "lang" ? languageNames[value] || value : value;
}

function filterNames() {
  const known = FILTER_ORDER.filter((name) => name in allFilters);
  const others = Object.keys(allFilters).filter((name) => !FILTER_ORDER.includes(name)).sort();
  return [...known, ...others].filter((name) => Object.keys(allFilters[name]).length > 0);
}

// ---- the address ----

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  const selected = {};
  for (const name of new Set(params.keys())) {
    if (name === "q" || name === "sort") continue;
    const values = [...new Set(params.getAll(name))];
    if (values.length) selected[name] = values;
  }
  const sort = params.has("sort") ? params.get("sort") : "date:desc";
  return { query: (params.get("q") || "").trim(), selected, sort };
}

function addressOf(next) {
  const params = new URLSearchParams();
  if (next.query) params.set("q", next.query);
  if (next.sort !== "date:desc") params.set("sort", next.sort);
  for (const name of Object.keys(next.selected).sort()) {
    for (const value of next.selected[name]) params.append(name, value);
  }
  const search = params.toString();
  return search ? `?${search}` : window.location.pathname;
}

function record(how) {
  const address = addressOf(state);
  if (how === "none" || address === window.location.search || (address === window.location.pathname && !window.location.search)) return;
  if (how === "replace") history.replaceState(null, "", address);
  else history.pushState(null, "", address);
}

// ---- filters ----

function isSelected(name, value) {
  return (state.selected[name] || []).includes(value);
}

function setSelected(name, value, on) {
  const values = new Set(state.selected[name] || []);
  if (on) values.add(value);
  else values.delete(value);
  if (values.size) state.selected[name] = [...values];
  else delete state.selected[name];
}

function buildFilters() {
  filtersList.replaceChildren();
  for (const name of filterNames()) {
    const fieldset = document.createElement("fieldset");
    fieldset.className = "filter";
    fieldset.dataset.filter = name;
    const legend = document.createElement("legend");
    legend.textContent = filterLabel(name);
    fieldset.append(legend);
    const values = Object.keys(allFilters[name]);
    const control = { fieldset, items: new Map(), find: null, expanded: false };
    if (values.length > NARROW_FROM) {
      const label = document.createElement("label");
      label.className = "visually-hidden";
      label.htmlFor = `filter-${name}-find`;
      label.textContent = format(messages.narrow, { filter: filterLabel(name) });
      const find = document.createElement("input");
      find.type = "search";
      find.id = `filter-${name}-find`;
      find.className = "filter-find";
      find.autocomplete = "off";
      find.placeholder = messages.narrow_placeholder;
      find.addEventListener("input", () => refreshFilter(name));
      fieldset.append(label, find);
      control.find = find;
    }
    const list = document.createElement("ul");
    list.className = "filter-values";
    for (const value of values) {
      const item = document.createElement("li");
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      const text = document.createElement("span");
      text.className = "value-name";
      text.textContent = displayValue(name, value);
      const count = document.createElement("span");
      count.className = "count";
      label.append(box, text, count);
      item.append(label);
      list.append(item);
      control.items.set(value, { item, box, count, shown: allFilters[name][value] });
    }
    control.list = list;
    const none = document.createElement("p");
    none.className = "filter-none";
    none.textContent = messages.no_match_in_list;
    none.hidden = true;
    control.none = none;
    const more = document.createElement("button");
    more.type = "button";
    more.className = "filter-more link-button";
    more.setAttribute("aria-expanded", "false");
    more.hidden = true;  // until its values are counted and it gets its words: never an empty button
    more.addEventListener("click", () => {
      control.expanded = !control.expanded;
      more.setAttribute("aria-expanded", String(control.expanded));
      refreshFilter(name);
    });
    control.more = more;
    fieldset.append(list, none, more);
    filtersList.append(fieldset);
    controls[name] = control;
  }
}

function numeric(values) {
  return values.every((value) => /^\d+$/.test(value));
}

// Order, counts and visibility of one filter's values; the focused control keeps the focus.
function refreshFilter(name) {
  const control = controls[name];
  const focused = document.activeElement;
  const entries = [...control.items.entries()];
  for (const [value, entry] of entries) {
    const count = entry.shown;
    const selected = isSelected(name, value);
    entry.box.checked = selected;
    entry.box.disabled = !selected && count === 0;
    entry.count.textContent = count.toLocaleString(locale);
  }
  // Years (or any all-number filter) read best newest first; everything else by count.
  const byNumber = numeric(entries.map(([value]) => value));
  entries.sort(([a, x], [b, y]) => (byNumber ? collator.compare(b, a)
    : y.shown - x.shown || collator.compare(displayValue(name, a), displayValue(name, b))));
  const narrow = control.find ? control.find.value.trim().toLocaleLowerCase(locale) : "";
  let eligible = 0;
  let shown = 0;
  for (const [value, entry] of entries) {
    const selected = isSelected(name, value);
    const usable = selected || entry.shown > 0;
    let visible = usable;
    if (usable) eligible += 1;
    if (narrow) {
      visible = usable && displayValue(name, value).toLocaleLowerCase(locale).includes(narrow);
    } else if (!control.expanded) {
      visible = selected || (usable && eligible <= TOP_VALUES);
    }
    entry.item.hidden = !visible;
    if (visible) shown += 1;
    control.list.append(entry.item);
  }
  control.none.hidden = !(narrow && shown === 0);
  control.more.hidden = Boolean(narrow) || eligible <= TOP_VALUES;
  control.more.textContent = control.expanded ? messages.show_fewer
    : format(messages.show_all, { count: eligible.toLocaleString(locale) });
  control.fieldset.hidden = eligible === 0;
  if (focused && focused !== document.activeElement && document.contains(focused)) focused.focus();
}

function setCounts(counts) {
  for (const [name, control] of Object.entries(controls)) {
    for (const [value, entry] of control.items) {
      entry.shown = counts ? (counts[name] || {})[value] || 0 : allFilters[name][value];
    }
    refreshFilter(name);
  }
}

function renderChips() {
  const chips = [];
  for (const name of filterNames().concat(Object.keys(state.selected).filter((n) => !(n in allFilters)))) {
    for (const value of state.selected[name] || []) chips.push([name, value]);
  }
  chipsList.replaceChildren();
  for (const [name, value] of chips) {
    const item = document.createElement("li");
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip";
    chip.dataset.filter = name;
    chip.dataset.value = value;
    const text = `${filterLabel(name)}: ${displayValue(name, value)}`;
    chip.textContent = text;
    chip.setAttribute("aria-label", format(messages.remove_filter, { filter: text }));
    const cross = document.createElement("span");
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = " ×";
    chip.append(cross);
    item.append(chip);
    chipsList.append(item);
  }
  chipsBox.hidden = chips.length === 0;
  toggleCount.textContent = chips.length ? `(${chips.length.toLocaleString(locale)})` : "";
}

// ---- results ----

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

function resultItem(data) {
  const meta = data.meta || {};
  const item = document.createElement("li");
  item.className = "search-result";
  if (meta.date) {
    const time = document.createElement("time");
    time.dateTime = meta.date;
    time.textContent = meta.when || meta.date; // "when" is the date as the site writes it
    item.append(time);
  }
  const link = document.createElement("a");
  link.className = "result-title";
  link.href = data.url;
  link.textContent = meta.title || data.url;
  item.append(link);
  const facts = document.createElement("p");
  facts.className = "result-facts";
  for (const [key, className] of [["coach", "result-coach"], ["clubs", "result-clubs"]]) {
    if (!meta[key]) continue;
    if (facts.childNodes.length) facts.append(" · ");
    const span = document.createElement("span");
    span.className = className;
    span.textContent = meta[key];
    facts.append(span);
  }
  if (meta.source) {
    const via = document.createElement("span");
    via.className = "result-source";
    via.textContent = format(messages.via, { source: meta.source });
    facts.append(" ", via);
  }
  for (const key of ["status", "outcome"]) {
    if (!meta[key]) continue;
    const badge = document.createElement("span");
    badge.className = `result-badge result-${key}`;
    badge.textContent = meta[key];
    facts.append(" ", badge);
  }
  if (facts.childNodes.length) item.append(facts);
  const excerpt = document.createElement("p");
  excerpt.className = "result-excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(excerpt);
  return item;
}

async function showMore(token, focusFirst) {
  const batch = pending.splice(0, PAGE_SIZE);
  const items = await Promise.all(batch.map((result) => result.data()));
  if (token !== searchToken) return;
  const nodes = items.map(resultItem);
  resultsList.append(...nodes);
  moreButton.hidden = pending.length === 0;
  if (focusFirst && nodes.length) nodes[0].querySelector("a").focus();
}

function pagefindFilters(selected) {
  const filters = {};
  for (const [name, values] of Object.entries(selected)) filters[name] = { any: values };
  return filters;
}

// Counts as a faceted search gives them: a filter's own values are counted
// without that filter, so ticking one coach leaves the other coaches choosable.
async function facetCounts(query, search) {
  const counts = { ...search.filters };
  for (const name of Object.keys(state.selected)) {
    const others = { ...state.selected };
    delete others[name];
    const without = await pagefind.search(query, { filters: pagefindFilters(others) });
    if (without && without.filters) counts[name] = without.filters[name] || {};
  }
  return counts;
}

function emptyMessage() {
  return Object.keys(state.selected).length ? messages.empty_filtered : messages.empty_query;
}

async function runSearch(how) {
  record(how);
  renderChips();
  const token = ++searchToken;
  const hasFilters = Object.keys(state.selected).length > 0;
  pending = [];
  if (!state.query && !hasFilters) {
    resultsList.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent = messages.prompt;
    setCounts(null);
    return;
  }
  resultsWrap.setAttribute("aria-busy", "true");
  statusLine.textContent = messages.searching;
  const options = { filters: pagefindFilters(state.selected) };
  if (state.sort) {
    const [key, direction] = state.sort.split(":");
    options.sort = { [key]: direction };
  }
  const query = state.query || null;
  const search = await pagefind.search(query, options);
  if (token !== searchToken || !search) return;
  const counts = await facetCounts(query, search);
  if (token !== searchToken) return;
  pending = search.results;
  resultsList.replaceChildren();
  moreButton.hidden = true;
  const count = search.results.length;
  setCounts(counts);
  await showMore(token, false);
  if (token !== searchToken) return;
  resultsWrap.removeAttribute("aria-busy");
  statusLine.textContent = count ? plural(messages.found, count) : `${plural(messages.found, 0)} ${emptyMessage()}`;
}

// ---- events ----

function showState(next) {
  state = next;
  input.value = state.query;
  sortSelect.value = state.sort;
}

function setPanel(open) {
  root.classList.toggle("filters-open", open);
  toggle.setAttribute("aria-expanded", String(open));
}

function listen() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    state.query = input.value.trim();
    typingEntry = false;
    runSearch("push");
  });
  let typingTimer;
  input.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      state.query = input.value.trim();
      runSearch(typingEntry ? "replace" : "push");
      typingEntry = true;
    }, TYPING_DELAY);
  });
  sortSelect.addEventListener("change", () => {
    state.sort = sortSelect.value;
    typingEntry = false;
    runSearch("push");
  });
  filtersList.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox") return;
    setSelected(box.name, box.value, box.checked);
    typingEntry = false;
    runSearch("push");
  });
  chipsList.addEventListener("click", (event) => {
    const chip = event.target.closest(".chip");
    if (!chip) return;
    const chips = [...chipsList.querySelectorAll(".chip")];
    const index = chips.indexOf(chip);
    setSelected(chip.dataset.filter, chip.dataset.value, false);
    typingEntry = false;
    runSearch("push");
    // Focus moves to the chip that took this one's place, else "clear all"'s neighbour: the query box.
    const rest = chipsList.querySelectorAll(".chip");
    (rest[Math.min(index, rest.length - 1)] || input).focus();
  });
  clearAll.addEventListener("click", () => {
    state.selected = {};
    typingEntry = false;
    runSearch("push");
    input.focus();
  });
  toggle.addEventListener("click", () => {
    const open = !root.classList.contains("filters-open");
    setPanel(open);
    if (open) filtersBox.focus();
  });
  closeButton.addEventListener("click", () => {
    setPanel(false);
    toggle.focus();
  });
  filtersBox.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && root.classList.contains("filters-open")) {
      setPanel(false);
      toggle.focus();
    }
  });
  moreButton.addEventListener("click", () => showMore(searchToken, true));
  window.addEventListener("popstate", () => {
    typingEntry = false;
    showState(readAddress());
    runSearch("none");
  });
}

async function start() {
  showState(readAddress());
  root.classList.add("search-ready");
  resultsWrap.setAttribute("aria-busy", "true");
  statusLine.textContent = messages.loading;
  try {
    pagefind = await loadIndex();
    allFilters = await pagefind.filters();
  } catch (error) {
    resultsWrap.removeAttribute("aria-busy");
    statusLine.textContent = messages.unavailable;
    return;
  }
  resultsWrap.removeAttribute("aria-busy");
  buildFilters();
  listen();
  // Arriving with a query (from another page's search box): the results are
  // what the reader came for, so the focus starts at the line that counts them.
  if (state.query && document.activeElement === document.body) statusLine.focus({ preventScroll: true });
  else if (!state.query && document.activeElement === document.body) input.focus();
  await runSearch("none");
}

start();
