import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twoStepGroup } from '../two-step.js';

/** Just enough of a document and a button for the group: listeners, text, dataset, contains. */
function fakeDocument() {
  const listeners = {};
  return {
    addEventListener: (type, fn) => { (listeners[type] ??= new Set()).add(fn); },
    removeEventListener: (type, fn) => listeners[type]?.delete(fn),
    dispatch: (type, event) => { for (const fn of listeners[type] ?? []) fn({ type, ...event }); },
  };
}

function fakeButton(doc, text) {
  const own = [];
  const button = {
    textContent: text,
    dataset: {},
    isConnected: true,
    addEventListener: (type, fn) => own.push(fn),
    contains: (target) => target === button,
    click() {
      doc.dispatch('click', { target: button });
      for (const fn of own) fn();
    },
  };
  return button;
}

test('an irreversible action asks once: the first click says what will happen, the second does it', () => {
  const doc = fakeDocument();
  let date = '05.12.2026';
  let signed = 0;
  const sign = fakeButton(doc, 'Allkirjasta hindamine');
  twoStepGroup(doc).add(sign, () => `Allkirjastan ${date} – kinnita`, () => { signed += 1; });
  date = '06.12.2026'; // typed after the page was drawn: the question names what is there now
  sign.click();
  assert.equal(signed, 0, 'one click (or Enter) never signs');
  assert.equal(sign.textContent, 'Allkirjastan 06.12.2026 – kinnita');
  assert.equal(sign.dataset.armed, 'true');
  sign.click();
  assert.equal(signed, 1);
  assert.equal(sign.textContent, 'Allkirjasta hindamine', 'back to its own words');
});

test('Escape or a click elsewhere takes the question back', () => {
  const doc = fakeDocument();
  let done = 0;
  const approve = fakeButton(doc, 'Kinnita otsus');
  twoStepGroup(doc).add(approve, 'Kinnitan – kinnita', () => { done += 1; });
  approve.click();
  doc.dispatch('keydown', { key: 'Escape' });
  assert.equal(approve.textContent, 'Kinnita otsus');
  approve.click();
  doc.dispatch('click', { target: {} });
  approve.click();
  assert.equal(done, 0, 'each time it asked again');
});
