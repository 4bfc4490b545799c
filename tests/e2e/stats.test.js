/**
 * End-to-end: statistics and feedback, through tauri-driver (WebDriver), against a fresh
 * database with the app's demo cases. The statistics screen opens on the current month; the
 * period is switched to all years and the breakdown to county (the totals row and the summary
 * show the same figure, the groups appear, the charts are images); the statistics are exported
 * as XLSX to a typed path; the periodic report refuses a year-long period with a clear message
 * and is written as a PDF for the month. A family's answers are typed in on a case and appear
 * in the statistics' feedback. The test never computes a figure itself: it compares what the
 * screen shows with itself and with the files.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  TIMEOUT, startApp, click, screenshot, step, openCases, openFirstCase, openDemoDesk,
} from './helpers.js';

let browser;
const out = mkdtempSync(join(tmpdir(), 'srt-stats-e2e-'));

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

/** Picks an option and waits until the results show `expected` in the caption. */
async function choose(selector, value, captionPart) {
  const before = await browser.$('#stats-caption').getText();
  await browser.$(selector).selectByAttribute('value', value);
  if (captionPart) {
    await browser.waitUntil(async () => {
      try {
        return (await browser.$('#stats-caption').getText()).includes(captionPart);
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: `the statistics did not switch to ${captionPart} (was: ${before})` });
  }
  await browser.waitUntil(async () => !(await browser.$('#stats-results').getAttribute('aria-busy')),
    { timeout: TIMEOUT, timeoutMsg: 'the statistics stayed busy' });
}

async function figure(id) {
  return (await browser.$(`#stats-summary [data-figure="${id}"] .stat-value`).getText()).trim();
}

async function waitForText(selector, pattern, what) {
  await browser.waitUntil(async () => {
    try {
      return pattern.test(await browser.$(selector).getText());
    } catch {
      return false;
    }
  }, { timeout: TIMEOUT, timeoutMsg: what });
  return browser.$(selector).getText();
}

test('statistics on demo data: switch period and breakdown, export XLSX, the periodic report', { timeout: 180_000 }, async () => {
  await step('stats-open', async () => {
    // The demo desk (a separate file beside the real desk) with its cases.
    await openDemoDesk();
    await click('#nav-statistics');
    await browser.$('#stats-summary').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#stats-kind').getValue(), 'month', 'the current month first');
    await screenshot('60-stats-month');
  });

  await step('cases-by-process-deadline', async () => {
    // The case list by the process deadline: the cases with one first, soonest (most overdue)
    // first, then the others; the first row's deadline is the one its case view calls next.
    await openCases();
    await browser.$('#case-sort').selectByAttribute('value', 'deadline');
    await browser.waitUntil(async () => (await browser.$$('#case-table td.list-deadline[data-due]')).length > 1,
      { timeout: TIMEOUT, timeoutMsg: 'no case with a process deadline in the list' });
    const rows = await browser.execute(() => [...document.querySelectorAll('#case-table tbody tr')]
      .map((r) => { const d = r.querySelector('td.list-deadline'); return d.dataset.due ? [d.dataset.due, d.dataset.kind] : null; }));
    const firstNone = rows.indexOf(null);
    const dated = (firstNone === -1 ? rows : rows.slice(0, firstNone)).map((r) => r[0]);
    assert.ok(dated.length > 1, 'several cases have a running process deadline');
    assert.deepEqual([...dated].sort(), dated, 'soonest first');
    assert.ok(rows.slice(dated.length).every((r) => r === null), 'then the cases without one');
    await screenshot('59-cases-by-process-deadline');
    await click('#case-table tbody tr td');
    const banner = browser.$('#next-deadline');
    await banner.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await banner.getAttribute('data-due'), rows[0][0], 'the case view\'s next deadline');
    assert.equal(await banner.getAttribute('data-kind'), rows[0][1]);
    await browser.back();
    await browser.waitUntil(async () => (await browser.$('#case-sort').getValue()) === 'deadline',
      { timeout: TIMEOUT, timeoutMsg: '"back" did not return to the list by deadline' });
    await click('#nav-statistics');
    await browser.$('#stats-summary').waitForDisplayed({ timeout: TIMEOUT });
  });

  let allReceived;
  await step('stats-all-years-by-county', async () => {
    await choose('#stats-kind', 'all', 'kõik aastad');
    allReceived = Number(await figure('received'));
    assert.ok(allReceived > 0, 'the demo applications are counted');
    await choose('#stats-breakdown', 'county');
    await browser.waitUntil(async () => (await browser.$$('#stats-groups tbody tr')).length > 2,
      { timeout: TIMEOUT, timeoutMsg: 'no county groups appeared' });
    const total = await browser.$('#stats-groups tr.total-row td[data-col="received"]').getText();
    assert.equal(Number(total), allReceived, 'the table\'s total is the summary\'s figure');
    const heading = await browser.$('#stats-groups-card h2').getText();
    assert.match(heading, /maakond/);
    const charts = await browser.$$('#stats-charts img');
    assert.ok(charts.length >= 3, 'month, money and group charts');
    const src = await charts[0].getAttribute('src');
    assert.match(src, /^data:image\/svg\+xml/, 'charts are SVG images');
    const loaded = await browser.execute(() => [...document.querySelectorAll('#stats-charts img')].every((i) => i.complete && i.naturalWidth > 0));
    assert.ok(loaded, 'every chart image renders');
    await browser.$('#stats-charts').scrollIntoView({ block: 'start' });
    await screenshot('61-stats-all-years-charts');
    await browser.$('[data-chart="groups"]').scrollIntoView({ block: 'start' });
    await screenshot('62-stats-chart-by-county');
    await browser.$('#stats-groups-card').scrollIntoView({ block: 'start' });
    await screenshot('62-stats-by-county');
  });

  await step('stats-filter-one-county', async () => {
    // A county's row of the breakdown, then the same county as a filter: the summary shows that
    // row's figures (the money from the monthly sums per combination of keys).
    const rows = await browser.$$('#stats-groups tbody tr:not(.total-row)');
    let key = '';
    let row;
    for (const r of rows) {
      const k = await r.getAttribute('data-key');
      if (k && Number(await r.$('td[data-col="received"]').getText()) > 0) {
        key = k;
        row = r;
        break;
      }
    }
    assert.ok(key, 'a county with applications');
    const cell = async (col) => (await row.$(`td[data-col="${col}"]`).getText()).trim();
    const expected = {
      received: await cell('received'),
      invoiced: await cell('invoiced'),
      accepted: await cell('accepted'),
      granted: await cell('granted'),
    };
    await browser.$('#stats-county').selectByAttribute('value', key);
    await browser.waitUntil(async () => {
      try {
        return (await figure('received')) === expected.received
          && (await browser.$$('#stats-groups tbody tr:not(.total-row)')).length === 1;
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: `the county filter did not show the county's ${expected.received} applications` });
    for (const id of ['invoiced', 'accepted', 'granted']) {
      assert.equal(await figure(id), expected[id], `${id}: the filtered summary is the county's row`);
    }
    await screenshot('62-stats-one-county');
    await browser.$('#stats-county').selectByAttribute('value', '');
    await browser.waitUntil(async () => Number(await figure('received')) === allReceived,
      { timeout: TIMEOUT, timeoutMsg: 'the filter did not clear' });
  });

  await step('stats-export-xlsx', async () => {
    const path = join(out, 'statistika.xlsx');
    await browser.$('#stats-export-path').setValue(path);
    await click('#stats-export-submit');
    await waitForText('#stats-export-done', /statistika\.xlsx/, 'the export did not finish');
    assert.ok(existsSync(path), 'the XLSX file was written');
    assert.equal(readFileSync(path).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX (zip) file');
  });

  await step('stats-report', async () => {
    const pdf = join(out, 'aruanne.pdf');
    await browser.$('#stats-report-path').setValue(pdf);
    await click('#stats-report-submit');
    const error = await waitForText('#stats-report-path-error', /kuu või kvartali/, 'a year-long report was not refused');
    assert.match(error, /Kuu/);
    assert.equal(existsSync(pdf), false, 'nothing was written');
    // This quarter, then back to a month: this month again (it once jumped to the quarter's
    // number as a month: Q4 → April).
    await choose('#stats-kind', 'quarter', '');
    await choose('#stats-kind', 'month', '');
    await browser.waitUntil(async () => !(await browser.$('#stats-caption').getText()).includes('kõik aastad'),
      { timeout: TIMEOUT, timeoutMsg: 'the month did not come back' });
    const thisMonth = String(new Date().getMonth() + 1);
    await browser.waitUntil(async () => (await browser.$('#stats-number').getValue()) === thisMonth,
      { timeout: TIMEOUT, timeoutMsg: `the month is not this month (${thisMonth}) after a quarter` });
    await click('#stats-report-submit');
    await waitForText('#stats-report-done', /aruanne\.pdf/, 'the report was not written');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8');
    assert.match(text, /perioodiline aruanne/);
    assert.match(text, /Filtrid: puuduvad/, 'the report says what it counted');
    assert.match(text, /Avatud parendusettepanekud/);
    await browser.$('#stats-report').scrollIntoView({ block: 'center' });
    await screenshot('63-stats-report-written');
  });
});

test('answers typed in on a case appear in the statistics', { timeout: 150_000 }, async () => {
  let before;
  await step('feedback-before', async () => {
    // The statistics screen remembers the month chosen above.
    await click('#nav-statistics');
    await browser.$('#stats-feedback').waitForDisplayed({ timeout: TIMEOUT });
    before = Number((await browser.$('#stats-summary [data-figure="feedback"] .stat-sub').getText()).replace(/\D+/g, ''));
  });

  await step('feedback-enter', async () => {
    await openCases();
    await openFirstCase();
    await browser.$('#feedback-form').waitForExist({ timeout: TIMEOUT });
    const selects = await browser.$$('#feedback-form select[data-question-id]');
    assert.equal(selects.length, 5, 'the five questions asked');
    // A score out of the scale cannot be picked; an empty form is refused with a message.
    await click('#feedback-submit');
    await waitForText('#feedback-form', /vähemalt üks hinne/, 'an empty answer was not refused');
    await selects[0].selectByAttribute('value', '5');
    await selects[1].selectByAttribute('value', '4');
    await browser.$('#feedback-comment').setValue('Väga hea teenus, aitäh (e2e)');
    await click('#feedback-submit');
    await browser.$('#case-feedback-list').waitForExist({ timeout: TIMEOUT });
    const row = await browser.$('#case-feedback-list tbody tr').getText();
    assert.match(row, /Väga hea teenus/);
    assert.match(row, /K1: 5/);
    const email = await browser.$('#feedback-email-text').getValue();
    assert.match(email, /Kui rahul olete teenusega tervikuna\?/, 'the e-mail lists the questions');
    await browser.$('#case-feedback').scrollIntoView({ block: 'start' });
    await screenshot('64-case-feedback');
  });

  await step('feedback-in-statistics', async () => {
    await click('#nav-statistics');
    await browser.$('#stats-feedback').waitForDisplayed({ timeout: TIMEOUT });
    const sub = await browser.$('#stats-summary [data-figure="feedback"] .stat-sub').getText();
    assert.equal(Number(sub.replace(/\D+/g, '')), before + 1, 'one more response');
    const comments = await browser.$('#stats-comments').getText();
    assert.match(comments, /Väga hea teenus, aitäh \(e2e\)/);
    const q1 = await browser.$('#stats-feedback-table tbody tr:first-child').getText();
    assert.match(q1, /Kui rahul olete teenusega tervikuna/);
    await browser.$('#stats-feedback').scrollIntoView({ block: 'start' });
    await screenshot('65-stats-feedback');
  });
});

test('a question retired in Settings is no longer asked but keeps its answers', { timeout: 120_000 }, async () => {
  await step('feedback-settings', async () => {
    await click('#nav-settings');
    await browser.$('#feedback-questions').waitForExist({ timeout: TIMEOUT });
    const rows = await browser.$$('#feedback-questions tbody tr');
    assert.equal(rows.length, 5);
    await click('#feedback-questions tr[data-question-id="2"] button[data-action="retire"]');
    await waitForText('#settings-feedback-message', /enam ei küsita/, 'the question was not retired');
    const row = await browser.$('#feedback-questions tr[data-question-id="2"]').getText();
    assert.match(row, /ei küsita enam/);
    await browser.$('#settings-feedback').scrollIntoView({ block: 'start' });
    await screenshot('66-settings-feedback');
  });
  await step('feedback-retired-in-statistics', async () => {
    await click('#nav-statistics');
    await browser.$('#stats-feedback').waitForDisplayed({ timeout: TIMEOUT });
    const q2 = await browser.$('#stats-feedback-table tr[data-question-id="2"]').getText();
    assert.match(q2, /ei küsita enam/, 'the retired question keeps its answer in the statistics');
  });
});
