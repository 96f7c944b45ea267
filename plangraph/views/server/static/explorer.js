// The plangraph explorer: a page per hash route (#/, #/queries, #/query/NAME, #/entity?iri=,
// #/plan?iri=, #/graph?…, #/sparql), drawn from the server's JSON. Every piece of data is put in
// the page as text (textContent, attribute values), never as markup.
"use strict";

const PREFIXES = {
  pg: "https://w3id.org/plangraph/ontology#",
  pgid: "https://w3id.org/plangraph/id/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  prov: "http://www.w3.org/ns/prov#",
  dcterms: "http://purl.org/dc/terms/",
  xsd: "http://www.w3.org/2001/XMLSchema#",
};
const main = document.getElementById("main");
let library = null;

// -- building the page ------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(...nodes) {
  main.replaceChildren(...nodes.flat(Infinity).filter((node) => node !== null && node !== undefined && node !== false));
}

function problem(message) {
  return el("p", { class: "error", role: "alert" }, message);
}

function short(iri) {
  for (const [prefix, ns] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
  }
  return iri;
}

function route(path, params) {
  const query = new URLSearchParams(params || {}).toString();
  return `#/${path}${query ? "?" + query : ""}`;
}

function entityLink(iri, label) {
  return el("a", { href: route("entity", { iri }), title: iri, class: "entity" }, label || short(iri));
}

async function fetchJSON(url, accept) {
  const response = await fetch(url, { headers: { Accept: accept || "application/json" } });
  const text = await response.text();
  if (!response.ok) throw new Error(text.trim() || `${response.status} ${response.statusText}`);
  return JSON.parse(text);
}

function graphTag(where) {
  if (where.kind === "asserted") return el("span", { class: "tag", title: where.plan || "" }, "asserted");
  return el("span", { class: `tag ${where.kind}` }, where.kind);
}

// -- SPARQL JSON results as a table ----------------------------------------------------
function cell(binding) {
  if (!binding) return "";
  if (binding.type === "uri") return entityLink(binding.value);
  if (binding.type === "bnode") return `_:${binding.value}`;
  return binding.value;
}

function resultsTable(json) {
  if (typeof json.boolean === "boolean") return el("p", {}, el("strong", {}, json.boolean ? "true" : "false"));
  const vars = json.head.vars;
  const rows = json.results.bindings;
  return [
    el("p", { class: "muted" }, `${rows.length} row${rows.length === 1 ? "" : "s"}`),
    el("table", { class: "results" },
      el("thead", {}, el("tr", {}, vars.map((v) => el("th", {}, v)))),
      el("tbody", {}, rows.map((row) => el("tr", {}, vars.map((v) => el("td", {}, cell(row[v])))))),
    ),
  ];
}

// -- pages ---------------------------------------------------------------------
async function home() {
  const plans = await fetchJSON("api/plans");
  show(
    el("h1", {}, "规划 Plans"),
    plans.length ? el("ul", {}, plans.map((p) => el("li", {},
      el("a", { href: route("plan", { iri: p.iri }) }, p.label || short(p.iri)),
      p.label_en ? el("span", { class: "muted" }, ` — ${p.label_en}`) : null,
      " ", el("a", { href: route("entity", { iri: p.iri }), class: "muted" }, "(node)"),
    ))) : el("p", { class: "muted" }, "The store holds no plan."),
    el("h2", {}, "查询 The named queries"),
    await queryList(),
  );
}

async function getLibrary() {
  if (!library) library = await fetchJSON("queries");
  return library;
}

async function queryList() {
  const queries = await getLibrary();
  return el("ul", { class: "queries" }, queries.map((q) => el("li", {},
    el("a", { href: route(`query/${encodeURIComponent(q.name)}`) }, q.title_zh || q.name),
    q.title_en ? ` / ${q.title_en}` : "",
    el("div", { class: "muted" }, q.question),
  )));
}

async function queriesPage() {
  show(el("h1", {}, "查询 The named queries"), await queryList());
}

