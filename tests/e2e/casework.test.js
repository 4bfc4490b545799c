/**
 * End-to-end: the case work of one application, through tauri-driver (WebDriver), against a
 * fresh database (the runner gives this file its own SRT_DESK_DB; see helpers.js).
 *
 * What a coordinator would notice is checked: asking for missing documents stops the decision
 * clock, their arrival restarts it, the need assessment saves itself and can be signed, and
 * the decision deadline the case shows is the one the dashboard lists. The test never counts
 * a deadline itself: it compares what the case view says with what the dashboard says.
 *
 * Attachments are not driven here: attaching opens the system's file dialog, which WebDriver
 * cannot operate.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TIMEOUT, startApp, click, screenshot, step, lockAndUnlock, closeAsUser,
} from './helpers.js';

// Synthetic boy born 16.05.2014 with a valid check digit (DOMAIN.md weights 1..9,1 → 5).
const CHILD_CODE = '51405160015';
const CHILD = { firstName: 'Rasmus', lastName: 'Näidisberg' };
const GUARDIAN = { firstName: 'Piret', lastName: 'Näidisberg', email: 'piret.naidisberg@example.ee' };

const pad2 = (n) => String(n).padStart(2, '0');
/** A calendar day as typed in the app's date fields. */
const typed = (d) => `${pad2(d.getDate())}.${pad2(d.getMonth() + 1)}.${d.getFullYear()}`;
const today = new Date();
// The date the coordinator gives the family to send the documents (an input, not a computed deadline).
const requestDue = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 14);

let browser;
let caseId;
let decisionDue;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

/** The element is on the screen and nothing covers its middle (a header that stays, say). */
async function inSight(selector) {
  return browser.execute((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const box = el.getBoundingClientRect();
    if (box.height === 0 || box.bottom <= 0 || box.top >= window.innerHeight) return false;
    const y = Math.min(Math.max(box.top + Math.min(box.height, 20) / 2, 0), window.innerHeight - 1);
    const hit = document.elementFromPoint(box.left + Math.min(box.width, 40) / 2, y);
    return Boolean(hit && (el === hit || el.contains(hit)));
  }, selector);
}

async function waitForStatus(predicate, message) {
  await browser.waitUntil(async () => {
    try {
      return predicate(await browser.$('#case-status').getAttribute('data-status'));
    } catch {
      return false; // the view was re-rendering
    }
  }, { timeout: TIMEOUT, timeoutMsg: message });
}

test('an application registered today becomes a case', { timeout: 120_000 }, async () => {
  await step('casework-register', async () => {
    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#child-firstName').setValue(CHILD.firstName);
    await browser.$('#child-lastName').setValue(CHILD.lastName);
    await browser.$('#child-personalCode').setValue(CHILD_CODE);
    await browser.$('#child-municipalityCode').selectByAttribute('value', '0784'); // Tallinn
    await browser.$('#guardian-0-firstName').setValue(GUARDIAN.firstName);
    await browser.$('#guardian-0-lastName').setValue(GUARDIAN.lastName);
    await browser.$('#guardian-0-email').setValue(GUARDIAN.email);
    await click('#route-disability');
    await browser.$('#route-severity').selectByAttribute('value', 'severe');
    await browser.$('#applicationDate').setValue(typed(today));
    await browser.$('#channel').selectByAttribute('value', 'email');
    await click('#application-submit');

    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
    const match = /#\/cases\/(\d+)/.exec(await browser.getUrl());
    assert.ok(match, 'the address names the case');
    caseId = match[1];
  });
});

