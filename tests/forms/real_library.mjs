// The real Loket's form library (@lblod/submission-form-helpers 3.0.0) on a form + data + meta, printing the
// same JSON as `manage.py forms validate --form-data`: the verdict, every applicable field with the messages of
// its failing constraints (errors: sh:Violation or no severity; warnings: sh:Warning), listing items with their
// own fields, and the form data that importTriplesForForm selects (N-Triples lines).
//
//   node tests/forms/real_library.mjs --form F.ttl [--data D.ttl] [--meta M.ttl] [--node URI] [--repeat N]
//   node tests/forms/real_library.mjs --serve     (one JSON case per input line -> one JSON report per line)
//
// The library is loaded from LOKET_NODE_MODULES (default: var/node/node_modules, installed by `make test`).
// A case is {"form": ttl, "data": ttl, "meta": ttl, "node": uri}; a report whose library call threw is
// {"crash": message}. --repeat N times decide + validate + select N times and adds "timings_ms".

import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.LOKET_NODE_MODULES || resolve(here, "../../var/node/node_modules");
const entry = (name, file) => pathToFileURL(resolve(modules, name, file)).href;
const helpers = await import(entry("@lblod/submission-form-helpers", "src/index.js"));
const { default: ForkingStore } = await import(entry("forking-store", "dist/forking-store.js"));

const { fieldsForForm, fieldsForSubForm, validateForm, validationResultsForField, importTriplesForForm } = helpers;
const { triplesForScope, RDF, FORM, SHACL } = helpers;
const NamedNode = RDF("type").constructor; // the library's own rdflib

// The library reports unknown validations with console.error and unsupported values with console.log:
// keep standard output for the JSON.
console.log = () => {};
console.error = () => {};

const GRAPHS = {
  formGraph: new NamedNode("http://data.lblod.info/form"),
  metaGraph: new NamedNode("http://data.lblod.info/metagraph"),
  sourceGraph: new NamedNode("http://data.lblod.info/sourcegraph"),
};
const EMPTY_NODE = "http://data.lblod.info/form-data/nodes/lege-inzending";

function findRoot(store) {
  const typed = (type) => store.match(undefined, RDF("type"), FORM(type), GRAPHS.formGraph).map((t) => t.subject);
  const subForms = new Set(typed("SubForm").map((n) => n.value));
  const candidates = [...typed("Form"), ...typed("TopLevelForm")].filter((n) => !subForms.has(n.value));
  candidates.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return candidates[0];
}

function isListing(store, field) {
  return Boolean(store.any(field, RDF("type"), FORM("Listing"), GRAPHS.formGraph));
}

function isSection(store, field) {
  return ["Section", "PropertyGroup"].some((t) => store.any(field, RDF("type"), FORM(t), GRAPHS.formGraph));
}

function unique(terms) {
  const seen = new Set();
  return terms.filter((t) => !seen.has(t.value) && seen.add(t.value));
}

async function messages(field, options, severity) {
  const results = await validationResultsForField(field, severity ? { ...options, severity } : options);
  return results.filter((r) => !r.valid).map((r) => r.resultMessage || "");
}

// The fields as validateForm walks them: listings repeat the sub-form's fields (decided on the enclosing
// form's source node, as the library does) for every node in the listing's scope.
async function fieldReports(fields, options) {
  const { store } = options;
  const reports = [];
  for (const field of unique(fields)) {
    if (isSection(store, field)) continue;
    const label = store.any(field, SHACL("name"), undefined, GRAPHS.formGraph);
    const path = pathText(store, store.any(field, SHACL("path"), undefined, GRAPHS.formGraph));
    const report = { field: field.value, label: label ? label.value : "", path, errors: [], warnings: [] };
    if (isListing(store, field)) {
      const scope = store.any(field, FORM("scope"), undefined, GRAPHS.formGraph);
      const items = scope ? triplesForScope(scope, options).values : [];
      const subForm = store.any(field, FORM("each"), undefined);
      const subFields = items.length ? await fieldsForSubForm(subForm, options) : [];
      report.items = [];
      for (const item of unique(items)) {
        report.items.push({ node: item.value, fields: await fieldReports(subFields, { ...options, sourceNode: item }) });
      }
    } else {
      report.errors = await messages(field, options);
      report.warnings = await messages(field, options, SHACL("Warning"));
    }
    reports.push(report);
  }
  return reports;
}

