import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serialiseDocument, serialiseDocumentRequest, serialiseDocumentsReceived, receivedFieldId, serialiseRule,
} from '../casework.js';
import { fieldPathToId } from '../field-errors.js';

test('a document is shaped for document_add with ISO dates', () => {
  assert.deepEqual(serialiseDocument({
    'document-direction': 'in',
    'document-docType': 'medical',
    'document-title': ' Arstitõend ',
    'document-docDate': '2.4.2026',
    'document-regNo': '',
    'document-party': 'Tallinna Lastehaigla',
    'document-dueDate': '',
    'document-notes': 'Originaal paberil\n',
  }), {
    direction: 'in',
    docType: 'medical',
    title: 'Arstitõend',
    docDate: '2026-04-02',
    regNo: '',
    party: 'Tallinna Lastehaigla',
    dueDate: '',
    notes: 'Originaal paberil\n',
  });
});

test('the missing-documents request and the receipt are shaped, not judged', () => {
  assert.deepEqual(serialiseDocumentRequest({
    'request-what': ' Puudetõend ', 'request-recipient': 'Kadri Testsaar',
    'request-sentOn': '01.04.2026', 'request-dueDate': '15.04.2026',
  }), { what: 'Puudetõend', recipient: 'Kadri Testsaar', sentOn: '2026-04-01', dueDate: '2026-04-15' });
  assert.deepEqual(serialiseDocumentsReceived({ 'received-on': 'eile', 'received-note': '' }),
    { receivedOn: 'eile', note: '' });
});

test('field errors land under the right controls', () => {
  assert.equal(fieldPathToId('docType', 'document-'), 'document-docType');
  assert.equal(fieldPathToId('dueDate', 'request-'), 'request-dueDate');
  assert.equal(fieldPathToId('validFrom', 'rule-'), 'rule-validFrom');
  assert.equal(receivedFieldId('receivedOn'), 'received-on');
  assert.equal(receivedFieldId('note'), 'received-note');
});

test('a rule count is a whole number; anything else is sent as 0 for the backend to refuse', () => {
  const rule = (count) => serialiseRule('decision_due', {
    'rule-count': count, 'rule-unit': 'working_days', 'rule-legalRef': ' SHS § 70 ', 'rule-validFrom': '01.05.2026',
  });
  assert.deepEqual(rule('15'), {
    code: 'decision_due', count: 15, unit: 'working_days', legalRef: 'SHS § 70', validFrom: '2026-05-01',
  });
  assert.equal(rule('').count, 0);
  assert.equal(rule('2,5').count, 0);
  assert.equal(rule('-1').count, -1);
});
