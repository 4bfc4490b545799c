/**
 * axe-core (npm) run inside the real webview: the rules of WCAG 2.1 A and AA and axe's best
 * practices; a page passes when nothing serious or critical is found. Each finding is reported
 * with its rule, impact and the elements, so a failure can be fixed without the screenshot.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the whole document and returns the serious and critical violations. */
export async function seriousViolations(browser) {
  const loaded = await browser.execute(() => typeof window.axe === 'object');
  if (!loaded) await browser.execute(AXE_SOURCE);
  const result = await browser.executeAsync((done) => {
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    }).then(
      (r) => done({ violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} :: ${n.failureSummary}`),
      })) }),
      (e) => done({ error: String(e) }),
    );
  });
  assert.equal(result.error, undefined, `axe could not run: ${result.error}`);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with every serious or critical finding of the page, named by `where`. */
export async function assertAccessible(browser, where) {
  const found = await seriousViolations(browser);
  assert.deepEqual(found, [], `${where}: axe found serious or critical problems:\n${JSON.stringify(found, null, 2)}`);
}
