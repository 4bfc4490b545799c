//! The team server with real parts: a real PostgreSQL (run inside `pg_virtualenv`, which exports
//! PGHOST/PGPORT/PGUSER/PGPASSWORD; see scripts/test), real `srt-server` processes on 127.0.0.1
//! with a certificate made by openssl for the test, and HTTPS clients that trust only that CA.
//! Ignored by a plain `cargo test`; scripts/test runs them with --ignored.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use srt_teamkit::{Certs, Server};
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_srt-server");

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(conn);
    client
}

/// A fresh database for one test, initialised by `srt-server init`; returns (url, lead's code).
async fn fresh_team(tag: &str) -> (String, String) {
    let db = srt_teamkit::fresh_team(Path::new(BIN), &format!("srt_test_{tag}"));
    (db.url, db.lead_code)
}

fn invite(url: &str, login: &str, name: &str, role: &str) -> String {
    srt_teamkit::invite(Path::new(BIN), url, login, name, role)
}

/// A CA of the test's own and a server certificate for 127.0.0.1 signed by it, in a temporary
/// folder that goes with them.
struct TestCerts {
    _dir: tempfile::TempDir,
    certs: Certs,
}

impl std::ops::Deref for TestCerts {
    type Target = Certs;
    fn deref(&self) -> &Certs {
        &self.certs
    }
}

fn make_certs() -> TestCerts {
    let dir = tempfile::tempdir().expect("temp dir");
    let certs = Certs::make(dir.path());
    TestCerts { _dir: dir, certs }
}

/// A running `srt-server serve` on 127.0.0.1, a port of its own.
fn serve(url: &str, certs: &Certs, envs: &[(&str, &str)]) -> Server {
    Server::start(Path::new(BIN), url, certs, 0, envs)
}

fn https_client(ca: &Path) -> reqwest::Client {
    let pem = std::fs::read(ca).expect("read CA");
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("CA pem"))
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// One desk's side of the protocol.
struct Desk {
    http: reqwest::Client,
    base: String,
    token: String,
    device_id: i64,
    member_id: i64,
    last_seq: i64,
}

impl Desk {
    /// Pushes `n` new cases of a child named `child` and checks that all were applied.
    async fn push_new_cases(&self, n: usize, child: &str) -> Vec<Uuid> {
        let cases: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
        let news: Vec<Value> = cases.iter().map(|c| new_case(*c, child)).collect();
        let v = self.push(&news).await;
        assert_eq!(v["applied"], n, "{v}");
        cases
    }

    /// A coordinator the lead invites, on a desk of their own that joins with the code.
    async fn coordinator(
        server: &Server,
        certs: &Certs,
        lead: &Desk,
        login: &str,
        name: &str,
        device: &str,
    ) -> Desk {
        Desk::join(
            server,
            certs,
            &lead_invites(lead, login, name).await,
            device,
        )
        .await
    }

    async fn join(server: &Server, certs: &Certs, code: &str, device: &str) -> Desk {
        let http = https_client(&certs.ca);
        let resp = http
            .post(format!("{}/v1/join", server.base))
            .json(&json!({"code": code, "device_name": device}))
            .send()
            .await
            .expect("join request");
        assert_eq!(resp.status(), StatusCode::OK, "join");
        let v: Value = resp.json().await.expect("json");
        Desk {
            http,
            base: server.base.clone(),
            token: v["token"].as_str().expect("token").to_string(),
            device_id: v["device_id"].as_i64().expect("device id"),
            member_id: v["member"]["id"].as_i64().expect("member id"),
            last_seq: 0,
        }
    }

    fn at(&mut self, server: &Server) {
        self.base = server.base.clone();
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    /// A push sent from a task of its own, for a test that kills the server while it waits: the
    /// task ends with the client's error (no answer) or the answer.
    fn push_in_background(
        &self,
        changes: &[Value],
    ) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
        let http = self.http.clone();
        let url = format!("{}/v1/push", self.base);
        let token = self.token.clone();
        let body = json!({"changes": changes});
        tokio::spawn(async move { http.post(url).bearer_auth(token).json(&body).send().await })
    }

    async fn push(&self, changes: &[Value]) -> Value {
        let (status, v) = self.post("/v1/push", json!({"changes": changes})).await;
        assert_eq!(status, StatusCode::OK, "push: {v}");
        v
    }

    /// Pulls until nothing more is waiting; returns (changes, snapshots, purges).
    async fn pull(&mut self) -> (Vec<Value>, Vec<Value>, Vec<String>) {
        let (mut changes, mut snapshots, mut purges) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            let (status, v) = self
                .get(&format!("/v1/pull?after={}&limit=500", self.last_seq))
                .await;
            assert_eq!(status, StatusCode::OK, "pull: {v}");
            changes.extend(v["changes"].as_array().expect("changes").iter().cloned());
            snapshots.extend(
                v["snapshots"]
                    .as_array()
                    .expect("snapshots")
                    .iter()
                    .cloned(),
            );
            purges.extend(
                v["purges"]
                    .as_array()
                    .expect("purges")
                    .iter()
                    .map(|p| p.as_str().expect("id").to_string()),
            );
            self.last_seq = v["next_seq"].as_i64().expect("next_seq");
            if !v["more"].as_bool().expect("more") {
                return (changes, snapshots, purges);
            }
        }
    }
}

impl Desk {
    /// Pulls page by page (`limit` changes a page) until nothing more is waiting; returns the
    /// changes and the number of pages.
    async fn pull_pages(&mut self, limit: i64) -> (Vec<Value>, usize) {
        let (mut changes, mut pages) = (Vec::new(), 0);
        loop {
            let (status, v) = self
                .get(&format!("/v1/pull?after={}&limit={limit}", self.last_seq))
                .await;
            assert_eq!(status, StatusCode::OK, "pull: {v}");
            pages += 1;
            changes.extend(v["changes"].as_array().expect("changes").iter().cloned());
            self.last_seq = v["next_seq"].as_i64().expect("next_seq");
            if !v["more"].as_bool().expect("more") {
                return (changes, pages);
            }
        }
    }
}

fn change(table: &str, row: Uuid, case: Option<Uuid>, op: &str, columns: Value) -> Value {
    json!({
        "change_id": Uuid::now_v7(), "table": table, "row_id": row, "case_id": case,
        "op": op, "columns": columns, "hlc": "2026-12-06T10:00:00.000Z-0000-desk",
    })
}

/// A new case with a child's (synthetic) name, as its desk would push it.
fn new_case(case: Uuid, child: &str) -> Value {
    change(
        "cases",
        case,
        Some(case),
        "insert",
        json!({"child_name": {"base": null, "new": child}, "status": {"base": null, "new": "open"}}),
    )
}