function completer(input, listId) {
  // labels from the graph as the user types, for parameters that name a node
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = input.value.trim();
      const list = document.getElementById(listId);
      if (!text || !list) return;
      try {
        const labels = await fetchJSON(`api/complete?${new URLSearchParams({ text })}`);
        list.replaceChildren(...labels.map((label) => el("option", { value: label })));
      } catch (error) { /* completion is a help, not a requirement */ }
    }, 150);
  });
}

async function queryPage(name, params) {
  const q = (await getLibrary()).find((entry) => entry.name === name);
  if (!q) { show(problem(`no query named ${name}`)); return; }
  const result = el("div", { id: "result" });
  const inputs = q.params.map((p) => {
    const input = el("input", { name: p.name, value: params.get(p.name) || "", placeholder: `default: ${p.default}`,
      list: p.kind === "iri" ? `labels-${p.name}` : null, autocomplete: "off" });
    if (p.kind === "iri") completer(input, `labels-${p.name}`);
    return el("label", {}, el("strong", {}, `?${p.name}`), ` (${p.kind}) ${p.description}`, el("br"), input,
      p.kind === "iri" ? el("datalist", { id: `labels-${p.name}` }) : null);
  });
  const form = el("form", { class: "params", id: "query-form" }, inputs,
    el("div", { class: "row" }, el("button", { type: "submit" }, "运行 Run")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = {};
    for (const input of form.querySelectorAll("input")) if (input.value.trim()) values[input.name] = input.value.trim();
    location.hash = route(`query/${encodeURIComponent(name)}`, { ...values, run: "1" });
  });
  show(
    el("h1", {}, q.title_zh || q.name, q.title_en ? el("span", { class: "muted" }, ` / ${q.title_en}`) : null),
    el("p", {}, q.question),
    q.inference ? el("p", { class: "muted" }, `answer owes to the reasoner: ${q.inference}`) : null,
    form,
    el("details", {}, el("summary", {}, "SPARQL"), el("pre", {}, q.text)),
    result,
  );
  if (!params.get("run")) return;
  const values = {};
  for (const p of q.params) if (params.get(p.name)) values[p.name] = params.get(p.name);
  const search = new URLSearchParams(values).toString();
  result.replaceChildren(el("p", { class: "muted" }, "Running…"));
  try {
    if (q.form === "CONSTRUCT" || q.form === "DESCRIBE") {
      const response = await fetch(`queries/${encodeURIComponent(name)}?${search}`, { headers: { Accept: "text/turtle" } });
      const text = await response.text();
      if (!response.ok) throw new Error(text);
      result.replaceChildren(el("pre", {}, text));
      return;
    }
    const json = await fetchJSON(`queries/${encodeURIComponent(name)}?${search}`, "application/sparql-results+json");
    result.replaceChildren(
      el("div", { class: "row" },
        el("a", { class: "button secondary", id: "download-csv", href: `queries/${encodeURIComponent(name)}?${search}${search ? "&" : ""}format=csv&download=1` }, "CSV"),
        el("a", { class: "button secondary", id: "graph-view", href: route("graph", { query: name, ...values }) }, "图 Graph view"),
      ),
      ...[resultsTable(json)].flat(),
    );
  } catch (error) {
    result.replaceChildren(problem(error.message));
  }
}

function section(title, ...body) {
  return [el("h2", {}, title), ...body];
}

