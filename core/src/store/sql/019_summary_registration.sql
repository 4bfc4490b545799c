-- 019: the referral's plain-language summary said the 60 days twice once the letter stopped
-- printing a date counted from the decision date (the receipt day is not known at approval:
-- {{valik.tähtaeg}} is then the rule in words). A new version of each language's summary, only
-- where the current one is still the text this app seeded (a coordinator's own wording stays).

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Sotsiaalkindlustusamet otsustas, et {{laps.eesnimi}} saab sotsiaalse rehabilitatsiooni teenust {{kehtivus.algus}} kuni {{kehtivus.lõpp}}.' || char(10) || 'Mida teha edasi: vali otsuses nimetatud teenuseosutajate seast sobiv ja registreeri laps teenusele hiljemalt {{valik.tähtaeg}}. Ütle teenuseosutajale otsuse number {{otsus.number}}.' || char(10) || 'Küsimuste korral helista: {{koordinaator.nimi}}, tel {{amet.telefon}}, või kirjuta {{amet.epost}}.',
    version + 1, 'SRT Desk', '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z'
FROM decision_template t
WHERE code = 'summary.referral' AND lang = 'et'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Sotsiaalkindlustusamet otsustas, et {{laps.eesnimi}} saab sotsiaalse rehabilitatsiooni teenust {{kehtivus.algus}} kuni {{kehtivus.lõpp}}.' || char(10) || 'Mida teha edasi: vali otsuses nimetatud teenuseosutajate seast sobiv ja registreeri laps teenusele 60 päeva jooksul otsuse kättesaamisest, hiljemalt {{valik.tähtaeg}}. Ütle teenuseosutajale otsuse number {{otsus.number}}.' || char(10) || 'Küsimuste korral helista: {{koordinaator.nimi}}, tel {{amet.telefon}}, või kirjuta {{amet.epost}}.';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'Департамент социального страхования решил, что {{laps.eesnimi}} получает услугу социальной реабилитации с {{kehtivus.algus}} по {{kehtivus.lõpp}}.' || char(10) || 'Что делать дальше: не позднее {{valik.tähtaeg}} выберите поставщика услуги из списка в решении и зарегистрируйте ребёнка. Назовите поставщику номер решения {{otsus.number}}.' || char(10) || 'Если у вас есть вопросы, позвоните: {{koordinaator.nimi}}, тел. {{amet.telefon}}, или напишите: {{amet.epost}}.',
    version + 1, 'SRT Desk', '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z'
FROM decision_template t
WHERE code = 'summary.referral' AND lang = 'ru'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'Департамент социального страхования решил, что {{laps.eesnimi}} получает услугу социальной реабилитации с {{kehtivus.algus}} по {{kehtivus.lõpp}}.' || char(10) || 'Что делать дальше: в течение 60 дней после получения решения, не позднее {{valik.tähtaeg}}, выберите поставщика услуги из списка в решении и зарегистрируйте ребёнка. Назовите поставщику номер решения {{otsus.number}}.' || char(10) || 'Если у вас есть вопросы, позвоните: {{koordinaator.nimi}}, тел. {{amet.telefon}}, или напишите: {{amet.epost}}.';

INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by, created_at, updated_at)
SELECT code, lang, category, kind, title,
    'The Social Insurance Board has decided that {{laps.eesnimi}} will receive the social rehabilitation service from {{kehtivus.algus}} to {{kehtivus.lõpp}}.' || char(10) || 'What to do next: by {{valik.tähtaeg}} at the latest, choose a provider from the list in the decision and register your child. Tell the provider the decision number {{otsus.number}}.' || char(10) || 'If you have questions, call {{koordinaator.nimi}}, tel {{amet.telefon}}, or write to {{amet.epost}}.',
    version + 1, 'SRT Desk', '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z'
FROM decision_template t
WHERE code = 'summary.referral' AND lang = 'en'
  AND version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
  AND body = 'The Social Insurance Board has decided that {{laps.eesnimi}} will receive the social rehabilitation service from {{kehtivus.algus}} to {{kehtivus.lõpp}}.' || char(10) || 'What to do next: within 60 days of receiving this decision, by {{valik.tähtaeg}} at the latest, choose a provider from the list in the decision and register your child. Tell the provider the decision number {{otsus.number}}.' || char(10) || 'If you have questions, call {{koordinaator.nimi}}, tel {{amet.telefon}}, or write to {{amet.epost}}.';
