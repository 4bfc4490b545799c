-- 022: letters never put a name where Estonian needs a case ending. "esitas … taotluse Artur
-- Näidisov sotsiaalse rehabilitatsiooni teenusele suunamiseks" needs the genitive (Näidisovi),
-- and a name typed in cannot be inflected safely. The seeded sentences now put each name where
-- it stands in the nominative: after a label ("Taotleja: …", "Laps: …") or as the subject
-- ("… otsustas, et Mirtel saab …"); the Russian summary of a termination, likewise ("для ребёнка
-- Артур" needs Артура). A new version of each template, only where the current one is still the
-- text this app seeded (a coordinator's own wording stays, as in 019).

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Taotlus suunata laps sotsiaalse rehabilitatsiooni teenusele esitati {{taotlus.kuupäev}} (juhtum {{juhtum.number}}). Taotleja: {{esindaja.nimi}}. Sotsiaalkindlustusamet hindas lapse teenusevajadust ja allkirjastas hindamise {{hindamine.kuupäev}}.' || char(10) || '{{hindamine.põhjendus}}' || char(10) || 'Eeltoodust lähtudes on lapsel õigus saada sotsiaalse rehabilitatsiooni teenust.',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'referral.reasoning' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = '{{esindaja.nimi}} esitas {{taotlus.kuupäev}} taotluse {{laps.nimi}} sotsiaalse rehabilitatsiooni teenusele suunamiseks (juhtum {{juhtum.number}}). Sotsiaalkindlustusamet hindas lapse teenusevajadust ja allkirjastas hindamise {{hindamine.kuupäev}}.' || char(10) || '{{hindamine.põhjendus}}' || char(10) || 'Eeltoodust lähtudes on lapsel õigus saada sotsiaalse rehabilitatsiooni teenust.';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Jätta rahuldamata {{taotlus.kuupäev}} esitatud taotlus suunata laps sotsiaalse rehabilitatsiooni teenusele. Taotleja: {{esindaja.nimi}}. Laps: {{laps.nimi}} (isikukood {{laps.isikukood}}).',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'refusal.operative' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Jätta rahuldamata {{esindaja.nimi}} {{taotlus.kuupäev}} esitatud taotlus suunata {{laps.nimi}} (isikukood {{laps.isikukood}}) sotsiaalse rehabilitatsiooni teenusele.';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Taotlus suunata laps sotsiaalse rehabilitatsiooni teenusele esitati {{taotlus.kuupäev}} (juhtum {{juhtum.number}}). Taotleja: {{esindaja.nimi}}. Sotsiaalkindlustusamet hindas lapse teenusevajadust ja allkirjastas hindamise {{hindamine.kuupäev}}.' || char(10) || '{{hindamine.puudused}}' || char(10) || 'Seetõttu ei ole teenusele suunamise tingimused täidetud.',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'refusal.reasoning' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = '{{esindaja.nimi}} esitas {{taotlus.kuupäev}} taotluse {{laps.nimi}} sotsiaalse rehabilitatsiooni teenusele suunamiseks (juhtum {{juhtum.number}}). Sotsiaalkindlustusamet hindas lapse teenusevajadust ja allkirjastas hindamise {{hindamine.kuupäev}}.' || char(10) || '{{hindamine.puudused}}' || char(10) || 'Seetõttu ei ole teenusele suunamise tingimused täidetud.';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Sotsiaalkindlustusamet suunas otsusega {{seotud.otsus}} lapse sotsiaalse rehabilitatsiooni teenusele. Otsust on vaja muuta, sest ',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'amendment.reasoning' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Sotsiaalkindlustusamet suunas otsusega {{seotud.otsus}} {{laps.nimi}} sotsiaalse rehabilitatsiooni teenusele. Otsust on vaja muuta, sest ';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Lõpetada sotsiaalse rehabilitatsiooni teenuse osutamine otsuse {{seotud.otsus}} alusel alates {{otsus.kuupäev}}. Laps: {{laps.nimi}} (isikukood {{laps.isikukood}}).',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'termination.operative' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Lõpetada {{laps.nimi}} (isikukood {{laps.isikukood}}) sotsiaalse rehabilitatsiooni teenuse osutamine otsuse {{seotud.otsus}} alusel alates {{otsus.kuupäev}}.';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Sotsiaalkindlustusamet suunas otsusega {{seotud.otsus}} lapse sotsiaalse rehabilitatsiooni teenusele. Teenuse osutamine lõpetatakse, sest ',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'termination.reasoning' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Sotsiaalkindlustusamet suunas otsusega {{seotud.otsus}} {{laps.nimi}} sotsiaalse rehabilitatsiooni teenusele. Teenuse osutamine lõpetatakse, sest ';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Sotsiaalkindlustusamet otsustas, et {{laps.eesnimi}} ei saa alates {{otsus.kuupäev}} enam sotsiaalse rehabilitatsiooni teenust, mis määrati otsusega {{seotud.otsus}}. Põhjus on kirjas otsuse põhjenduses.' || char(10) || 'Küsimuste korral helista: {{koordinaator.nimi}}, tel {{amet.telefon}}, või kirjuta {{amet.epost}}.',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'summary.termination' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Sotsiaalkindlustusamet lõpetas {{laps.eesnimi}} sotsiaalse rehabilitatsiooni teenuse, mis määrati otsusega {{seotud.otsus}}, alates {{otsus.kuupäev}}. Põhjus on kirjas otsuse põhjenduses.' || char(10) || 'Küsimuste korral helista: {{koordinaator.nimi}}, tel {{amet.telefon}}, või kirjuta {{amet.epost}}.';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Департамент социального страхования решил, что {{laps.eesnimi}} с {{otsus.kuupäev}} больше не получает услугу социальной реабилитации, назначенную решением {{seotud.otsus}}. Причина указана в обосновании решения.' || char(10) || 'Если у вас есть вопросы, позвоните: {{koordinaator.nimi}}, тел. {{amet.telefon}}, или напишите: {{amet.epost}}.',
    version + 1, 'SRT Desk', '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'
FROM decision_template t
WHERE code = 'summary.termination' AND lang = 'ru'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Департамент социального страхования прекратил услугу социальной реабилитации для ребёнка {{laps.eesnimi}}, назначенную решением {{seotud.otsus}}, с {{otsus.kuupäev}}. Причина указана в обосновании решения.' || char(10) || 'Если у вас есть вопросы, позвоните: {{koordinaator.nimi}}, тел. {{amet.telefon}}, или напишите: {{amet.epost}}.';
