// Lints Cypher statements with Neo4j's own language support (@neo4j-cypher/language-support).
//
// stdin:  {"schema": {...DbSchema}, "statements": [{"name": str, "text": str,
//          "cypherVersion"?: "CYPHER 5" | "CYPHER 25"}, ...]}
//         (a bare statement list is accepted too, linted against an empty schema).
// stdout: [{"name": str, "cypherVersion": str,
//           "diagnostics": [{"severity", "message", "line", "column"}]}, ...]
//         severity is "error", "warning", "information" or "hint"; line and column are 1-based.
//
// Exit status 0 means the linter ran; judging the diagnostics is the caller's job
// (tests/test_cypher_lint.py). Any other status is a failure of this script itself.
//
// Unless the schema brings its own, Neo4j's built-in functions and procedures are taken from
// the package's bundled registry dump (testData.mockSchema, a copy of a real server's
// registry), leaving out the APOC and GDS plugins. Without a function registry the linter does
// not check function names at all, so LadybugDB-only functions such as label() would pass.
//
// Neo4j's semantic analysis takes 20-400 ms a statement (worker threads did not help on a
// two-CPU machine), so a statement that appears more than once is linted once.

import { lintCypherQuery, testData } from "@neo4j-cypher/language-support";

const SEVERITY = { 1: "error", 2: "warning", 3: "information", 4: "hint" };
const PLUGINS = ["apoc.", "gds."];

function builtIns(registry, keep) {
  const scoped = {};
  for (const [version, entries] of Object.entries(registry ?? {})) {
    scoped[version] = Object.fromEntries(
      Object.entries(entries).filter(([, entry]) => keep(entry)),
    );
  }
  return scoped;
}

function isPlugin(entry) {
  return PLUGINS.some((prefix) => entry.name.startsWith(prefix));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function lint(statement, schema) {
  if (typeof statement?.name !== "string" || typeof statement?.text !== "string") {
    throw new Error(`each statement needs a string name and text: ${JSON.stringify(statement)}`);
  }
  const version = statement.cypherVersion ?? schema.defaultLanguage ?? "CYPHER 5";
  const { diagnostics } = lintCypherQuery(statement.text, { ...schema, defaultLanguage: version });
  return {
    name: statement.name,
    cypherVersion: version,
    diagnostics: diagnostics.map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
}

function lintAll(statements, schema) {
  const seen = new Map();
  return statements.map((statement) => {
    const key = JSON.stringify([statement.text, statement.cypherVersion ?? null]);
    if (!seen.has(key)) seen.set(key, lint(statement, schema));
    return { ...seen.get(key), name: statement.name };
  });
}

async function main() {
  const input = JSON.parse(await readStdin());
  const statements = Array.isArray(input) ? input : input.statements;
  if (!Array.isArray(statements)) {
    throw new Error('stdin must be a statement list or {"schema": ..., "statements": [...]}');
  }
  const mock = testData.mockSchema;
  const schema = {
    functions: builtIns(mock.functions, (fn) => fn.isBuiltIn === true),
    procedures: builtIns(mock.procedures, (proc) => !isPlugin(proc)),
    ...(Array.isArray(input) ? {} : (input.schema ?? {})),
  };
  const results = lintAll(statements, schema);
  process.stdout.write(JSON.stringify(results) + "\n");
}

main().catch((error) => {
  process.stderr.write(`cypher-lint: ${error?.stack ?? error}\n`);
  process.exit(2);
});