// The path as `forms validate` writes it: <iri>, steps joined by "/", ^ before an inverse step.
function pathText(store, path) {
  if (!path) return "";
  if (path.termType === "NamedNode") return `<${path.value}>`;
  if (path.termType !== "Collection") return "";
  const steps = path.elements.map((element) => {
    if (element.termType === "NamedNode") return `<${element.value}>`;
    const inverse = store.any(element, SHACL("inversePath"), undefined, GRAPHS.formGraph);
    return inverse && inverse.termType === "NamedNode" ? `^<${inverse.value}>` : null;
  });
  return steps.includes(null) ? "" : steps.join("/");
}

function escape(text) {
  return text.replace(/[\\"\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]);
}

function nt(term) {
  if (term.termType === "NamedNode") return `<${term.value}>`;
  if (term.termType === "BlankNode") return `_:${term.value.replace(/[^A-Za-z0-9]/g, "x")}`;
  if (term.language) return `"${escape(term.value)}"@${term.language}`;
  const datatype = term.datatype && term.datatype.value;
  if (!datatype || datatype === "http://www.w3.org/2001/XMLSchema#string") return `"${escape(term.value)}"`;
  return `"${escape(term.value)}"^^<${datatype}>`;
}

// The last form parsed, kept with its store: consecutive cases on one form (a large real form with many
// submissions) only replace the data and code lists.
let last = { form: null, store: null };

function load({ form, data, meta }) {
  let store = last.form === form ? last.store : null;
  if (store) {
    store.graph.removeMatches(null, null, null, GRAPHS.sourceGraph);
    store.graph.removeMatches(null, null, null, GRAPHS.metaGraph);
  } else {
    last = { form: null, store: null };
    store = new ForkingStore();
    store.parse(form, GRAPHS.formGraph, "text/turtle");
  }
  store.parse(data || "", GRAPHS.sourceGraph, "text/turtle");
  store.parse(meta || "", GRAPHS.metaGraph, "text/turtle");
  last = { form, store };
  return store;
}

async function decideValidateSelect(root, options) {
  const fields = await fieldsForForm(root, options);
  const valid = await validateForm(root, options);
  const triples = await importTriplesForForm(root, options);
  return { fields, valid, triples };
}

async function report(input) {
  let store;
  try {
    store = load(input);
  } catch (error) {
    return { crash: `parse: ${error.message || error}` };
  }
  const root = findRoot(store);
  if (!root) return { crash: "no form root" };
  const sourceNode = new NamedNode(input.node || EMPTY_NODE);
  const options = { store, ...GRAPHS, sourceNode };
  try {
    const { fields, valid, triples } = await decideValidateSelect(root, options);
    const lines = [...new Set(triples.map((t) => `${nt(t.subject)} ${nt(t.predicate)} ${nt(t.object)} .`))].sort();
    const result = {
      valid: Boolean(valid),
      node: sourceNode.value,
      fields: await fieldReports(fields, options),
      form_data_triples: lines.length,
      form_data: lines,
      form_warnings: [], // the real library loads without telling
    };
    if (input.repeat) result.timings_ms = await time(root, options, input.repeat);
    return result;
  } catch (error) {
    return { crash: String((error && error.message) || error) };
  }
}

async function time(root, options, repeat) {
  const samples = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    await decideValidateSelect(root, options);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

function argument(name) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv.includes("--serve")) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let answer;
    try {
      answer = await report(JSON.parse(line));
    } catch (error) {
      answer = { crash: String(error) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  }
} else {
  const read = (name) => (argument(name) ? readFileSync(argument(name), "utf-8") : "");
  const result = await report({
    form: read("--form"),
    data: read("--data"),
    meta: read("--meta"),
    node: argument("--node"),
    repeat: Number(argument("--repeat") || 0),
  });
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  process.exitCode = result.crash ? 2 : result.valid ? 0 : 1;
}