test('asking for missing documents makes the case incomplete and stops the decision clock', { timeout: 120_000 }, async () => {
  await step('casework-request', async () => {
    await click('#request-documents');
    await browser.$('#request-what').setValue('Puudetõend ja arsti hinnang lapse liikumisvõimele');
    await browser.$('#request-recipient').setValue(`${GUARDIAN.firstName} ${GUARDIAN.lastName}`);
    await browser.$('#request-sentOn').setValue(typed(today));
    await browser.$('#request-dueDate').setValue(typed(requestDue));
    await click('#request-submit');

    await waitForStatus((s) => s === 'incomplete', 'the case did not become incomplete');
    const decision = browser.$('#deadlines [data-kind="decision_due"]');
    await decision.waitForExist({ timeout: TIMEOUT });
    assert.equal(await decision.getAttribute('data-state'), 'stopped',
      'while documents are missing the decision deadline does not run');
    assert.match(await decision.getText(), /peatatud/, 'the coordinator is told the clock is stopped');
    await browser.$('#next-deadline').scrollIntoView({ block: 'start' });
    await screenshot('10-case-incomplete');
  });
});

test('the documents arrive today', { timeout: 120_000 }, async () => {
  await step('casework-received', async () => {
    await click('#documents-received');
    await browser.$('#received-on').setValue(typed(today));
    await browser.$('#received-note').setValue('Puudetõend saabus e-postiga');
    await click('#received-submit');
    await waitForStatus((s) => s && s !== 'incomplete', 'the case stayed incomplete after the documents arrived');
    const decision = browser.$('#deadlines [data-kind="decision_due"]');
    await decision.waitForExist({ timeout: TIMEOUT });
    assert.equal(await decision.getAttribute('data-state'), 'running', 'the decision clock runs again');
  });
});

test('the need assessment is filled in and saves itself', { timeout: 120_000 }, async () => {
  await step('casework-assessment', async () => {
    const level = (area) => browser.$(`#assessment-area-${area}-level`);
    await level('physical').waitForDisplayed({ timeout: TIMEOUT });
    await level('physical').selectByAttribute('value', 'significant');
    await browser.$('#assessment-area-physical-notes').setValue('Liikumine on raskendatud, vajab abivahendeid.');
    await level('psychological').selectByAttribute('value', 'none');
    await level('social').selectByAttribute('value', 'significant');
    await browser.$('#assessment-area-social-notes').setValue('Eakaaslastega suhtlemine on vähene.');
    await level('cognitive').selectByAttribute('value', 'none');
    await browser.$('#assessment-childGoals').setValue('Tahan ise kooli minna.');
    await browser.$('#assessment-familyGoals').setValue('Rahulikumad hommikud.');
    await click('#assessment-activity-add');
    await browser.$('#assessment-activity-0-code').selectByAttribute('value', '2010');
    await browser.$('#assessment-activity-0-hours').setValue('20');

    // Autosave: after a pause the status line says when it was saved.
    const saveState = browser.$('#assessment-save-state');
    await browser.waitUntil(async () => (await saveState.getAttribute('data-state')) === 'saved', {
      timeout: TIMEOUT, timeoutMsg: `the assessment was not saved: ${await saveState.getText()}`,
    });
    assert.match(await saveState.getText(), /Salvestatud \d\d:\d\d/);
    await browser.$('#assessment-eligibility').waitForDisplayed({ timeout: TIMEOUT });

    // Typed and locked at once, before the autosave's pause: the lock saves it first.
    await browser.$('#assessment-familyGoals').addValue(' Ja ühised õhtud.');
    await lockAndUnlock();
    await browser.$('#assessment-familyGoals').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#assessment-familyGoals').getValue(), 'Rahulikumad hommikud. Ja ühised õhtud.',
      'what was typed right before the lock is in the assessment after unlocking');
  });
});

