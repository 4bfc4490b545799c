import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AREAS, serialiseAssessmentDraft, valuesFromAssessment, assessmentFieldId, activityIndices, activityLabel,
  assessmentInput, valuesWithHeld,
} from '../assessment.js';
import { setLanguage } from '../i18n/index.js';

const saved = {
  caseId: 7,
  areas: [
    { area: 'physical', level: 'significant', notes: 'Vajab füsioteraapiat' },
    { area: 'social', level: 'some', notes: '' },
  ],
  childGoals: 'Tahan ise rattaga sõita',
  familyGoals: 'Rahulikumad õhtud',
  activities: [{ code: '2010', hours: 20 }, { code: '2002', hours: 1.5 }],
};

test('the form starts from what the backend returned; missing areas are empty', () => {
  const values = valuesFromAssessment(saved);
  assert.equal(values['assessment-area-physical-level'], 'significant');
  assert.equal(values['assessment-area-psychological-level'], '');
  assert.equal(values['assessment-area-cognitive-notes'], '');
  assert.equal(values['assessment-activity-1-hours'], '1,5', 'decimal comma for people');
  assert.deepEqual(activityIndices(values), [0, 1]);
});

test('a round trip through the form gives the same draft', () => {
  const draft = serialiseAssessmentDraft(valuesFromAssessment(saved));
  assert.deepEqual(draft, {
    areas: [
      { area: 'physical', level: 'significant', notes: 'Vajab füsioteraapiat' },
      { area: 'psychological', level: '', notes: '' },
      { area: 'social', level: 'some', notes: '' },
      { area: 'cognitive', level: '', notes: '' },
    ],
    childGoals: 'Tahan ise rattaga sõita',
    familyGoals: 'Rahulikumad õhtud',
    activities: [{ code: '2010', hours: 20 }, { code: '2002', hours: 1.5 }],
  });
});

test('all four areas are always sent, in the fixed order', () => {
  const draft = serialiseAssessmentDraft({});
  assert.deepEqual(draft.areas.map((a) => a.area), AREAS);
  assert.deepEqual(draft.activities, []);
});

test('hours: comma or point, empty is 0, anything else goes on as typed', () => {
  const hours = (h) => serialiseAssessmentDraft({
    'assessment-activity-0-code': '2010', 'assessment-activity-0-hours': h,
  }).activities[0].hours;
  assert.equal(hours('20'), 20);
  assert.equal(hours(' 2,5 '), 2.5);
  assert.equal(hours('2.5'), 2.5);
  assert.equal(hours(''), 0);
  assert.equal(hours('kaks'), 'kaks', 'the backend says what is wrong');
});

test('activity rows are read in index order, gaps closed', () => {
  const draft = serialiseAssessmentDraft({
    'assessment-activity-2-code': '2030', 'assessment-activity-2-hours': '3',
    'assessment-activity-0-code': '2010', 'assessment-activity-0-hours': '1',
  });
  assert.deepEqual(draft.activities.map((a) => a.code), ['2010', '2030']);
});

test('backend field paths map to the control ids', () => {
  assert.equal(assessmentFieldId('areas.physical.level'), 'assessment-area-physical-level');
  assert.equal(assessmentFieldId('areas.cognitive.notes'), 'assessment-area-cognitive-notes');
  assert.equal(assessmentFieldId('activities'), 'assessment-activities');
  assert.equal(assessmentFieldId('activities.0.hours'), 'assessment-activity-0-hours');
  assert.equal(assessmentFieldId('activities.3.code'), 'assessment-activity-3-code');
  assert.equal(assessmentFieldId('signedOn'), 'assessment-signedOn');
  assert.equal(assessmentFieldId('childGoals'), 'assessment-childGoals');
});

test('an activity option reads "code name (mode)" in the current language', () => {
  const option = { code: '2010', nameEt: 'Psühholoog', nameEn: 'Psychologist', mode: 'individual' };
  const mode = (m) => ({ individual: 'individuaalne', group: 'grupp' })[m];
  setLanguage('et');
  assert.equal(activityLabel(option, mode), '2010 Psühholoog (individuaalne)');
  setLanguage('en');
  assert.equal(activityLabel(option, () => 'individual'), '2010 Psychologist (individual)');
  setLanguage('et');
});

test('the hours go as typed beside the draft, and held text comes back into its field', () => {
  const values = {
    'assessment-activity-0-code': '2010', 'assessment-activity-0-hours': '30 h',
    'assessment-activity-1-code': '2013', 'assessment-activity-1-hours': '6',
  };
  const input = assessmentInput(values);
  assert.deepEqual(input.hoursTyped, ['30 h', '6']);
  assert.equal(input.activities[0].hours, '30 h', 'not a number: sent as typed for the desk to refuse');
  assert.equal(input.activities[1].hours, 6);
  const back = valuesWithHeld({ 'assessment-activity-0-hours': '12' }, [{ field: 'activities.0.hours', text: '30 h' }]);
  assert.equal(back['assessment-activity-0-hours'], '30 h');
});
