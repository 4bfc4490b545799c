/**
 * The need assessment form's data: control ids, the draft sent to `assessment_save`, and
 * where the backend's field errors go. Pure: no DOM. It shapes data only; eligibility and
 * validation are the backend's answer.
 */
import { parseNumber, displayNumber } from './format.js';
import { localized } from './i18n/index.js';

export const AREAS = ['physical', 'psychological', 'social', 'cognitive'];
export const LEVELS = ['none', 'some', 'significant'];

export const areaLevelId = (area) => `assessment-area-${area}-level`;
export const areaNotesId = (area) => `assessment-area-${area}-notes`;
export const activityCodeId = (i) => `assessment-activity-${i}-code`;
export const activityHoursId = (i) => `assessment-activity-${i}-hours`;

/** The form's starting values (by control id) from what `assessment_get` returned. */
export function valuesFromAssessment(assessment) {
  const values = {
    'assessment-childGoals': assessment?.childGoals ?? '',
    'assessment-familyGoals': assessment?.familyGoals ?? '',
  };
  const byArea = new Map((assessment?.areas ?? []).map((a) => [a.area, a]));
  for (const area of AREAS) {
    values[areaLevelId(area)] = byArea.get(area)?.level ?? '';
    values[areaNotesId(area)] = byArea.get(area)?.notes ?? '';
  }
  (assessment?.activities ?? []).forEach((a, i) => {
    values[activityCodeId(i)] = a.code ?? '';
    values[activityHoursId(i)] = displayNumber(a.hours);
  });
  return values;
}

/** Indices of the activity rows present in the values, in order. */
export function activityIndices(values) {
  const seen = new Set();
  for (const key of Object.keys(values)) {
    const m = /^assessment-activity-(\d+)-(code|hours)$/.exec(key);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Form values (by control id) -> the `draft` of `assessment_save`. */
export function serialiseAssessmentDraft(values) {
  const text = (id) => String(values[id] ?? '');
  return {
    areas: AREAS.map((area) => ({
      area,
      level: text(areaLevelId(area)).trim(),
      notes: text(areaNotesId(area)),
    })),
    childGoals: text('assessment-childGoals'),
    familyGoals: text('assessment-familyGoals'),
    activities: activityIndices(values).map((i) => ({
      code: text(activityCodeId(i)).trim(),
      hours: parseNumber(values[activityHoursId(i)]),
    })),
  };
}

/**
 * What `assessment_save` is sent: the draft, and each activity's hours as typed, which the desk
 * holds as such when it refuses them ("30 h").
 */
export function assessmentInput(values) {
  return {
    ...serialiseAssessmentDraft(values),
    hoursTyped: activityIndices(values).map((i) => String(values[activityHoursId(i)] ?? '')),
  };
}

/** The form's values with the text the desk holds for refused fields put in their controls. */
export function valuesWithHeld(values, held) {
  const out = { ...values };
  for (const f of held ?? []) out[assessmentFieldId(f.field)] = f.text;
  return out;
}

/**
 * Backend field path -> control id: "areas.physical.level" -> "assessment-area-physical-level",
 * "activities.0.hours" -> "assessment-activity-0-hours", "activities" -> "assessment-activities",
 * "signedOn" -> "assessment-signedOn".
 */
export function assessmentFieldId(path) {
  const parts = String(path).split('.');
  if (parts[0] === 'areas' && parts.length > 1) return `assessment-area-${parts.slice(1).join('-')}`;
  if (parts[0] === 'activities' && parts.length > 1) return `assessment-activity-${parts.slice(1).join('-')}`;
  return `assessment-${parts.join('-')}`;
}

/** "2010 Psühholoog (individuaalne)": code, name in the current language, and the mode's label. */
export function activityLabel(option, modeLabel) {
  if (!option) return '';
  const name = localized({ et: option.nameEt, en: option.nameEn });
  const mode = option.mode ? ` (${modeLabel(option.mode)})` : '';
  return `${option.code} ${name}${mode}`;
}