test('hours that are no number do not stop the assessment; the text is kept over a restart', { timeout: 240_000 }, async () => {
  const saveState = () => browser.$('#assessment-save-state');
  const waitState = async (want, what) => browser.waitUntil(async () => {
    try {
      return (await saveState().getAttribute('data-state')) === want;
    } catch {
      return false; // the case view was re-rendering
    }
  }, { timeout: TIMEOUT, timeoutMsg: what });
  await step('casework-assessment-refused', async () => {
    await click('#assessment-activity-add');
    await browser.$('#assessment-activity-1-code').selectByAttribute('value', '2013');
    await browser.$('#assessment-activity-1-hours').setValue('30 h');
    await browser.$('#assessment-childGoals').addValue(' Ja trenni.');
    await waitState('refused', 'the hours "30 h" were not refused');
    const text = await saveState().getText();
    assert.match(text, /^Salvestamata: Tegevus 2 – Maht: Sisesta tundide arv/, `the status names the field: ${text}`);
    assert.doesNotMatch(text, /Salvestatud/, 'never "saved" while a field is refused');
    assert.match(await browser.$('#assessment-activity-1-hours-error').getText(), /0–2000/);
    await browser.$('#assessment').scrollIntoView({ block: 'start' });
    await screenshot('10b-assessment-hours-refused');

    // Closed with the refused hours: the window asks; closed anyway; started again.
    await closeAsUser();
    await browser.$('#close-prompt').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#close-prompt-fields').getText(), /Tegevus 2 – Maht/);
    // The window closes (and the session with it) while the click is answered.
    await browser.$('#close-anyway').click().catch(() => {});
    await browser.deleteSession().catch(() => {});
    browser = null;
    browser = await startApp();
    await browser.execute((id) => { window.location.hash = `#/cases/${id}`; }, caseId);
    await browser.$('#assessment-activity-1-hours').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#assessment-childGoals').getValue(), 'Tahan ise kooli minna. Ja trenni.',
      'the goals typed beside the refused hours were saved');
    assert.equal(await browser.$('#assessment-activity-1-code').getValue(), '2013', 'the second activity was saved');
    assert.equal(await browser.$('#assessment-activity-1-hours').getValue(), '30 h', 'the refused hours are back as typed');
    assert.match(await saveState().getText(), /^Salvestamata: Tegevus 2 – Maht/);
    assert.match(await browser.$('#assessment-activity-1-hours-error').getText(), /0–2000/);

    // Corrected: saved.
    await browser.$('#assessment-activity-1-hours').setValue('30');
    await waitState('saved', 'the corrected hours were not saved');
    assert.match(await saveState().getText(), /^Salvestatud \d\d:\d\d/);

    // Issue 30: Tab from the hours just typed goes past the row's "Eemalda", not onto it.
    await browser.$('#assessment-activity-1-hours').click();
    await browser.keys(['Tab']);
    const landed = await browser.execute(() => ({ danger: document.activeElement.matches('.danger'), text: document.activeElement.textContent.trim(), id: document.activeElement.id }));
    assert.equal(landed.danger, false, `Tab from the hours landed on "${landed.text}"`);
    assert.ok(await browser.$('button[data-remove-activity="1"]').isExisting(), 'the row has its remove button (Shift+Tab reaches it)');
  });
});

test('the need assessment is signed', { timeout: 120_000 }, async () => {
  await step('casework-assessment-sign', async () => {
    await browser.$('#assessment-signedOn').setValue(typed(today));
    // Signing keeps the page where the coordinator is (it used to jump to the top of the case).
    const sign = browser.$('#assessment-sign');
    await sign.scrollIntoView({ block: 'center' });
    const place = () => browser.execute(() => ({ y: window.scrollY, top: Math.round(document.getElementById('assessment').getBoundingClientRect().top) }));
    // It asks once: the first click says what will happen and signs nothing.
    await sign.click();
    await browser.$('#assessment-sign[data-armed="true"]').waitForExist({ timeout: TIMEOUT, timeoutMsg: 'signing did not ask first' });
    assert.match(await sign.getText(), new RegExp(`^Allkirjastan ${typed(today).replace(/\./g, '\\.')}`), 'the button says what it will do');
    assert.equal(await browser.$('#assessment-signed').isExisting(), false, 'one click signed the assessment');
    await screenshot('assessment-sign-asks');
    const before = await place();
    await sign.click();
    const signed = browser.$('#assessment-signed');
    await signed.waitForDisplayed({ timeout: TIMEOUT });
    const after = await place();
    assert.ok(before.y > 300, `the sign button is far down the page (scrollY ${before.y})`);
    assert.ok(Math.abs(after.top - before.top) <= 4 && after.y > 300,
      `signing moved the page: the assessment was at ${before.top}px (scrollY ${before.y}), now at ${after.top}px (scrollY ${after.y})`);
    assert.match(await browser.$('#case-notice').getText(), /./, 'the notice says what happened');
    assert.ok(await inSight('#case-notice'), 'the notice is in sight, in the header');
    assert.match(await signed.getText(), new RegExp(`Allkirjastatud ${typed(today).replace(/\./g, '\\.')}`));
    assert.equal(await browser.$('#assessment-area-physical-level').isEnabled(), false, 'a signed assessment is read-only');
    await browser.$('#assessment').scrollIntoView({ block: 'start' });
    await screenshot('11-assessment');
  });
});

