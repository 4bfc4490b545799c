/**
 * One convention each, in both languages (issue 26, item 11): the back links' glyph, the word on
 * a "done" button, the waiting list's one name in the menu and in the help, and the way numbers
 * read in English (the same as in Estonian, as the dates are: see format.js).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import et from '../i18n/et.js';
import en from '../i18n/en.js';
import { formatMoney, formatDate, parseDisplayDate } from '../format.js';
import { SCREENS } from '../views/help.js';

const LANGS = { et, en };

test('every back link starts with the same arrow', () => {
  for (const [lang, table] of Object.entries(LANGS)) {
    const back = Object.entries(table).filter(([key]) => /\.backTo/.test(key));
    assert.ok(back.length >= 5, `${lang}: the back links were found`);
    for (const [key, text] of back) {
      assert.match(text, /^← \S/, `${lang} ${key}: "${text}"`);
    }
    assert.deepEqual(Object.values(table).filter((v) => /^‹ /.test(v) && !/^‹ (Eelmised|Previous)$/.test(v)), [],
      `${lang}: "‹" only on the pager's "previous"`);
  }
});

test('the dashboard\'s "done" buttons say the same word', () => {
  for (const [lang, table] of Object.entries(LANGS)) {
    assert.equal(table['meeting.dashboardDone'], table['task.done'], lang);
    assert.equal(table['meeting.dashboardDoneN'].replace('{what}', ''), table['task.dashboardDoneN'].replace('{what}', ''), lang);
  }
});

// The menu's entries (main.js NAV) by the help's screen names.
const MENU = {
  dashboard: 'nav.dashboard',
  cases: 'nav.cases',
  tasks: 'task.nav',
  waiting: 'provider.navWaiting',
  providers: 'provider.nav',
  partners: 'provider.navPartners',
  invoices: 'billing.nav',
  statistics: 'stats.nav',
  proposals: 'proposal.nav',
  settings: 'nav.settings',
};

test('the help calls each screen by its name in the menu', () => {
  for (const [lang, table] of Object.entries(LANGS)) {
    for (const screen of SCREENS.filter((s) => MENU[s])) {
      assert.equal(table[`help.screen.${screen}.title`], table[MENU[screen]], `${lang}: ${screen}`);
    }
  }
});

test('English money reads as the English dates do: Estonian notation', () => {
  assert.equal(formatDate('2026-03-05'), '05.03.2026');
  assert.equal(formatMoney(600410, 'en'), '6\u00a0004,10\u00a0€');
  assert.equal(formatMoney(600410, 'en'), formatMoney(600410, 'et'));
  assert.equal(formatMoney(178462748, 'en'), '1\u00a0784\u00a0627,48\u00a0€');
});

test('the one date parser reshapes every typed form and leaves the rest for the backend to name', () => {
  // A day the calendar lacks is still reshaped: the backend then says "no such date", not
  // "write it as dd.mm.yyyy".
  assert.equal(parseDisplayDate('31.11.2026'), '2026-11-31');
  assert.equal(parseDisplayDate('5. 3. 2026'), '2026-03-05', 'spaces after the dots');
  assert.equal(parseDisplayDate('05.03.2026.'), '2026-03-05', 'a closing dot');
  assert.equal(parseDisplayDate('1.11.26'), '1.11.26', 'a short year goes on as typed');
});
