// npm run pack: copies the SDK and its components into a mini-program project, which cannot import
// files outside its own root. By default into example/ (libs/wenzhen/ and components/); another
// project's root can be given: node scripts/pack.mjs <projectRoot>.
//
// The SDK's sources are ES modules that share the Web SDK's files (../../web/src/…). The copy puts
// those under libs/wenzhen/web/ and turns every module into CommonJS, which every mini-program
// runtime loads whatever the developer tools' compile settings (ES5 compiling is still wanted for
// the class private fields and ?. on older phones: the example's project.config.json turns it on).
// The conversion knows only the import/export forms this SDK uses and stops on any other.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const SDK = resolve(HERE, '..');
const WEB_SRC = resolve(SDK, '../web/src');

/** `a, b as c` -> [['a', 'a'], ['b', 'c']] */
function names(list) {
  return list.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [name, alias] = s.split(/\s+as\s+/);
    return [name.trim(), (alias ?? name).trim()];
  });
}

/**
 * One ES module as CommonJS. `rewrite(path)` maps an import path to the packed one.
 * Returns {code, imports}: imports are the paths as written in the source.
 */
export function toCommonJs(source, file, rewrite) {
  const out = ["'use strict';"];
  const exported = [];
  const imports = [];
  source.split('\n').forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    let m;
    if ((m = line.match(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)';?\s*$/))) {
      imports.push(m[2]);
      const bindings = names(m[1]).map(([name, alias]) => (name === alias ? name : `${name}: ${alias}`));
      out.push(`const { ${bindings.join(', ')} } = require('${rewrite(m[2])}');`);
    } else if ((m = line.match(/^export\s*\{([^}]*)\}\s*from\s*'([^']+)';?\s*$/))) {
      imports.push(m[2]);
      const module = `__${out.length}`;
      out.push(`const ${module} = require('${rewrite(m[2])}');`);
      for (const [name, alias] of names(m[1])) out.push(`exports.${alias} = ${module}.${name};`);
    } else if ((m = line.match(/^export\s*\{([^}]*)\};?\s*$/))) {
      for (const [name, alias] of names(m[1])) exported.push([name, alias]);
      out.push('');
    } else if ((m = line.match(/^export\s+((?:async\s+)?function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)/))) {
      exported.push([m[2], m[2]]);
      out.push(line.replace(/^export\s+/, ''));
    } else if (/^\s*(import|export)\b/.test(line)) {
      throw new Error(`${where}: an import/export form pack.mjs does not convert: ${line.trim()}`);
    } else {
      out.push(line);
    }
  });
  // at the end: every declaration has run by then (no module of this SDK reads an export of a module that imports it)
  for (const [name, alias] of exported) out.push(`exports.${alias} = ${name};`);
  return { code: `${out.join('\n')}\n`, imports };
}

/** Packs into projectRoot: libs/wenzhen/ (the SDK, CommonJS) and components/zego-pusher, zego-player. */
export function pack(projectRoot) {
  const libs = join(projectRoot, 'libs', 'wenzhen');
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(join(libs, 'web'), { recursive: true });
  const done = new Set();
  const queue = [join(SDK, 'src', 'index.js')];
  while (queue.length) {
    const file = queue.shift();
    if (done.has(file)) continue;
    done.add(file);
    const fromWeb = file.startsWith(WEB_SRC);
    const target = fromWeb ? join(libs, 'web', relative(WEB_SRC, file)) : join(libs, relative(join(SDK, 'src'), file));
    const rewrite = (path) => {
      const absolute = resolve(dirname(file), path);
      const packed = absolute.startsWith(WEB_SRC) ? join(libs, 'web', relative(WEB_SRC, absolute)) : join(libs, relative(join(SDK, 'src'), absolute));
      const rel = relative(dirname(target), packed).split('\\').join('/');
      return rel.startsWith('.') ? rel : `./${rel}`;
    };
    const { code, imports } = toCommonJs(readFileSync(file, 'utf8'), relative(SDK, file), rewrite);
    for (const path of imports) {
      const absolute = resolve(dirname(file), path);
      if (!absolute.startsWith(join(SDK, 'src')) && !absolute.startsWith(WEB_SRC)) {
        throw new Error(`${relative(SDK, file)} imports ${path}, outside the SDK and the Web SDK's sources`);
      }
      queue.push(absolute);
    }
    writeFileSync(target, code);
  }
  for (const component of ['zego-pusher', 'zego-player']) {
    const to = join(projectRoot, 'components', component);
    rmSync(to, { recursive: true, force: true });
    cpSync(join(SDK, 'components', component), to, { recursive: true });
  }
  return [...done].map((f) => relative(SDK, f));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(SDK, 'example'));
  const files = pack(root);
  console.log(`packed ${files.length} modules into ${join(root, 'libs', 'wenzhen')} and the components into ${join(root, 'components')}`);
}