test('the case shows its decision deadline', { timeout: 120_000 }, async () => {
  await step('casework-deadlines', async () => {
    const next = browser.$('#next-deadline');
    await next.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await next.getAttribute('data-kind'), 'decision_due', 'the next deadline is the decision');
    decisionDue = await next.getAttribute('data-due');
    assert.match(decisionDue ?? '', /^\d{4}-\d{2}-\d{2}$/, 'the deadline carries its date');
    assert.notEqual(await next.getText(), '', 'the deadline is said in words');
    await browser.execute(() => window.scrollTo(0, 0));
    await screenshot('12-case-deadlines');
  });
});

// Issue 30: the case in parts reachable at once, under a header that stays.
test('each part of the case has its own address, under a header that stays; Back returns', { timeout: 120_000 }, async () => {
  await step('casework-parts', async () => {
    await browser.execute((id) => { window.location.hash = `#/cases/${id}`; }, caseId);
    await browser.$('#case-top a[data-part="otsused"]').waitForDisplayed({ timeout: TIMEOUT });
    // A mark on the page drawn: following the index must scroll, not draw the case again.
    await browser.execute(() => { document.getElementById('case-title').dataset.probe = 'kept'; });
    const where = (id) => browser.execute((sel) => {
      const top = document.getElementById('case-top').getBoundingClientRect();
      const part = document.getElementById(sel).getBoundingClientRect();
      return { hash: location.hash, y: window.scrollY, headerTop: Math.round(top.top), headerBottom: Math.round(top.bottom),
        partTop: Math.round(part.top), probe: document.getElementById('case-title').dataset.probe ?? null };
    }, id);
    // Clicked where it is, as a coordinator does (click() of helpers.js would scroll to it first).
    await browser.$('#case-top a[data-part="otsused"]').click();
    await browser.waitUntil(async () => (await where('decisions')).hash === `#/cases/${caseId}/otsused`,
      { timeout: TIMEOUT, timeoutMsg: 'the index did not give the part its address' });
    let at = await where('decisions');
    assert.equal(at.probe, 'kept', 'the page was drawn again instead of scrolled');
    assert.ok(at.y > 200, `the window did not scroll to the decisions (scrollY ${at.y})`);
    assert.ok(Math.abs(at.headerTop) <= 1, `the header did not stay at the top (${at.headerTop})`);
    assert.ok(at.partTop >= at.headerBottom - 2 && at.partTop <= at.headerBottom + 24,
      `the decisions start at ${at.partTop}px, the header ends at ${at.headerBottom}px`);
    assert.equal(await browser.$('#case-top a[data-part="otsused"]').getAttribute('aria-current'), 'location');
    assert.ok(await inSight('#case-title'), 'the child\'s name is in sight');
    assert.ok(await inSight('#case-status'), 'the status is in sight');
    assert.ok(await inSight('#next-deadline'), 'the next deadline is in sight');
    await screenshot('case-part-decisions');

    // The family's contacts: one click in the header, in place (the page does not move).
    await browser.$('#case-contacts-toggle').click();
    const contacts = browser.$('#case-contacts');
    await contacts.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await contacts.getText(), new RegExp(GUARDIAN.email.replace(/\./g, '\\.')), 'the parent\'s e-mail');
    assert.ok(await inSight('#case-contacts'), 'the contacts open where the coordinator is');
    assert.equal((await where('decisions')).y, at.y, 'opening the contacts scrolled the page');
    await screenshot('case-contacts-open');
    await browser.$('#case-contacts-toggle').click();
    await contacts.waitForDisplayed({ reverse: true, timeout: TIMEOUT });

    // Back: the top of the case again, the same page.
    await browser.back();
    await browser.waitUntil(async () => (await where('decisions')).hash === `#/cases/${caseId}`,
      { timeout: TIMEOUT, timeoutMsg: 'Back did not return to the case\'s own address' });
    await browser.waitUntil(async () => (await where('decisions')).y === 0,
      { timeout: TIMEOUT, timeoutMsg: 'Back did not return to the top of the case' });
    assert.equal((await where('decisions')).probe, 'kept', 'Back drew the case again');

    // A link from elsewhere opens the right part.
    await click('#nav-dashboard');
    await browser.$('#dash-overdue').waitForExist({ timeout: TIMEOUT });
    await browser.execute((id) => { window.location.hash = `#/cases/${id}/dokumendid`; }, caseId);
    await browser.waitUntil(async () => {
      try {
        const w = await where('documents');
        return w.y > 200 && w.partTop >= w.headerBottom - 2 && w.partTop <= w.headerBottom + 24;
      } catch {
        return false; // not drawn yet
      }
    }, { timeout: TIMEOUT, timeoutMsg: 'the address of the documents did not open the case at its documents' });
  });
});