fn case_ids(snapshots: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = snapshots
        .iter()
        .filter(|s| s["table"] == "cases")
        .map(|s| s["row_id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

async fn lead_invites(lead: &Desk, login: &str, name: &str) -> String {
    let (status, v) = lead
        .post(
            "/v1/team/invite",
            json!({"login": login, "name": name, "role": "coordinator"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "invite: {v}");
    v["code"].as_str().expect("code").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn join_push_pull_conflict_resolved_and_events() {
    let (url, lead_code) = fresh_team("exchange").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);

    // /health for the load balancer; a client that does not trust the CA is refused by TLS.
    let (status, _) = Desk::join(&server, &certs, &lead_code, "lead laptop")
        .await
        .get("/health")
        .await;
    assert_eq!(status, StatusCode::OK);
    let stranger = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    assert!(stranger
        .get(format!("{}/health", server.base))
        .send()
        .await
        .is_err());
    // A join code is spent once.
    let again = https_client(&certs.ca)
        .post(format!("{}/v1/join", server.base))
        .json(&json!({"code": lead_code, "device_name": "second"}))
        .send()
        .await
        .expect("join");
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);

    // The lead's second laptop (the first joined above) and a coordinator.
    let lead_code2 = invite(&url, "lead", "Team lead", "lead");
    let mut lead = Desk::join(&server, &certs, &lead_code2, "lead desk").await;
    let code = lead_invites(&lead, "kati", "Kati Kask").await;
    let mut kati = Desk::join(&server, &certs, &code, "kati laptop").await;

    // The lead listens for new changes.
    let mut events = lead
        .http
        .get(format!("{}/v1/events", lead.base))
        .bearer_auth(&lead.token)
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), StatusCode::OK);
    let first = events.chunk().await.expect("chunk").expect("ready event");
    assert!(String::from_utf8_lossy(&first).contains("event: ready"));

    // Kati registers a case and a note; the lead pulls it.
    let case = Uuid::now_v7();
    let note = Uuid::now_v7();
    let v = kati
        .push(&[
            new_case(case, "Mari Test"),
            change(
                "notes",
                note,
                Some(case),
                "insert",
                json!({"text": {"base": null, "new": "first visit"}}),
            ),
        ])
        .await;
    assert_eq!(v["applied"], 2, "{v}");
    let got = tokio::time::timeout(Duration::from_secs(10), events.chunk())
        .await
        .expect("an event within 10 s")
        .expect("chunk")
        .expect("event");
    assert!(
        String::from_utf8_lossy(&got).contains("event: changes"),
        "{:?}",
        got
    );

    let (_, snapshots, _) = lead.pull().await;
    assert_eq!(case_ids(&snapshots), vec![case.to_string()]);
    let case_row = snapshots
        .iter()
        .find(|s| s["table"] == "cases")
        .expect("case row");
    assert_eq!(case_row["data"]["child_name"], "Mari Test");
    assert_eq!(case_row["owner_id"], kati.member_id);
    assert!(snapshots
        .iter()
        .any(|s| s["table"] == "notes" && s["data"]["text"] == "first visit"));
    kati.pull().await;

    // Both edit the same field from the same base: the first applies, the second conflicts,
    // and the server keeps both values; nothing is overwritten.
    let v = lead
        .push(&[change(
            "notes",
            note,
            Some(case),
            "update",
            json!({"text": {"base": "first visit", "new": "first visit, mother present"}}),
        )])
        .await;
    assert_eq!(v["applied"], 1, "{v}");
    let kati_edit = change(
        "notes",
        note,
        Some(case),
        "update",
        json!({"text": {"base": "first visit", "new": "first visit at school"}}),
    );
    let v = kati.push(std::slice::from_ref(&kati_edit)).await;
    assert_eq!(v["conflicted"], 1, "{v}");
    let conflict_id = v["results"][0]["conflict_id"]
        .as_i64()
        .expect("conflict id");
    // The same push again is answered from the receipt, with no second conflict.
    let v = kati.push(std::slice::from_ref(&kati_edit)).await;
    assert_eq!(v["duplicates"], 1, "{v}");

    let (_, list) = kati.get("/v1/conflicts").await;
    let list = list["conflicts"].as_array().expect("list").clone();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["id"], conflict_id);
    assert_eq!(
        list[0]["columns"]["text"]["server"],
        "first visit, mother present"
    );
    assert_eq!(list[0]["columns"]["text"]["mine"], "first visit at school");
    assert_eq!(list[0]["columns"]["text"]["base"], "first visit");
    assert_eq!(list[0]["server_author_id"], lead.member_id);
    assert_eq!(list[0]["author_id"], kati.member_id);
    // The lead sees the same conflict (the whole team's cases).
    let (_, lead_list) = lead.get("/v1/conflicts").await;
    assert_eq!(lead_list["conflicts"].as_array().expect("list").len(), 1);

    // Kati keeps an edited merge; the lead's next pull brings it.
    let merged = "first visit at school, mother present";
    let (status, v) = kati
        .post(
            &format!("/v1/conflicts/{conflict_id}/resolve"),
            json!({"choice": "merged", "columns": {"text": merged}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, _) = kati
        .post(
            &format!("/v1/conflicts/{conflict_id}/resolve"),
            json!({"choice": "server"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "resolved once only");
    let (_, list) = kati.get("/v1/conflicts").await;
    assert_eq!(list["conflicts"].as_array().expect("list").len(), 0);
    let (changes, _, _) = lead.pull().await;
    let last = changes.last().expect("the resolution reached the lead");
    assert_eq!(last["row_id"], note.to_string());
    assert_eq!(last["columns"]["text"]["new"], merged);
    assert_eq!(
        last["columns"]["text"]["base"],
        "first visit, mother present"
    );

    // Number blocks for two desks never overlap.
    let (_, a) = kati
        .post("/v1/numbers", json!({"kind": "case", "count": 50}))
        .await;
    let (_, b) = lead
        .post("/v1/numbers", json!({"kind": "case", "count": 50}))
        .await;
    let (a1, a2, b1) = (
        a["first"].as_i64().expect("n"),
        a["last"].as_i64().expect("n"),
        b["first"].as_i64().expect("n"),
    );
    assert_eq!(a2 - a1, 49);
    assert!(b1 > a2, "{a} {b}");
    let (status, _) = kati
        .post("/v1/numbers", json!({"kind": "letters", "count": 5}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Every pull left an audit row on the server.
    let pg = connect(&url).await;
    let pulls: i64 = pg
        .query_one("SELECT count(*) FROM pull_audit", &[])
        .await
        .expect("q")
        .get(0);
    assert!(pulls >= 3, "{pulls}");
    // Logs carry ids and counts, never the names, logins or texts pushed.
    drop(events);
    let logs = server.finish();
    for personal in [
        "Mari Test",
        "Kati Kask",
        "kati",
        "first visit",
        &lead_code,
        &code,
    ] {
        assert!(!logs.contains(personal), "the log names {personal:?}");
    }
    assert!(logs.contains("\"message\":\"push\""), "{logs}");
}

/// Reads every table of the schema directly, as the service does for `member` (its role, the
/// member set for the transaction): each row as JSON text.
async fn read_all_as(
    pg: &mut tokio_postgres::Client,
    member: Option<i64>,
) -> Vec<(String, String)> {
    let tables: Vec<String> = pg
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'
               AND tablename <> 'srt_schema_migrations' ORDER BY 1",
            &[],
        )
        .await
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(tables.len() >= 15, "{tables:?}");
    let tx = pg.transaction().await.expect("tx");
    let m = member.map(|m| m.to_string()).unwrap_or_default();
    tx.batch_execute(&format!(
        "SET LOCAL ROLE srt_service; SELECT set_config('srt.member_id', '{m}', true)"
    ))
    .await
    .expect("act as the service");
    let mut rows = Vec::new();
    for t in &tables {
        for r in tx
            .query(&format!("SELECT to_jsonb(t)::text FROM {t} t"), &[])
            .await
            .unwrap_or_else(|e| panic!("read {t}: {e}"))
        {
            rows.push((t.clone(), r.get(0)));
        }
    }
    tx.rollback().await.expect("rollback");
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn substitute_sees_cases_only_during_substitution_and_rls_holds() {
    let (url, lead_code) = fresh_team("scope").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead desk").await;
    let mut kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;
    let mut jaan = Desk::coordinator(&server, &certs, &lead, "jaan", "Jaan Jõgi", "j").await;

    let kati_case = Uuid::now_v7();
    let jaan_case = Uuid::now_v7();
    let kati_note = Uuid::now_v7();
    kati.push(&[
        new_case(kati_case, "Kati Child"),
        change(
            "notes",
            kati_note,
            Some(kati_case),
            "insert",
            json!({"text": {"base": null, "new": "kati's note"}}),
        ),
    ])
    .await;
    jaan.push(&[new_case(jaan_case, "Jaan Child")]).await;
    // After a device's first pull (its join's upload is over: server migration 005) a
    // coordinator adds no team-wide row.
    jaan.pull().await;
    // A team-wide row (the provider directory): the lead writes it, every member reads it.
    let provider = Uuid::now_v7();
    let v = jaan
        .push(&[change(
            "providers",
            provider,
            None,
            "insert",
            json!({"name": {"base": null, "new": "X"}}),
        )])
        .await;
    assert_eq!(v["results"][0]["reason"], "team_data_read_only", "{v}");
    let v = lead
        .push(&[change(
            "providers",
            provider,
            None,
            "insert",
            json!({"name": {"base": null, "new": "Provider OÜ"}}),
        )])
        .await;
    assert_eq!(v["applied"], 1, "{v}");

    // Jaan gets the provider, and nothing of Kati's case (his own case came from his desk, so it
    // is not sent back); pushing into Kati's case is refused.
    let (changes, snapshots, _) = jaan.pull().await;
    assert!(snapshots.is_empty(), "{snapshots:?}");
    assert!(changes.iter().any(|c| c["row_id"] == provider.to_string()));
    assert!(!format!("{changes:?}").contains(&kati_case.to_string()));
    let v = jaan
        .push(&[change(
            "notes",
            kati_note,
            Some(kati_case),
            "update",
            json!({"text": {"base": "kati's note", "new": "x"}}),
        )])
        .await;
    assert_eq!(v["results"][0]["outcome"], "rejected", "{v}");
    // The lead sees all.
    let (_, snapshots, _) = lead.pull().await;
    let mut both = vec![kati_case.to_string(), jaan_case.to_string()];
    both.sort();
    assert_eq!(case_ids(&snapshots), both);

    // Reading PostgreSQL directly through the service's role as Jaan: none of Kati's rows.
    let mut pg = connect(&url).await;
    let as_jaan = read_all_as(&mut pg, Some(jaan.member_id)).await;
    for (table, row) in &as_jaan {
        assert!(!row.contains(&kati_case.to_string()), "{table}: {row}");
        assert!(!row.contains("kati's note"), "{table}: {row}");
    }
    assert!(as_jaan
        .iter()
        .any(|(_, r)| r.contains(&jaan_case.to_string())));
    // With no member set, nothing at all; an UPDATE outside the scope changes no row.
    assert_eq!(
        read_all_as(&mut pg, None).await,
        Vec::<(String, String)>::new()
    );
    {
        let tx = pg.transaction().await.expect("tx");
        tx.batch_execute(&format!(
            "SET LOCAL ROLE srt_service; SELECT set_config('srt.member_id', '{}', true)",
            jaan.member_id
        ))
        .await
        .expect("role");
        let n = tx
            .execute(
                "UPDATE shared_rows SET data = '{}' WHERE case_id = $1",
                &[&kati_case],
            )
            .await
            .expect("u");
        assert_eq!(n, 0);
        let n = tx
            .execute("UPDATE cases SET owner_id = $1", &[&jaan.member_id])
            .await
            .expect("u");
        assert_eq!(n, 0, "a coordinator cannot reassign");
        tx.rollback().await.expect("rollback");
    }
    let as_lead = read_all_as(&mut pg, Some(lead.member_id)).await;
    assert!(as_lead
        .iter()
        .any(|(t, r)| t == "shared_rows" && r.contains("kati's note")));

    // A substitution that ended yesterday gives nothing.
    let today = chrono::Local::now().date_naive();
    let day = chrono::Duration::days(1);
    let (status, v) = lead
        .post(
            "/v1/team/substitutions",
            json!({"absent": "kati", "substitute": "jaan",
            "from": today - day * 10, "to": today - day}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (_, snapshots, purges) = jaan.pull().await;
    assert!(
        snapshots.is_empty() && purges.is_empty(),
        "{snapshots:?} {purges:?}"
    );
    // A current one: Jaan's desk receives Kati's case whole, and later changes to it.
    let (status, v) = lead
        .post(
            "/v1/team/substitutions",
            json!({"absent": "kati", "substitute": "jaan",
            "from": today, "to": today + day * 7}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let sub_id = v["id"].as_i64().expect("id");
    let (_, snapshots, _) = jaan.pull().await;
    assert_eq!(case_ids(&snapshots), vec![kati_case.to_string()]);
    assert!(snapshots.iter().any(|s| s["data"]["text"] == "kati's note"));
    let v = jaan
        .push(&[change(
            "notes",
            kati_note,
            Some(kati_case),
            "update",
            json!({"text": {"base": "kati's note", "new": "kati's note; called the school"}}),
        )])
        .await;
    assert_eq!(v["applied"], 1, "the substitute may work on the case: {v}");
    let (changes, _, _) = kati.pull().await;
    assert!(changes
        .iter()
        .any(|c| c["columns"]["text"]["new"] == "kati's note; called the school"));
    let (_, subs) = jaan.get("/v1/team/substitutions").await;
    assert_eq!(
        subs["substitutions"]
            .as_array()
            .expect("list")
            .iter()
            .filter(|s| s["current"] == true)
            .count(),
        1
    );
    let (status, _) = jaan
        .post(
            "/v1/team/substitutions",
            json!({"absent": "kati", "substitute": "jaan",
        "from": today, "to": today}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the lead records substitutions"
    );

    // It ends: Jaan's next pull purges Kati's case, and his direct reads see none of it again.
    let (status, _) = lead
        .post(
            &format!("/v1/team/substitutions/{sub_id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, purges) = jaan.pull().await;
    assert_eq!(purges, vec![kati_case.to_string()]);
    // Until his desk confirms the purge (at its next pull), the server keeps the purge's case id
    // for his device, to send it again if the answer was lost; then nothing.
    let (_, _, again) = jaan.pull().await;
    assert!(again.is_empty(), "{again:?}");
    for (table, row) in read_all_as(&mut pg, Some(jaan.member_id)).await {
        assert!(!row.contains(&kati_case.to_string()), "{table}: {row}");
    }
    // The history of substitutions stays.
    let (_, subs) = lead.get("/v1/team/substitutions").await;
    assert_eq!(subs["substitutions"].as_array().expect("list").len(), 2);

    // Reassigning the case to Jaan brings it back to his desk, and it leaves Kati's.
    let (status, v) = lead
        .post(
            "/v1/team/reassign",
            json!({"case_ids": [kati_case], "to": "jaan"}),
        )
        .await;
    assert_eq!(
        (status, v["reassigned"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    let (_, snapshots, _) = jaan.pull().await;
    assert_eq!(case_ids(&snapshots), vec![kati_case.to_string()]);
    let (_, _, purges) = kati.pull().await;
    assert_eq!(purges, vec![kati_case.to_string()]);
    drop(server);
}

/// (changes in the log, shared rows) on the server.
async fn count(pg: &tokio_postgres::Client) -> (i64, i64) {
    let n: i64 = pg
        .query_one("SELECT count(*) FROM changes", &[])
        .await
        .expect("q")
        .get(0);
    let r: i64 = pg
        .query_one("SELECT count(*) FROM shared_rows", &[])
        .await
        .expect("q")
        .get(0);
    (n, r)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn push_cut_off_halfway_and_repeated_applies_each_change_once() {
    let (url, lead_code) = fresh_team("cutoff").await;
    let certs = make_certs();
    let code = invite(&url, "kati", "Kati Kask", "coordinator");
    // The first server pauses inside the push's transaction, its 100 changes written but not
    // committed.
    let mut server = serve(&url, &certs, &[("SRT_FAULT_PUSH_PAUSE_AT", "50")]);
    let mut kati = Desk::join(&server, &certs, &code, "kati laptop").await;
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead").await;

    let case = Uuid::now_v7();
    let mut batch = vec![new_case(case, "Cut Child")];
    for i in 0..99 {
        batch.push(change(
            "contacts",
            Uuid::now_v7(),
            Some(case),
            "insert",
            json!({"summary": {"base": null, "new": format!("call {i}")}}),
        ));
    }
    let sender = kati.push_in_background(&batch);
    server.wait_for("fault injection: push paused");
    server.kill();
    assert!(
        sender.await.expect("task").is_err(),
        "the cut-off push got no answer"
    );

    // Restarted (without the fault), the same push again: each change applied once.
    let server = serve(&url, &certs, &[]);
    kati.at(&server);
    lead.at(&server);
    let v = kati.push(&batch).await;
    assert_eq!(
        (v["applied"].as_i64(), v["duplicates"].as_i64()),
        (Some(100), Some(0)),
        "{v}"
    );
    let pg = connect(&url).await;
    assert_eq!(count(&pg).await, (100, 100));
    drop(server);

    // A server that commits and is killed before it answers: the repeat is answered as
    // duplicates and nothing is applied twice.
    let mut server = serve(&url, &certs, &[("SRT_FAULT_PUSH_HOLD_REPLY", "1")]);
    kati.at(&server);
    let mut second = vec![];
    for i in 0..20 {
        second.push(change(
            "contacts",
            Uuid::now_v7(),
            Some(case),
            "insert",
            json!({"summary": {"base": null, "new": format!("visit {i}")}}),
        ));
    }
    let sender = kati.push_in_background(&second);
    server.wait_for("fault injection: push committed, reply held");
    server.kill();
    assert!(sender.await.expect("task").is_err());
    let server = serve(&url, &certs, &[]);
    kati.at(&server);
    lead.at(&server);
    let v = kati.push(&second).await;
    assert_eq!(
        (v["applied"].as_i64(), v["duplicates"].as_i64()),
        (Some(0), Some(20)),
        "{v}"
    );
    assert_eq!(count(&pg).await, (120, 120));
    // The lead's desk receives the case and its 119 other rows once each.
    let (changes, snapshots, _) = lead.pull().await;
    assert_eq!(changes.len() + snapshots.len(), 120);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn revoked_device_is_refused_at_once() {
    let (url, lead_code) = fresh_team("revoke").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let lead = Desk::join(&server, &certs, &lead_code, "lead").await;
    let mut kati =
        Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "lost laptop").await;
    kati.pull().await;
    let mut events = kati
        .http
        .get(format!("{}/v1/events", kati.base))
        .bearer_auth(&kati.token)
        .send()
        .await
        .expect("events");
    events.chunk().await.expect("chunk").expect("ready");

    let (status, _) = kati
        .post(
            &format!("/v1/team/devices/{}/revoke", lead.device_id),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a coordinator cannot revoke");
    let (status, v) = lead
        .post(
            &format!("/v1/team/devices/{}/revoke", kati.device_id),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");

    for path in ["/v1/pull?after=0", "/v1/me", "/v1/conflicts", "/v1/events"] {
        let (status, v) = kati.get(path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {v}");
    }
    let (status, _) = kati
        .post(
            "/v1/push",
            json!({"changes": [new_case(Uuid::now_v7(), "X")]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The open event stream ends at the next change instead of telling the lost laptop more.
    lead.push(&[new_case(Uuid::now_v7(), "Lead Child")]).await;
    let rest = tokio::time::timeout(Duration::from_secs(10), events.chunk())
        .await
        .expect("stream ended");
    assert!(matches!(rest, Ok(None) | Err(_)), "{rest:?}");
    // The lead's own device still works; a made-up token does not.
    assert_eq!(lead.get("/v1/me").await.0, StatusCode::OK);
    let fake = Desk {
        token: "srt1_00".into(),
        ..Desk::join(&server, &certs, &invite(&url, "x", "X", "manager"), "x").await
    };
    assert_eq!(fake.get("/v1/me").await.0, StatusCode::UNAUTHORIZED);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn audit_chain_checked_on_arrival_and_by_check() {
    let (url, lead_code) = fresh_team("audit").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let lead = Desk::join(&server, &certs, &lead_code, "lead").await;
    let kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;

    fn link(prev: &str, payload: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(payload.as_bytes());
        hex::encode(h.finalize())
    }
    let zero = "0".repeat(64);
    let mut entries = Vec::new();
    let mut prev = zero.clone();
    for seq in 1..=4 {
        let payload = json!({"action": "case.open", "seq": seq}).to_string();
        let hash = link(&prev, &payload);
        entries.push(json!({"seq": seq, "prev_hash": prev, "hash": hash, "payload": payload}));
        prev = hash;
    }
    let (status, v) = kati
        .post("/v1/audit", json!({"entries": entries[..3]}))
        .await;
    assert_eq!(
        (status, v["stored"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{v}"
    );
    // A repeated upload with one more entry stores only the new one.
    let (status, v) = kati.post("/v1/audit", json!({"entries": entries})).await;
    assert_eq!(
        (status, v["stored"].as_i64(), v["known"].as_i64()),
        (StatusCode::OK, Some(1), Some(3)),
        "{v}"
    );
    // An entry whose hash does not match its contents is refused on arrival.
    let payload = "{\"action\":\"case.close\"}".to_string();
    let bad = json!({"seq": 5, "prev_hash": prev, "hash": link(&prev, "something else"), "payload": payload});
    let (status, v) = kati.post("/v1/audit", json!({"entries": [bad]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "audit_chain_broken");
    // The lead's own chain, one entry.
    let p = "{\"action\":\"team.invite\"}";
    let (status, _) = lead
        .post("/v1/audit", json!({"entries": [{"seq": 1, "prev_hash": zero, "hash": link(&zero, p), "payload": p}]}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let check = || {
        Command::new(BIN)
            .args(["check", "--database-url", &url])
            .output()
            .expect("check")
    };
    let out = check();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "device {}: 4 entries, chain holds",
            kati.device_id
        )),
        "{text}"
    );

    // The service role cannot alter or delete audit rows, even its own.
    let mut pg = connect(&url).await;
    {
        let tx = pg.transaction().await.expect("tx");
        tx.batch_execute(&format!(
            "SET LOCAL ROLE srt_service; SELECT set_config('srt.member_id', '{}', true)",
            kati.member_id
        ))
        .await
        .expect("role");
        let e = tx
            .execute("UPDATE team_audit SET payload = 'x'", &[])
            .await
            .expect_err("no UPDATE grant");
        assert_eq!(
            e.code(),
            Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
        );
    }
    {
        let tx = pg.transaction().await.expect("tx");
        tx.batch_execute("SET LOCAL ROLE srt_service")
            .await
            .expect("role");
        let e = tx
            .execute("DELETE FROM team_audit", &[])
            .await
            .expect_err("no DELETE grant");
        assert_eq!(
            e.code(),
            Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
        );
    }
    // Someone with the owner's rights alters an entry in the database: check finds it.
    pg.execute(
        "UPDATE team_audit SET payload = '{\"action\":\"case.open\",\"seq\":9}' WHERE device_id = $1 AND seq = 2",
        &[&kati.device_id],
    )
    .await
    .expect("tamper");
    let out = check();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "device {}: chain BROKEN: entry 2 was altered",
            kati.device_id
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "device {}: 1 entries, chain holds",
            lead.device_id
        )),
        "{text}"
    );
    drop(server);
}

/// The figure for a week offline: 5 000 changes merged in under 20 s. Measured on a
/// debug build, one PostgreSQL cluster and both desks on the same 2-core machine; prints figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn week_offline_five_thousand_changes_push_and_pull_timings() {
    let (url, lead_code) = fresh_team("timing").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead").await;
    let kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;

    // 100 cases with 49 rows each: 5 000 inserts, pushed in batches of 1 000 as a desk would.
    let mut inserts = Vec::new();
    let mut rows = Vec::new();
    for c in 0..100 {
        let case = Uuid::now_v7();
        inserts.push(new_case(case, &format!("Child {c}")));
        for r in 0..49 {
            let row = Uuid::now_v7();
            rows.push((case, row, format!("note {c}/{r}")));
            inserts.push(change(
                "notes",
                row,
                Some(case),
                "insert",
                json!({"text": {"base": null, "new": rows.last().expect("row").2}}),
            ));
        }
    }
    let start = Instant::now();
    for batch in inserts.chunks(1000) {
        let v = kati.push(batch).await;
        assert_eq!(v["applied"].as_u64(), Some(batch.len() as u64), "{v}");
    }
    let push_inserts = start.elapsed();
    let start = Instant::now();
    let (_, snapshots, _) = lead.pull().await;
    let first_pull = start.elapsed();
    assert_eq!(snapshots.len(), 5000);

    // A week offline: 5 000 edits, then the lead's desk merges them.
    let edits: Vec<Value> = rows
        .iter()
        .map(|(case, row, text)| {
            change(
                "notes",
                *row,
                Some(*case),
                "update",
                json!({"text": {"base": text, "new": format!("{text}, edited")}}),
            )
        })
        .collect();
    let start = Instant::now();
    for batch in edits.chunks(1000) {
        let v = kati.push(batch).await;
        assert_eq!(v["applied"].as_u64(), Some(batch.len() as u64), "{v}");
    }
    let push_edits = start.elapsed();
    let start = Instant::now();
    let (changes, _, _) = lead.pull().await;
    let pull_edits = start.elapsed();
    assert_eq!(changes.len(), rows.len());
    println!(
        "team server timings (debug build, 2 cores): push 5000 inserts {:.2} s; first pull of 100 cases \
         (5000 rows) {:.2} s; push 5000 edits {:.2} s; pull 5000 changes {:.2} s",
        push_inserts.as_secs_f64(), first_pull.as_secs_f64(), push_edits.as_secs_f64(), pull_edits.as_secs_f64()
    );
    // The issue asks for under 20 s; measured 8.8 s here while other builds kept the 2 cores
    // busy (load average 10).
    assert!(
        push_edits + pull_edits < Duration::from_secs(20),
        "a week offline merged in under 20 s"
    );
    drop(server);
}

/// The desk-side client of srt-core (`srt_core::sync`) against the real server: it trusts only the
/// pinned CA, joins, pushes and pulls change records, and says in plain words when its device
/// was revoked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn desk_sync_client_joins_pushes_and_pulls_with_the_pinned_ca() {
    use srt_core::sync::{ChangeRecord, ColumnChange, Op, SyncClient};
    let (url, lead_code) = fresh_team("client").await;
    let certs = make_certs();
    let other = make_certs();
    let server = serve(&url, &certs, &[]);
    let kati_code = invite(&url, "kati", "Kati Kask", "coordinator");
    let base = server.base.clone();
    let ca = std::fs::read(&certs.ca).expect("ca");
    let other_ca = std::fs::read(&other.ca).expect("ca");

    let lead_device = tokio::task::spawn_blocking(move || {
        // Plain HTTP and a server signed by another CA are refused.
        let plain = SyncClient::new(&base.replace("https://", "http://"), &ca).expect_err("http");
        assert_eq!(plain.code, "sync.not_https");
        let wrong = SyncClient::new(&base, &other_ca).expect("client");
        let e = wrong.health().expect_err("another CA");
        assert!(matches!(e.code, "sync.transport" | "sync.offline"), "{e}");

        let client = SyncClient::new(&base, &ca).expect("client");
        client.health().expect("health");
        let lead = client.join(&lead_code, "lead desk").expect("join");
        assert_eq!(lead.member.role, "lead");
        let e = client.join(&lead_code, "again").expect_err("spent code");
        assert_eq!(e.code, "sync.unauthorized");
        let kati = client.join(&kati_code, "kati desk").expect("join");
        let kati_client = client.clone().with_token(&kati.token);
        let lead_client = client.with_token(&lead.token);

        let case = Uuid::now_v7().to_string();
        let mut columns = std::collections::BTreeMap::new();
        columns.insert(
            "child_name".to_string(),
            ColumnChange {
                base: Value::Null,
                new: json!("Client Child"),
            },
        );
        let record = ChangeRecord {
            change_id: Uuid::now_v7().to_string(),
            table: "cases".into(),
            row_id: case.clone(),
            case_id: Some(case.clone()),
            op: Op::Insert,
            columns,
            hlc: "2026-12-06T10:00:00.000Z-0000-k".into(),
        };
        let reply = kati_client
            .push(std::slice::from_ref(&record))
            .expect("push");
        assert_eq!(
            (reply.applied, reply.results[0].outcome.as_str()),
            (1, "applied")
        );
        let reply = kati_client.push(&[record]).expect("push again");
        assert_eq!(reply.duplicates, 1);
        let page = lead_client.pull(0, 100, 0).expect("pull");
        assert_eq!(page.snapshots.len(), 1);
        assert_eq!(page.snapshots[0].case_id, case);
        assert_eq!(page.snapshots[0].data["child_name"], "Client Child");
        assert!(!page.more);
        (kati.device_id, kati.token, lead.token)
    })
    .await
    .expect("client thread");

    // Revoked: the client says so with its stable code.
    let http = https_client(&certs.ca);
    let resp = http
        .post(format!(
            "{}/v1/team/devices/{}/revoke",
            server.base, lead_device.0
        ))
        .bearer_auth(&lead_device.2)
        .send()
        .await
        .expect("revoke");
    assert_eq!(resp.status(), StatusCode::OK);
    let base = server.base.clone();
    let ca = std::fs::read(&certs.ca).expect("ca");
    let token = lead_device.1.clone();
    tokio::task::spawn_blocking(move || {
        let e = SyncClient::new(&base, &ca)
            .expect("client")
            .with_token(token)
            .pull(0, 10, 0)
            .expect_err("revoked");
        assert_eq!(e.code, "sync.unauthorized");
        assert!(e.message.et.contains("tühistatud"), "{}", e.message.et);
    })
    .await
    .expect("client thread");
    drop(server);
}

/// How many rows of `changes` and of `cases` PostgreSQL has read so far (by index and by
/// sequential scan), once the server's connections have reported their counts: an idle backend
/// reports within 10 s (PostgreSQL 15's PGSTAT_IDLE_INTERVAL), so this waits 11 s first.
async fn rows_read(pg: &tokio_postgres::Client) -> (i64, i64) {
    tokio::time::sleep(Duration::from_secs(11)).await;
    let read = |table: &'static str| async move {
        pg.query_one(
            "SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::bigint
             FROM pg_stat_user_tables WHERE relname = $1",
            &[&table],
        )
        .await
        .expect("table counts")
        .get::<_, i64>(0)
    };
    (read("changes").await, read("cases").await)
}

/// The pull reads only the device's scope: a coordinator's pull after a colleague pushed 2 000
/// changes of their own cases does not read those changes nor the colleague's cases
/// (PostgreSQL's count of rows read from `changes` grows by far fewer than the colleague's
/// changes, and from `cases` by fewer than the team's cases; before, the pull walked every
/// change of the team after its cursor, the row-level-security function called on each), and paging with a small limit, both case by case
/// (many changes since the cursor) and in seq order (few), returns every change of the scope
/// exactly once, in order, and nothing of the colleague's cases.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn pull_reads_only_the_devices_scope_and_pages_exactly_once() {
    let (url, lead_code) = fresh_team("pullscope").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead desk").await;
    let kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;
    let mut jaan = Desk::coordinator(&server, &certs, &lead, "jaan", "Jaan Jõgi", "j").await;
    let note = |case: Uuid, text: &str| {
        change(
            "notes",
            Uuid::now_v7(),
            Some(case),
            "insert",
            json!({"text": {"base": null, "new": text}}),
        )
    };
    let provider = |name: &str| {
        change(
            "providers",
            Uuid::now_v7(),
            None,
            "insert",
            json!({"name": {"base": null, "new": name}}),
        )
    };

    let jaan_cases = jaan.push_new_cases(30, "Jaan's child").await;
    jaan.pull().await;
    let kati_cases: Vec<Uuid> = (0..500).map(|_| Uuid::now_v7()).collect();
    let mut kati_changes = Vec::new();
    for c in &kati_cases {
        kati_changes.push(new_case(*c, "Kati's child"));
        for _ in 0..3 {
            kati_changes.push(note(*c, "kati's note"));
        }
    }
    let v = kati.push(&kati_changes).await;
    assert_eq!(v["applied"], 2000, "{v}");

    // The lead writes, interleaved: team-wide rows, notes in Jaan's cases, notes in Kati's.
    let round = |n: usize| {
        let mut changes = Vec::new();
        let mut expected = Vec::new();
        for i in 0..n {
            let c = match i % 3 {
                0 => provider("Provider"),
                1 => note(jaan_cases[i % jaan_cases.len()], "lead's note"),
                _ => note(kati_cases[i % kati_cases.len()], "lead's note"),
            };
            if i % 3 != 2 {
                expected.push(c["change_id"].as_str().expect("id").to_string());
            }
            changes.push(c);
        }
        (changes, expected)
    };
    let check = |got: &[Value], expected: &[String]| {
        let ids: Vec<String> = got
            .iter()
            .map(|c| c["change_id"].as_str().expect("id").to_string())
            .collect();
        assert_eq!(ids, expected, "every change of the scope once, in order");
        let seqs: Vec<i64> = got
            .iter()
            .map(|c| c["seq"].as_i64().expect("seq"))
            .collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        let text = format!("{got:?}");
        assert!(!kati_cases.iter().any(|k| text.contains(&k.to_string())));
    };

    // Many changes since Jaan's cursor (Kati's 2 000 and the lead's 60): read case by case.
    let (changes, expected) = round(60);
    let v = lead.push(&changes).await;
    assert_eq!(v["applied"], 60, "{v}");
    let pg = connect(&url).await;
    let before = rows_read(&pg).await;
    let (got, pages) = jaan.pull_pages(7).await;
    let after = rows_read(&pg).await;
    assert!(pages >= 6, "{pages} pages");
    check(&got, &expected);
    let read = after.0 - before.0;
    // His 30 cases are asked by owner, not found among the team's 530 with the policy on each.
    let cases_read = after.1 - before.1;
    eprintln!("{cases_read} rows of cases read over {pages} pages");
    assert!(
        cases_read < 530,
        "{cases_read} rows of cases read over {pages} pages (30 his, 530 in the team)"
    );
    eprintln!(
        "{read} rows of changes read for {} changes, {pages} pages",
        got.len()
    );
    assert!(
        read > 0 && read < 500,
        "{read} rows of changes read for a pull of {} changes over {pages} \
         pages, with 2 000 changes of a colleague's cases since the cursor",
        got.len()
    );

    // Few changes since the cursor (12, against 30 cases in scope): read in seq order.
    let (changes, expected) = round(12);
    lead.push(&changes).await;
    let (got, pages) = jaan.pull_pages(3).await;
    assert!(pages >= 3, "{pages} pages");
    check(&got, &expected);

    // Nothing new: an empty page, the cursor where it was.
    let cursor = jaan.last_seq;
    let (got, _) = jaan.pull_pages(3).await;
    assert!(got.is_empty());
    assert_eq!(jaan.last_seq, cursor);
    lead.pull().await;
    let log = server.finish();
    assert!(log.contains("\"by_case\":true") && log.contains("\"by_case\":false"));
}

/// The statements the server sent to PostgreSQL for the next push of `device_id` (its log line).
fn push_statements(server: &mut Server, device_id: i64) -> i64 {
    loop {
        let line = server.wait_for("\"message\":\"push\"");
        let v: Value = serde_json::from_str(&line).expect("a JSON log line");
        if v["device_id"] == device_id {
            return v["statements"]
                .as_i64()
                .expect("statements in the push line");
        }
    }
}

/// A push is set-based: the number of statements it sends to PostgreSQL does not grow with its
/// changes (before, each change cost two to four: the row read `FOR UPDATE`, `srt_row_exists`,
/// the log-and-row write, and a scope check per case), and everything the push did change by
/// change still holds in one batch: inserts, updates of a row written earlier in the same push,
/// a delete, a conflict with both values, rejections with their reason (a colleague's case, a
/// team-wide row), a change id repeated in one push, sequence numbers in the push's order, and
/// the rows' last values as the lead pulls them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn a_push_is_a_fixed_number_of_statements_whatever_its_size() {
    let (url, lead_code) = fresh_team("pushset").await;
    let certs = make_certs();
    let mut server = serve(&url, &certs, &[]);
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead desk").await;
    let kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;
    let jaan = Desk::coordinator(&server, &certs, &lead, "jaan", "Jaan Jõgi", "j").await;
    let note = |case: Uuid, row: Uuid, text: &str| {
        change(
            "notes",
            row,
            Some(case),
            "insert",
            json!({"text": {"base": null, "new": text}}),
        )
    };
    let edit = |case: Uuid, row: Uuid, base: &str, new: &str| {
        change(
            "notes",
            row,
            Some(case),
            "update",
            json!({"text": {"base": base, "new": new}}),
        )
    };

    // The lead's team-wide row, and a case of Jaan's.
    let provider = Uuid::now_v7();
    lead.push(&[change(
        "providers",
        provider,
        None,
        "insert",
        json!({"name": {"base": null, "new": "Teraapiakeskus"}}),
    )])
    .await;
    push_statements(&mut server, lead.device_id);
    let jaan_case = Uuid::now_v7();
    jaan.push(&[new_case(jaan_case, "Jaan's child")]).await;
    push_statements(&mut server, jaan.device_id);

    // A small push: 2 cases, 4 notes each.
    let small_cases = [Uuid::now_v7(), Uuid::now_v7()];
    let mut small = Vec::new();
    let mut old_notes = Vec::new();
    for c in small_cases {
        small.push(new_case(c, "Kati's child"));
        for i in 0..4 {
            let row = Uuid::now_v7();
            old_notes.push((c, row, format!("note {i}")));
            small.push(note(c, row, &format!("note {i}")));
        }
    }
    let v = kati.push(&small).await;
    assert_eq!(v["applied"], 10, "{v}");
    let small_statements = push_statements(&mut server, kati.device_id);

    // A large push: 40 new cases with 10 notes each, every other note then edited in the same
    // push; edits of the small push's notes (one based on a value the server no longer holds:
    // a conflict) and a delete; a colleague's case, a change of the lead's team-wide row, and a
    // change id sent twice.
    let mut large = Vec::new();
    let mut kept = Vec::new();
    for _ in 0..40 {
        let c = Uuid::now_v7();
        large.push(new_case(c, "Kati's child"));
        for i in 0..10 {
            let row = Uuid::now_v7();
            large.push(note(c, row, "draft"));
            if i % 2 == 0 {
                large.push(edit(c, row, "draft", "final"));
                kept.push((row, "final"));
            } else {
                kept.push((row, "draft"));
            }
        }
    }
    let (c0, r0, t0) = &old_notes[0];
    large.push(edit(*c0, *r0, t0, "edited once"));
    large.push(edit(*c0, *r0, "edited once", "edited twice"));
    let (c1, r1, _) = &old_notes[1];
    large.push(edit(*c1, *r1, "a value never held", "mine"));
    let (c2, r2, t2) = &old_notes[2];
    large.push(change(
        "notes",
        *r2,
        Some(*c2),
        "delete",
        json!({"text": {"base": t2, "new": null}}),
    ));
    large.push(note(jaan_case, Uuid::now_v7(), "not mine"));
    large.push(change(
        "providers",
        provider,
        None,
        "update",
        json!({"name": {"base": "Teraapiakeskus", "new": "Renamed"}}),
    ));
    let twice = large[1].clone();
    large.push(twice);
    let n = large.len();
    let v = kati.push(&large).await;
    let large_statements = push_statements(&mut server, kati.device_id);
    assert_eq!(
        (
            v["applied"].as_i64(),
            v["conflicted"].as_i64(),
            v["rejected"].as_i64(),
            v["duplicates"].as_i64()
        ),
        (Some(n as i64 - 4), Some(1), Some(2), Some(1)),
        "{v}"
    );
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), n);
    let reasons: Vec<&str> = results
        .iter()
        .filter(|r| r["outcome"] == "rejected")
        .map(|r| r["reason"].as_str().expect("reason"))
        .collect();
    // (A team-wide row the member may not write is not theirs to lock either: not in scope.)
    assert_eq!(reasons, ["not_in_scope", "not_in_scope"]);
    assert_eq!(results[n - 1]["outcome"], "duplicate");
    assert_eq!(results[n - 1]["seq"], results[1]["seq"]);
    let seqs: Vec<i64> = results[..n - 1]
        .iter()
        .filter_map(|r| r["seq"].as_i64())
        .collect();
    assert_eq!(seqs.len(), n - 4);
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "sequence numbers follow the push's order"
    );
    let conflict = results
        .iter()
        .find(|r| r["outcome"] == "conflicted")
        .expect("a conflict");
    let (status, cv) = kati.get("/v1/conflicts").await;
    assert_eq!(status, StatusCode::OK, "{cv}");
    let recorded = cv["conflicts"]
        .as_array()
        .expect("conflicts")
        .iter()
        .find(|c| c["id"] == conflict["conflict_id"])
        .unwrap_or_else(|| panic!("the conflict is recorded: {cv}"));
    assert_eq!(
        recorded["columns"]["text"]["server"], "note 1",
        "{recorded}"
    );
    assert_eq!(recorded["columns"]["text"]["mine"], "mine", "{recorded}");
    assert_eq!(recorded["server_author_id"], kati.member_id, "{recorded}");

    println!("push statements: {n} changes {large_statements}, 10 changes {small_statements}");
    // The statements do not grow with the push (a per-change statement would add hundreds).
    assert!(
        large_statements <= 20 && large_statements <= small_statements + 8,
        "a push of {n} changes sent {large_statements} statements, one of 10 sent {small_statements}"
    );

    // The lead pulls every row at its last value.
    let (changes, snapshots, _) = lead.pull().await;
    let mut all: Vec<&Value> = changes.iter().chain(snapshots.iter()).collect();
    all.sort_by_key(|c| c["seq"].as_i64());
    let mut value: std::collections::HashMap<String, Value> = Default::default();
    for c in all {
        let id = c["row_id"].as_str().unwrap_or_default().to_string();
        if c["op"] == "delete" || c["deleted"] == true {
            value.insert(id, Value::Null);
        } else if let Some(t) = c["columns"]["text"]["new"].as_str() {
            value.insert(id, json!(t));
        } else if let Some(t) = c["data"]["text"].as_str() {
            value.insert(id, json!(t));
        }
    }
    for (row, text) in &kept {
        assert_eq!(value.get(&row.to_string()), Some(&json!(text)), "{row}");
    }
    assert_eq!(value.get(&r0.to_string()), Some(&json!("edited twice")));
    assert_eq!(value.get(&r1.to_string()), Some(&json!("note 1")));
    assert_eq!(value.get(&r2.to_string()), Some(&Value::Null));
    drop(server);
}

/// How many times the row-level-security functions (PL/pgSQL: `srt_sees_owner`,
/// `srt_sees_case`, `srt_sees_row`, `srt_opened_today`) have run in this database, and how many
/// times the events' count `srt_changes_for_device` has, once the server's connections have
/// reported (track_functions = 'all' for the database; see `rows_read` for the wait).
async fn function_calls(pg: &tokio_postgres::Client) -> (i64, i64) {
    tokio::time::sleep(Duration::from_secs(11)).await;
    let calls = |names: &'static [&'static str]| async move {
        pg.query_one(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_user_functions
             WHERE funcname = ANY($1)",
            &[&names],
        )
        .await
        .expect("function counts")
        .get::<_, i64>(0)
    };
    (
        calls(&[
            "srt_sees_owner",
            "srt_sees_case",
            "srt_sees_row",
            "srt_opened_today",
        ])
        .await,
        calls(&["srt_changes_for_device"]).await,
    )
}

/// A fresh team database whose function calls PostgreSQL counts (server migration 008's tests).
async fn counted_team(tag: &str) -> (String, String, tokio_postgres::Client) {
    let (url, lead_code) = fresh_team(tag).await;
    let pg = connect(&url).await;
    pg.batch_execute(&format!(
        "ALTER DATABASE srt_test_{tag} SET track_functions = 'all'"
    ))
    .await
    .expect("track_functions");
    (url, lead_code, pg)
}

/// A pull's fixed cost does not grow with the desk's scope: the cases in scope are found as a
/// set (`srt_scope_cases`) and compared with the cases held in SQL, and the changes since the
/// cursor are matched against the held cases by a join, so a coordinator with 1 000 cases pulls
/// a few new changes, or nothing, with a handful of calls of the row-level-security functions
/// (one or two per change sent), not one per case in scope (before: `srt_sees_owner` once per
/// case, 1 000 a pull). What is sent is still read under the policies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn a_pulls_scope_is_a_set_and_costs_no_policy_call_per_case_in_scope() {
    let (url, lead_code, pg) = counted_team("pullset").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let lead = Desk::join(&server, &certs, &lead_code, "lead desk").await;
    let mut kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;
    let jaan = Desk::coordinator(&server, &certs, &lead, "jaan", "Jaan Jõgi", "j").await;
    let kati_cases = kati.push_new_cases(1000, "Kati's child").await;
    kati.pull().await;
    let jaan_cases = jaan.push_new_cases(20, "Jaan's child").await;
    // The lead writes in both coordinators' cases and the team's data.
    let mut lead_changes = Vec::new();
    for i in 0..5 {
        for case in [kati_cases[i * 100], jaan_cases[i]] {
            lead_changes.push(change(
                "notes",
                Uuid::now_v7(),
                Some(case),
                "insert",
                json!({"text": {"base": null, "new": "lead's note"}}),
            ));
        }
    }
    lead_changes.push(change(
        "providers",
        Uuid::now_v7(),
        None,
        "insert",
        json!({"name": {"base": null, "new": "Provider"}}),
    ));
    lead.push(&lead_changes).await;

    let (before, _) = function_calls(&pg).await;
    let (changes, snapshots, purges) = kati.pull().await;
    let (between, _) = function_calls(&pg).await;
    assert_eq!((changes.len(), snapshots.len(), purges.len()), (6, 0, 0));
    let text = format!("{changes:?}");
    assert!(!jaan_cases.iter().any(|c| text.contains(&c.to_string())));
    let (changes, snapshots, purges) = kati.pull().await;
    let (after, _) = function_calls(&pg).await;
    assert_eq!((changes.len(), snapshots.len(), purges.len()), (0, 0, 0));
    eprintln!(
        "policy calls: {} for a pull of 6 changes, {} for a pull of nothing (1 000 cases in scope)",
        between - before,
        after - between
    );
    assert!(
        between - before < 60,
        "{} policy calls for a pull of 6 changes with 1 000 cases in scope",
        between - before
    );
    assert!(
        after - between < 10,
        "{} policy calls for a pull of nothing with 1 000 cases in scope",
        after - between
    );
    drop(server);
}

/// Reads the next server-sent event of `stream` within `within` (its name and data), or None.
async fn next_event(stream: &mut reqwest::Response, within: Duration) -> Option<(String, Value)> {
    let deadline = Instant::now() + within;
    let mut text = String::new();
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        let chunk = tokio::time::timeout(left, stream.chunk()).await.ok()?;
        text.push_str(&String::from_utf8_lossy(&chunk.ok()??));
        // Keep-alive comments (": …") are not events.
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event: "));
            let data = block.lines().find_map(|l| l.strip_prefix("data: "));
            if let (Some(name), Some(data)) = (name, data) {
                return Some((
                    name.to_string(),
                    serde_json::from_str(data).expect("event data"),
                ));
            }
        }
    }
}

async fn open_events(desk: &Desk) -> reqwest::Response {
    let mut stream = desk
        .http
        .get(format!("{}/v1/events", desk.base))
        .bearer_auth(&desk.token)
        .send()
        .await
        .expect("events");
    assert_eq!(stream.status(), StatusCode::OK);
    let (name, _) = next_event(&mut stream, Duration::from_secs(10))
        .await
        .expect("ready");
    assert_eq!(name, "ready");
    stream
}

/// A push's notification names the cases it touched, and each open event stream decides from it
/// in memory whether it concerns its device: pushes that concern none of the open streams cost
/// PostgreSQL no count (`srt_changes_for_device`: before, one per stream per push), and the
/// streams still wake exactly the desks a change concerns — including cases a desk came to hold
/// after its stream opened (a substitution's snapshots, its own new case), which the stream
/// learns from the pull's and the push's notifications.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn event_streams_decide_in_memory_and_wake_only_the_desks_a_push_concerns() {
    let (url, lead_code, pg) = counted_team("streams").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead desk").await;
    let mut kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;
    let mut mari = Desk::coordinator(&server, &certs, &lead, "mari", "Mari Mets", "m").await;
    let kati_case = Uuid::now_v7();
    kati.push(&[new_case(kati_case, "Kati's child")]).await;
    let lead_cases: Vec<Uuid> = (0..10).map(|_| Uuid::now_v7()).collect();
    for desk in [&mut kati, &mut mari, &mut lead] {
        desk.pull().await;
    }
    let mut on_kati = open_events(&kati).await;
    let mut on_mari = open_events(&mari).await;
    let mut on_lead = open_events(&lead).await;
    let note = |case: Uuid| {
        change(
            "notes",
            Uuid::now_v7(),
            Some(case),
            "insert",
            json!({"text": {"base": null, "new": "a note"}}),
        )
    };

    // Ten pushes of the lead's own cases: no coordinator's stream asks PostgreSQL.
    let (_, counts_before) = function_calls(&pg).await;
    for case in &lead_cases {
        lead.push(&[new_case(*case, "Lead's child"), note(*case)])
            .await;
    }
    let (_, counts_after) = function_calls(&pg).await;
    assert_eq!(
        counts_after - counts_before,
        0,
        "event streams asked PostgreSQL for pushes that concern none of them"
    );
    assert!(next_event(&mut on_kati, Duration::from_secs(1))
        .await
        .is_none());
    assert!(next_event(&mut on_mari, Duration::from_secs(1))
        .await
        .is_none());

    // The lead's note in Kati's case wakes Kati's desk with its count, not Mari's.
    lead.push(&[note(kati_case), note(kati_case)]).await;
    let (name, data) = next_event(&mut on_kati, Duration::from_secs(10))
        .await
        .expect("kati woken");
    assert_eq!((name.as_str(), &data["changes"]), ("changes", &json!(2)));
    assert!(next_event(&mut on_mari, Duration::from_secs(2))
        .await
        .is_none());

    // Kati's new case: her own stream learns she holds it; the lead is woken; Mari is not.
    let new = Uuid::now_v7();
    kati.push(&[new_case(new, "Kati's second child")]).await;
    let (name, _) = next_event(&mut on_lead, Duration::from_secs(10))
        .await
        .expect("the lead woken");
    assert_eq!(name, "changes");
    assert!(next_event(&mut on_mari, Duration::from_secs(2))
        .await
        .is_none());
    assert!(next_event(&mut on_kati, Duration::from_secs(1))
        .await
        .is_none());
    lead.push(&[note(new)]).await;
    let (name, data) = next_event(&mut on_kati, Duration::from_secs(10))
        .await
        .expect("kati woken for her new case");
    assert_eq!((name.as_str(), &data["changes"]), ("changes", &json!(1)));

    // Mari stands in for Kati from today: a `team` event; her pull brings Kati's cases, and
    // from then on a change in them wakes Mari's desk too.
    let today = chrono::Local::now().date_naive();
    let (status, v) = lead
        .post(
            "/v1/team/substitutions",
            json!({"absent": "kati", "substitute": "mari", "from": today, "to": today}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (name, _) = next_event(&mut on_mari, Duration::from_secs(10))
        .await
        .expect("mari told of the team");
    assert_eq!(name, "team");
    let (_, snapshots, _) = mari.pull().await;
    assert_eq!(case_ids(&snapshots).len(), 2);
    // Kati's next new case concerns Mari now (a substitution names her for its owner).
    kati.push(&[new_case(Uuid::now_v7(), "Kati's third child")])
        .await;
    let (name, _) = next_event(&mut on_mari, Duration::from_secs(10))
        .await
        .expect("mari woken by the new case of the colleague she stands in for");
    assert_eq!(name, "changes");
    lead.push(&[note(kati_case)]).await;
    let (name, data) = next_event(&mut on_mari, Duration::from_secs(10))
        .await
        .expect("mari woken for the case she now holds");
    assert_eq!((name.as_str(), &data["changes"]), ("changes", &json!(1)));
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn cases_new_to_a_device_come_whole_a_page_at_a_time_and_none_is_lost_between_pages() {
    let (url, lead_code) = fresh_team("snappages").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead desk").await;
    lead.pull().await;
    let kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;
    let note = |case: Uuid, text: &str| {
        change(
            "notes",
            Uuid::now_v7(),
            Some(case),
            "insert",
            json!({"text": {"base": null, "new": text}}),
        )
    };
    let cases: Vec<Uuid> = (0..25).map(|_| Uuid::now_v7()).collect();
    let mut changes = Vec::new();
    for c in &cases {
        changes.push(new_case(*c, "Kati's child"));
        changes.push(note(*c, "first"));
        changes.push(note(*c, "second"));
    }
    assert_eq!(kati.push(&changes).await["applied"], 75);

    // The lead's desk sees all 25 cases as new: at most `limit` of them whole a page.
    let page = |after: i64| {
        let lead = &lead;
        async move {
            let (status, v) = lead.get(&format!("/v1/pull?after={after}&limit=10")).await;
            assert_eq!(status, StatusCode::OK, "pull: {v}");
            v
        }
    };
    let mut whole: Vec<Value> = Vec::new();
    let mut sizes = Vec::new();
    let mut changes_sent = 0;
    let mut after = lead.last_seq;
    loop {
        let v = page(after).await;
        let snaps = v["snapshots"].as_array().expect("snapshots").clone();
        sizes.push(case_ids(&snaps).len());
        changes_sent += v["changes"].as_array().expect("changes").len();
        whole.extend(snaps);
        after = v["next_seq"].as_i64().expect("next_seq");
        if sizes.len() == 1 {
            // Between two pages Kati writes in a case not sent yet: it comes whole, with it.
            assert_eq!(
                kati.push(&[note(cases[24], "between pages")]).await["applied"],
                1
            );
        }
        if !v["more"].as_bool().expect("more") {
            break;
        }
        assert!(sizes.len() < 10, "pages never end: {sizes:?}");
    }
    assert_eq!(sizes, vec![10, 10, 5], "cases sent whole per page");
    let mut ids = case_ids(&whole);
    ids.dedup();
    assert_eq!(ids.len(), 25, "each case once");
    let texts: Vec<&str> = whole
        .iter()
        .filter(|s| s["table"] == "notes")
        .map(|s| s["data"]["text"].as_str().expect("text"))
        .collect();
    assert_eq!(
        texts.len(),
        51,
        "every note once, the one written between pages too"
    );
    assert!(texts.contains(&"between pages"));
    assert_eq!(
        changes_sent, 0,
        "a case sent whole is not sent again as changes"
    );
    // Nothing more: the next pull is empty.
    let v = page(after).await;
    assert_eq!(v["snapshots"].as_array().expect("s").len(), 0);
    assert_eq!(v["changes"].as_array().expect("c").len(), 0);
    let log = server.finish();
    assert!(
        log.contains("\"deferred\":15"),
        "the server logs the cases left for later"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run inside pg_virtualenv (scripts/test)"]
async fn what_a_lost_pull_answer_sent_comes_again_until_the_desk_confirms_it() {
    let (url, lead_code) = fresh_team("acks").await;
    let certs = make_certs();
    let server = serve(&url, &certs, &[]);
    let mut lead = Desk::join(&server, &certs, &lead_code, "lead desk").await;
    lead.pull().await;
    let kati = Desk::coordinator(&server, &certs, &lead, "kati", "Kati Kask", "k").await;
    let mari = Desk::coordinator(&server, &certs, &lead, "mari", "Mari Mets", "m").await;
    let cases: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
    let news: Vec<Value> = cases.iter().map(|c| new_case(*c, "Kati's child")).collect();
    assert_eq!(kati.push(&news).await["applied"], 3);
    // Mari's desk: its pulls, each naming the last page it applied (`ack`).
    let pull = |ack: i64| {
        let mari = &mari;
        async move {
            let (status, v) = mari
                .get(&format!("/v1/pull?after=0&limit=100&ack={ack}"))
                .await;
            assert_eq!(status, StatusCode::OK, "pull: {v}");
            v
        }
    };
    let first = pull(0).await;
    assert_eq!(case_ids(first["snapshots"].as_array().expect("s")).len(), 0);
    let applied = first["page"].as_i64().expect("page");

    // A substitution begins: Mari's next pull sends Kati's cases whole. Its answer is lost (the
    // desk never applied it and names the page before): the cases come whole again.
    let (status, v) = lead
        .post(
            "/v1/team/substitutions",
            json!({"absent": "kati", "substitute": "mari",
                   "from": "2020-01-01", "to": "2099-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "substitute: {v}");
    let lost = pull(applied).await;
    assert_eq!(case_ids(lost["snapshots"].as_array().expect("s")).len(), 3);
    let again = pull(applied).await;
    assert_eq!(
        case_ids(again["snapshots"].as_array().expect("s")).len(),
        3,
        "the cases of a page never applied come whole again"
    );
    // Applied and confirmed: not again.
    let applied = again["page"].as_i64().expect("page");
    let settled = pull(applied).await;
    assert!(settled["snapshots"].as_array().expect("s").is_empty());
    assert!(settled["purges"].as_array().expect("p").is_empty());
    let applied = settled["page"].as_i64().expect("page");

    // The substitution ends: the purge's answer is lost too, and the purge comes again; once
    // confirmed, it does not.
    let subs = lead.get("/v1/team/substitutions").await.1;
    let id = subs["substitutions"][0]["id"].as_i64().expect("id");
    let (status, v) = lead
        .post(&format!("/v1/team/substitutions/{id}/cancel"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "cancel: {v}");
    let lost = pull(applied).await;
    assert_eq!(lost["purges"].as_array().expect("p").len(), 3);
    let again = pull(applied).await;
    assert_eq!(
        again["purges"].as_array().expect("p").len(),
        3,
        "the purges of a page never applied come again"
    );
    let done = pull(again["page"].as_i64().expect("page")).await;
    assert!(done["purges"].as_array().expect("p").is_empty());
    assert!(done["snapshots"].as_array().expect("s").is_empty());
    server.finish();
}
