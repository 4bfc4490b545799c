import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// A lost closing brace turns every later rule into part of a media query: the app then looks
// right only in a narrow window (seen once after a merge). Count the braces, comments aside.
test('every block in style.css is closed, and no rule sits inside a media query by accident', () => {
  const css = readFileSync(new URL('../style.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  let depth = 0;
  let inMedia = false;
  for (const [i, line] of css.split('\n').entries()) {
    if (/^@media/.test(line)) inMedia = true;
    for (const ch of line) {
      if (ch === '{') depth += 1;
      if (ch === '}') depth -= 1;
      assert.ok(depth >= 0, `a closing brace without an opening one on line ${i + 1}`);
    }
    if (depth === 0) inMedia = false;
    if (inMedia && depth === 1 && /^\S/.test(line) && !/^@media/.test(line) && !/^}/.test(line)) {
      assert.fail(`line ${i + 1} starts a top-level rule inside a media query: ${line}`);
    }
  }
  assert.equal(depth, 0, 'every block is closed');
});