async function entityPage(params) {
  const iri = params.get("iri");
  const e = await fetchJSON(`api/entity?${new URLSearchParams({ iri })}`);
  const outLinks = e.links.filter((l) => l.direction === "out");
  const inLinks = e.links.filter((l) => l.direction === "in");
  const linkTable = (links) => links.length ? el("table", {},
    el("thead", {}, el("tr", {}, el("th", {}, "property"), el("th", {}, "node"), el("th", {}, "graph"))),
    el("tbody", {}, links.map((l) => el("tr", {},
      el("td", { title: l.property }, l.propertyLabel ? `${l.propertyLabel} (${short(l.property)})` : short(l.property)),
      el("td", {}, typeof l.other === "string" ? l.other : entityLink(l.other.iri, l.other.label)),
      el("td", {}, l.graphs.map(graphTag)),
    )))) : el("p", { class: "muted" }, "none");
  show(
    el("h1", {}, e.labels.zh || e.labels[""] || short(e.iri), e.labels.en ? el("span", { class: "muted" }, ` / ${e.labels.en}`) : null),
    el("p", { class: "muted" }, e.iri),
    el("div", { class: "row" },
      el("a", { class: "button secondary", id: "entity-graph", href: route("graph", { focus: e.iri, hops: "2" }) }, "图 Neighbourhood graph"),
      e.types.some((t) => t.iri === PREFIXES.pg + "Plan") ? el("a", { class: "button secondary", href: route("plan", { iri: e.iri }) }, "规划 Plan page") : null,
    ),
    e.aliases.length ? el("p", {}, "别名 aliases: ", e.aliases.join("、")) : null,
    ...section("类型 Types", el("p", {}, e.types.map((t) => el("span", { class: "tag", title: t.iri }, t.label ? `${t.label} ${short(t.iri)}` : short(t.iri))))),
    ...(e.targets.length ? section("指标 Targets", el("table", {},
      el("thead", {}, el("tr", {}, ["target", "indicator", "comparator", "value", "upper", "unit", "year"].map((h) => el("th", {}, h)))),
      el("tbody", {}, e.targets.map((t) => el("tr", {},
        el("td", {}, entityLink(t.target.iri, t.target.label)),
        [t.indicator, t.comparator, t.value, t.upper, t.unit, t.year].map((v) => el("td", {}, v || "")))))),
    ) : []),
    ...(e.facts.length ? section("属性 Facts", el("table", {}, el("tbody", {}, e.facts.map((f) => el("tr", {},
      el("td", { title: f.property }, f.propertyLabel || short(f.property)), el("td", {}, f.value), el("td", {}, graphTag(f.graph))))))) : []),
    ...section("链出 Links out", linkTable(outLinks)),
    ...section("链入 Links in", linkTable(inLinks)),
    ...section("规划 Plans that name it", e.plans.length ? el("ul", {}, e.plans.map((p) => el("li", {},
      el("a", { href: route("plan", { iri: p.iri }) }, p.label || short(p.iri))))) : el("p", { class: "muted" }, "none")),
    ...section("出处 Where the documents say so", e.sources.length ? e.sources.map((s) => el("div", { class: "source" },
      el("div", { class: "muted" }, [s.document, s.section].filter(Boolean).join(" · "),
        s.fact === "link" && s.other ? [" — ", short(s.property || ""), " ", typeof s.other === "string" ? s.other : entityLink(s.other.iri, s.other.label)] : ""),
      el("blockquote", {}, s.quote),
    )) : el("p", { class: "muted" }, "none recorded")),
  );
}

function outline(parts) {
  return el("ul", { class: "tree" }, parts.map((part) => el("li", {},
    el("span", { class: "tag" }, part.type), entityLink(part.iri, part.label),
    part.children.length ? outline(part.children) : null,
  )));
}

async function planPage(params) {
  const p = await fetchJSON(`api/plan?${new URLSearchParams({ iri: params.get("iri") })}`);
  show(
    el("h1", {}, p.label || short(p.iri), p.label_en ? el("span", { class: "muted" }, ` / ${p.label_en}`) : null),
    el("div", { class: "row" },
      el("a", { class: "button secondary", href: route("entity", { iri: p.iri }) }, "节点 The plan's node"),
      el("a", { class: "button secondary", href: route("graph", { focus: p.iri, hops: "3" }) }, "图 Graph view"),
    ),
    ...section("结构 Vision, pillars, goals, targets and tasks", outline(p.outline)),
    ...section("共享 Shared with other plans in the store", p.shared.length ? el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "carrier"), el("th", {}, "type"), el("th", {}, "also in"))),
      el("tbody", {}, p.shared.map((s) => el("tr", {},
        el("td", {}, entityLink(s.iri, s.label)), el("td", {}, s.type || ""),
        el("td", {}, s.plans.map((o, i) => [i ? "、" : "", el("a", { href: route("plan", { iri: o.iri }) }, o.label || short(o.iri))])),
      )))) : el("p", { class: "muted" }, "nothing: no other plan in the store names its carriers")),
  );
}