// Issue 30: the case page asks the backend once (case_view), not once per part; the dashboard once.
test('opening a case is one IPC call, and the dashboard one', { timeout: 120_000 }, async () => {
  await step('casework-one-call', async () => {
    await click('#nav-dashboard');
    await browser.$('#dash-overdue').waitForExist({ timeout: TIMEOUT });
    // Every command the page sends from now on, as it leaves the page: Tauri's IPC is a fetch of
    // ipc://localhost/<command> (window.__TAURI__ itself is frozen), or a postMessage as fallback.
    const wrapped = await browser.execute(() => {
      window.__ipcSeen = [];
      const fetch = window.fetch;
      window.fetch = (input, init) => {
        const url = String(input && input.url ? input.url : input);
        if (/^(ipc:|http:\/\/ipc\.localhost)/.test(url)) window.__ipcSeen.push(decodeURIComponent(url.split('?')[0].split('/').pop()));
        return fetch.call(window, input, init);
      };
      if (window.ipc && typeof window.ipc.postMessage === 'function') {
        const post = window.ipc.postMessage;
        try {
          window.ipc.postMessage = (data) => {
            try { window.__ipcSeen.push(`post:${JSON.parse(data).cmd}`); } catch { window.__ipcSeen.push('post:?'); }
            return post.call(window.ipc, data);
          };
        } catch { /* not writable: the fetch count stands */ }
      }
      return window.fetch !== fetch;
    });
    assert.ok(wrapped, 'the page\'s IPC could not be counted');
    // The count sees commands at all: a command the page sends on its own.
    await browser.execute(() => window.__TAURI__.core.invoke('desk_status'));
    assert.deepEqual(await browser.execute(() => window.__ipcSeen.splice(0)), ['desk_status'], 'the count did not see a command');
    await browser.execute((id) => { window.location.hash = `#/cases/${id}`; }, caseId);
    await browser.$('#status-history').waitForExist({ timeout: TIMEOUT });
    await browser.$('#timeline .timeline-item').waitForExist({ timeout: TIMEOUT });
    await browser.$('#documents table').waitForExist({ timeout: TIMEOUT });
    await browser.pause(300); // anything a part still asks for after it is drawn is counted too
    const seen = await browser.execute(() => window.__ipcSeen ?? null);
    assert.ok(Array.isArray(seen), 'the document was reloaded under the count');
    // The window's own pings (activity for the idle lock, the lock poll, unsaved text, the team
    // line's poll) are not the page's.
    const pings = new Set(['desk_activity', 'desk_status', 'window_unsaved', 'work_progress', 'team_state']);
    assert.deepEqual(seen.filter((c) => !pings.has(c)), ['case_view'], `the case page sent ${seen.join(', ')}`);

    // The dashboard, too, is one call (dashboard_view: the counts and the rows).
    await browser.execute(() => window.__ipcSeen.splice(0));
    await click('#nav-dashboard');
    await browser.$('#dash-overdue').waitForExist({ timeout: TIMEOUT });
    await browser.$('#global-search').waitForExist({ timeout: TIMEOUT });
    await browser.pause(300);
    const dashSeen = await browser.execute(() => window.__ipcSeen ?? null);
    assert.ok(Array.isArray(dashSeen), 'the document was reloaded under the count');
    assert.deepEqual(dashSeen.filter((c) => !pings.has(c)), ['dashboard_view'], `the dashboard sent ${dashSeen.join(', ')}`);
  });
});

