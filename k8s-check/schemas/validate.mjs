// Validates rendered manifests (kubectl kustomize output) against the schemas of every kind they use:
// Kubernetes' own, Strimzi's, CloudNativePG's and the Prometheus Operator's, as the kubernetes-models
// packages carry them. Two passes, because each alone is lenient where the other is strict:
//  1. each model's JSON-schema validator: types, enums, patterns, required fields;
//  2. TypeScript's excess-property check against the models' interfaces: a field the schema does not
//     declare (a misspelling, a field at the wrong level) fails, as the API server's strict field
//     validation would fail it. The schemas alone accept unknown fields.
// Usage: node validate.mjs rendered.yaml ... ; prints one line per problem and exits 1 if any.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));

// apiVersion group -> the package whose folders hold its models
const packages = {
  '': 'kubernetes-models',
  apps: 'kubernetes-models',
  policy: 'kubernetes-models',
  autoscaling: 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
};

function modelPath(apiVersion) {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const pkg = packages[group];
  if (!pkg) {
    return null;
  }
  return group === '' ? `${pkg}/${version}` : `${pkg}/${group}/${version}`;
}

const problems = [];
const typed = []; // { file, name, module, kind, json }

for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const doc of docs) {
    if (doc.errors.length) {
      problems.push(`${file}: YAML: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJS();
    if (!object) {
      continue;
    }
    const name = `${object.kind}/${object.metadata?.name ?? '?'}`;
    if (object.kind === 'Secret' && object.data) {
      // kustomize wraps long base64 values over lines; the API server's decoder skips line breaks
      for (const key of Object.keys(object.data)) {
        object.data[key] = String(object.data[key]).replace(/\s+/g, '');
      }
    }
    const module = object.apiVersion && object.kind ? modelPath(object.apiVersion) : null;
    let Model;
    try {
      Model = module && (await import(module))[object.kind];
    } catch {
      Model = null;
    }
    if (!Model) {
      problems.push(`${file}: ${name}: no schema for ${object.apiVersion} ${object.kind} (add its models to k8s-check/schemas)`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (invalid) {
      problems.push(`${file}: ${name}: ${invalid.message}`);
    }
    typed.push({ file, name, module, kind: object.kind, json: object });
  }
}

// The strict pass: one TypeScript file assigning every object, as a literal, to its model's interface.
const work = mkdtempSync(join(tmpdir(), 'k8s-check-'));
try {
  const lines = [];
  const owners = []; // line index -> object
  typed.forEach((entry, i) => {
    lines.push(`import type { I${entry.kind} as T${i} } from ${JSON.stringify(entry.module)};`);
  });
  typed.forEach((entry, i) => {
    const literal = JSON.stringify(entry.json, null, 2).split('\n');
    literal[0] = `export const o${i}: T${i} = ${literal[0]}`;
    literal[literal.length - 1] += ';';
    for (const line of literal) {
      owners[lines.length] = entry;
      lines.push(line);
    }
  });
  const source = join(work, 'manifests.ts');
  writeFileSync(source, lines.join('\n') + '\n');
  const program = ts.createProgram([source], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    typeRoots: [],
    types: [],
    baseUrl: here,
    paths: { '*': [join(here, 'node_modules', '*')] },
  });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file && diagnostic.start !== undefined) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const owner = owners[line];
      problems.push(owner ? `${owner.file}: ${owner.name}: ${text} (at: ${lines[line].trim()})` : text);
    } else {
      problems.push(text);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const problem of problems) {
  console.log(`FAIL ${problem}`);
}
console.log(`${typed.length} objects checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
