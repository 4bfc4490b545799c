/**
 * Turns the register-application form's values (a plain object keyed by control id,
 * see case-form.js readFormValues) into the `case_register` payload. Pure: no DOM.
 * It only shapes data; the backend validates it.
 */
import { parseDisplayDate } from './format.js';

const GUARDIAN_FIELDS = ['firstName', 'lastName', 'personalCode', 'phone', 'email',
  'postalAddress', 'language', 'delivery', 'relation'];

const text = (values, id) => String(values[id] ?? '').trim();

/** Indices of the guardian blocks present in the values, in order. */
export function guardianIndices(values) {
  const seen = new Set();
  for (const key of Object.keys(values)) {
    const m = /^guardian-(\d+)-/.exec(key);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

export function serialiseApplication(values) {
  const personalCode = text(values, 'child-personalCode');
  const hasCode = personalCode !== '';
  const kind = text(values, 'route-kind');
  const isKov = kind === 'kov';
  const isDisability = kind === 'disability';

  return {
    child: {
      firstName: text(values, 'child-firstName'),
      lastName: text(values, 'child-lastName'),
      personalCode,
      // Birth date and sex are sent only for a child without a personal code.
      birthDate: hasCode ? '' : parseDisplayDate(values['child-birthDate']),
      sex: hasCode ? '' : text(values, 'child-sex'),
      municipalityCode: text(values, 'child-municipalityCode'),
      address: text(values, 'child-address'),
    },
    guardians: guardianIndices(values).map((i) =>
      Object.fromEntries(GUARDIAN_FIELDS.map((f) => [f, text(values, `guardian-${i}-${f}`)]))),
    route: {
      kind,
      severity: isDisability ? text(values, 'route-severity') : '',
      municipalityCode: isKov ? text(values, 'route-municipalityCode') : '',
      workerName: isKov ? text(values, 'route-workerName') : '',
      workerPhone: isKov ? text(values, 'route-workerPhone') : '',
      workerEmail: isKov ? text(values, 'route-workerEmail') : '',
    },
    applicationDate: parseDisplayDate(values.applicationDate),
    channel: text(values, 'channel'),
    notes: String(values.notes ?? ''),
  };
}