function graphPage(params) {
  const src = `view?${params.toString()}`;
  const what = params.get("focus") ? `${params.get("hops") || 2} hops around ${short(params.get("focus"))}` : `the answer of ${params.get("query")}`;
  show(
    el("h1", {}, "图 Graph view"),
    el("p", { class: "muted" }, what, " · ", el("a", { href: src, target: "_blank", rel: "noopener" }, "open on its own")),
    el("iframe", { class: "graph", src, title: "graph view", sandbox: "allow-scripts" }),
  );
}

async function sparqlPage(params) {
  const queries = await getLibrary();
  const prologue = Object.entries(PREFIXES).map(([p, ns]) => `PREFIX ${p}: <${ns}>`).join("\n");
  const editor = el("textarea", { id: "sparql-text", spellcheck: "false" },
    params.get("query") || `${prologue}\n\nSELECT ?goal ?label WHERE {\n  ?goal a pg:Goal ; rdfs:label ?label .\n} LIMIT 50\n`);
  const examples = el("select", { id: "examples", "aria-label": "examples" }, el("option", { value: "" }, "例子 Examples: the named queries…"),
    queries.map((q) => el("option", { value: q.name }, q.title_zh ? `${q.title_zh} / ${q.name}` : q.name)));
  examples.addEventListener("change", () => {
    const q = queries.find((entry) => entry.name === examples.value);
    if (q) editor.value = q.text;
  });
  const result = el("div", { id: "result" });
  const run = async () => {
    result.replaceChildren(el("p", { class: "muted" }, "Running…"));
    const body = new URLSearchParams({ query: editor.value });
    try {
      const response = await fetch("sparql", { method: "POST", body,
        headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
      const text = await response.text();
      if (!response.ok) throw new Error(text.trim());
      if ((response.headers.get("content-type") || "").includes("json")) result.replaceChildren(...[resultsTable(JSON.parse(text))].flat());
      else result.replaceChildren(el("pre", {}, text));
    } catch (error) {
      result.replaceChildren(problem(error.message));
    }
  };
  show(
    el("h1", {}, "SPARQL"),
    el("p", { class: "muted" }, "The prefixes below are preset: a query may use them without declaring them. The default graph is the union of the store's graphs."),
    el("div", { class: "row" }, examples),
    editor,
    el("div", { class: "row" }, el("button", { id: "run-sparql", onclick: run }, "运行 Run")),
    result,
  );
}

// -- routing ----------------------------------------------------------------------
async function render() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, search] = [hash.split("?")[0], hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : ""];
  const params = new URLSearchParams(search);
  try {
    if (!path) await home();
    else if (path === "queries") await queriesPage();
    else if (path.startsWith("query/")) await queryPage(decodeURIComponent(path.slice(6)), params);
    else if (path === "entity") await entityPage(params);
    else if (path === "plan") await planPage(params);
    else if (path === "graph") graphPage(params);
    else if (path === "sparql") await sparqlPage(params);
    else show(problem(`no page ${path}`));
  } catch (error) {
    show(problem(error.message));
  }
  document.title = `${(main.querySelector("h1") || {}).textContent || "plangraph"} · plangraph`;
}

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = document.getElementById("search-box").value.trim();
  if (value) location.hash = route("entity", { iri: value });
});
completer(document.getElementById("search-box"), "search-labels");
window.addEventListener("hashchange", render);
render();
