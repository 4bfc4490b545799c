/**
 * Payloads of the case-work forms (documents register, missing-documents request, documents
 * received, deadline rule) from form values keyed by control id. Pure: no DOM; the backend
 * validates. Dates typed as dd.mm.yyyy go out as ISO, numbers as numbers when they are ones.
 */
import { parseDisplayDate } from './format.js';

const text = (values, id) => String(values[id] ?? '').trim();

export const DOCUMENT_DIRECTIONS = ['in', 'out'];
export const DOCUMENT_TYPES = ['application', 'kov_assessment', 'case_plan', 'medical',
  'missing_request', 'decision', 'letter', 'provider_report', 'other'];
export const RULE_UNITS = ['working_days', 'calendar_days', 'months'];
export const ATTACHMENT_EXTENSIONS = ['pdf', 'png', 'jpg', 'jpeg', 'docx', 'odt'];

export function serialiseDocument(values) {
  return {
    direction: text(values, 'document-direction'),
    docType: text(values, 'document-docType'),
    title: text(values, 'document-title'),
    docDate: parseDisplayDate(values['document-docDate']),
    regNo: text(values, 'document-regNo'),
    party: text(values, 'document-party'),
    dueDate: parseDisplayDate(values['document-dueDate']),
    notes: String(values['document-notes'] ?? ''),
  };
}

export function serialiseDocumentRequest(values) {
  return {
    what: String(values['request-what'] ?? '').trim(),
    recipient: text(values, 'request-recipient'),
    sentOn: parseDisplayDate(values['request-sentOn']),
    dueDate: parseDisplayDate(values['request-dueDate']),
  };
}

export function serialiseDocumentsReceived(values) {
  return {
    receivedOn: parseDisplayDate(values['received-on']),
    note: String(values['received-note'] ?? '').trim(),
  };
}

/** Backend field path of the "documents received" form -> control id. */
export function receivedFieldId(path) {
  return path === 'receivedOn' ? 'received-on' : `received-${path}`;
}

/**
 * The `rule` of `deadline_rule_save`. The count field takes whole numbers; anything else is
 * sent as 0, which the backend's range check reports under the field.
 */
export function serialiseRule(code, values) {
  const count = text(values, 'rule-count');
  return {
    code,
    count: /^-?\d+$/.test(count) ? Number(count) : 0,
    unit: text(values, 'rule-unit'),
    legalRef: text(values, 'rule-legalRef'),
    validFrom: parseDisplayDate(values['rule-validFrom']),
  };
}
