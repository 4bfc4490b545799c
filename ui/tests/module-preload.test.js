/**
 * index.html names every module the shell imports before its first screen (issue 30: the start).
 * Without the list the browser finds the modules a level at a time (main.js, then what it
 * imports, then what those import: four round trips to the app's asset handler, one after the
 * other); with `<link rel="modulepreload">` it asks for all of them at once while the page is
 * parsed. The list must be the static imports of main.js, whole: a module missing from it is
 * fetched late again, one no longer imported is fetched for nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The module paths (relative to ui/) main.js reaches by static imports, main.js itself not. */
function staticImports(entry = 'main.js') {
  const found = new Set();
  const visit = (file) => {
    const source = readFileSync(join(ui, file), 'utf8');
    // `import x from '…'`, `import { a } from '…'`, `import '…'`, `export … from '…'`; not `import(…)`.
    const pattern = /^\s*(?:import|export)\s+(?:[^'";]*?\bfrom\s+)?['"]([^'"]+)['"]/gm;
    for (const [, spec] of source.matchAll(pattern)) {
      const target = relative(ui, join(ui, dirname(file), spec));
      if (found.has(target)) continue;
      found.add(target);
      visit(target);
    }
  };
  visit(entry);
  found.delete(entry);
  return found;
}

function preloaded() {
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  return [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
}

test('index.html preloads exactly the modules main.js imports, each once', () => {
  const wanted = staticImports();
  const listed = preloaded();
  assert.ok(wanted.size > 30, `the imports were found (${wanted.size})`);
  assert.equal(new Set(listed).size, listed.length, 'a module is listed twice');
  const missing = [...wanted].filter((f) => !listed.includes(f)).sort();
  const extra = listed.filter((f) => !wanted.has(f));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] },
    `index.html's list is not main.js's imports; the lines it needs:\n${[...wanted].sort()
      .map((f) => `  <link rel="modulepreload" href="${f}">`).join('\n')}`);
});

test('the preloads come before main.js, so that their fetches start first', () => {
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  const lastPreload = html.lastIndexOf('rel="modulepreload"');
  assert.ok(lastPreload > 0 && lastPreload < html.indexOf('src="main.js"'));
});