test('the dashboard lists the same decision deadline for this case', { timeout: 120_000 }, async () => {
  await step('casework-dashboard', async () => {
    await click('#nav-dashboard');
    await browser.$('#dash-overdue').waitForExist({ timeout: TIMEOUT });
    let dues = [];
    await browser.waitUntil(async () => {
      try {
        const items = await browser.$$(`.deadline-item[data-case-id="${caseId}"]`);
        dues = [];
        for (const item of items) dues.push(await item.getAttribute('data-due'));
        return dues.length > 0;
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: 'the dashboard does not list this case' });
    assert.ok(dues.includes(decisionDue),
      `the dashboard shows the case's decision deadline ${decisionDue} (it shows ${dues.join(', ')})`);
    for (const id of ['#dash-overdue', '#dash-today', '#dash-week']) {
      assert.match(await browser.$(id).getText(), /^\d+$/, `${id} shows a number`);
    }
    await screenshot('13-dashboard');

    // Issue 30: each counter filters to its urgency, with its own address; again, all.
    const item = browser.$(`.deadline-item[data-case-id="${caseId}"][data-kind="decision_due"]`);
    const urgency = await item.getAttribute('data-urgency');
    await click(`#dash-filter-${urgency}`);
    await browser.waitUntil(async () => (await browser.getUrl()).includes(`urgency=${urgency}`),
      { timeout: TIMEOUT, timeoutMsg: 'the counter did not filter' });
    await browser.$('.needs-me[data-urgency]').waitForExist({ timeout: TIMEOUT });
    const shown = await browser.execute(() => [...document.querySelectorAll('.needs-me .deadline-item')].map((e) => e.dataset.urgency));
    assert.ok(shown.length > 0 && shown.every((u) => u === urgency), `only ${urgency} rows after its counter (${shown.join(', ')})`);
    assert.equal(await browser.$(`#dash-filter-${urgency}`).getAttribute('aria-current'), 'true');
    await screenshot('dashboard-filtered');
    await click(`#dash-filter-${urgency}`);
    await browser.waitUntil(async () => !(await browser.getUrl()).includes('urgency='),
      { timeout: TIMEOUT, timeoutMsg: 'the counter did not take its filter off' });
    // Grouping by kind is a choice, remembered; urgency first is the default.
    assert.equal(await browser.$('.needs-me').getAttribute('data-by'), 'urgency');
    await click('#dash-by-kind');
    await browser.$('.needs-me[data-by="kind"] section.deadline-group[data-kind="decision_due"]').waitForExist({ timeout: TIMEOUT });
    await click('#nav-cases');
    await browser.$('#case-count').waitForDisplayed({ timeout: TIMEOUT });
    await click('#nav-dashboard');
    await browser.$('.needs-me[data-by="kind"]').waitForExist({ timeout: TIMEOUT, timeoutMsg: 'the choice of grouping was not remembered' });
    await click('#dash-by-urgency');
    await browser.$('.needs-me[data-by="urgency"]').waitForExist({ timeout: TIMEOUT });

    // The item opens its case at the part where it is dealt with (the decisions).
    await click(`.deadline-item[data-case-id="${caseId}"][data-kind="decision_due"]`);
    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#case-title').getText(), `${CHILD.firstName} ${CHILD.lastName}`);
    assert.match(await browser.getUrl(), new RegExp(`#/cases/${caseId}/otsused$`));
  });
});

test('settings list the deadline rules and refuse a zero-day deadline', { timeout: 120_000 }, async () => {
  await step('casework-settings', async () => {
    await click('#nav-settings');
    await browser.$('#rules-table').waitForDisplayed({ timeout: TIMEOUT });
    await click('.rule-edit[data-code="decision_due"]');
    await browser.$('#rule-count').setValue('0');
    await click('#rule-submit');
    const error = browser.$('#rule-count-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.notEqual((await error.getText()).trim(), '', 'the backend says what is wrong with the count');
    await screenshot('14-settings-rules');
  });
});

// Issue 30: Settings has a table of contents; each section has its own address and Back works.
test('each section of Settings opens by its own address, from the contents and from a link; Back returns', { timeout: 120_000 }, async () => {
  await step('casework-settings-toc', async () => {
    await click('#nav-settings');
    await browser.$('#settings-toc').waitForDisplayed({ timeout: TIMEOUT });
    await browser.execute(() => { document.querySelector('h1').dataset.probe = 'kept'; });
    const at = (slug) => browser.execute((s) => ({
      hash: location.hash,
      y: window.scrollY,
      top: Math.round(document.getElementById(`settings-part-${s}`).getBoundingClientRect().top),
      probe: document.querySelector('h1').dataset.probe ?? null,
    }), slug);
    await browser.$('#settings-toc a[data-part="varukoopiad"]').click();
    await browser.waitUntil(async () => (await at('varukoopiad')).hash === '#/settings/varukoopiad',
      { timeout: TIMEOUT, timeoutMsg: 'the contents did not give the backups their address' });
    let where = await at('varukoopiad');
    assert.ok(where.y > 100 && Math.abs(where.top) <= 24, `the backups are at ${where.top}px (scrollY ${where.y})`);
    assert.equal(where.probe, 'kept', 'the contents drew the page again instead of scrolling');
    assert.equal(await browser.$('#settings-toc a[data-part="varukoopiad"]').getAttribute('aria-current'), 'location');
    await screenshot('settings-backups');
    await browser.$('#settings-toc a[data-part="hinnad"]').click();
    await browser.waitUntil(async () => (await at('hinnad')).hash === '#/settings/hinnad', { timeout: TIMEOUT });
    await browser.back();
    await browser.waitUntil(async () => (await at('varukoopiad')).hash === '#/settings/varukoopiad',
      { timeout: TIMEOUT, timeoutMsg: 'Back did not return to the backups' });
    await browser.waitUntil(async () => Math.abs((await at('varukoopiad')).top) <= 24,
      { timeout: TIMEOUT, timeoutMsg: 'Back did not scroll to the backups' });
    // An address typed or linked from another page opens Settings at that section.
    await click('#nav-dashboard');
    await browser.$('#dash-overdue').waitForExist({ timeout: TIMEOUT });
    await browser.execute(() => { window.location.hash = '#/settings/tahtajad'; });
    await browser.waitUntil(async () => {
      try {
        const w = await at('tahtajad');
        return w.y > 100 && Math.abs(w.top) <= 24;
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: 'the address of the deadline rules did not open Settings there' });
    assert.ok(await browser.$('#rules-table').isDisplayed());
  });
});
