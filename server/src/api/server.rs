//! Router and server.

use super::*;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/join", post(join))
        .route("/v1/me", get(me))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/manager/rows", get(manager_rows))
        .route("/v1/numbers", post(numbers))
        .route("/v1/cases/open", post(open_case))
        .route("/v1/conflicts", get(conflicts))
        .route("/v1/conflicts/{id}/resolve", post(resolve))
        .route("/v1/audit", post(audit_upload))
        .route("/v1/files", post(file_upload))
        .route("/v1/files/{row_id}", get(file_download))
        .route("/v1/events", get(events))
        .route("/v1/team/members", get(team_members))
        .route("/v1/team/invite", post(team_invite))
        .route("/v1/team/devices", get(team_devices))
        .route("/v1/team/devices/{id}/revoke", post(team_revoke))
        .route(
            "/v1/team/substitutions",
            get(team_substitutions).post(team_substitute),
        )
        .route(
            "/v1/team/substitutions/{id}/cancel",
            post(team_cancel_substitution),
        )
        .route("/v1/team/reassign", post(team_reassign))
        .route("/v1/team/settings", post(team_settings))
        .route("/v1/team/owners", get(team_owner_changes))
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// One line per request: method, path (ids only), status, duration.
pub(super) async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let start = Instant::now();
    let resp = next.run(req).await;
    info!(
        method = %method,
        path = %path,
        status = resp.status().as_u16(),
        ms = start.elapsed().as_millis() as u64,
        "request"
    );
    resp
}

pub async fn serve(
    database_url: &str,
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
    pool_size: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    // TLS to PostgreSQL by the URL's sslmode, for the pool and the LISTEN connection alike.
    let target = crate::pg_tls::Target::from_url(database_url)?;
    crate::pg_tls::serving(&target);
    let manager = Manager::from_config(
        target.config.clone(),
        target.tls.clone(),
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager).max_size(pool_size).build()?;
    let (events, _) = broadcast::channel(256);
    let faults = Faults {
        pause_push_at: std::env::var("SRT_FAULT_PUSH_PAUSE_AT")
            .ok()
            .and_then(|v| v.parse().ok()),
        hold_reply: std::env::var("SRT_FAULT_PUSH_HOLD_REPLY").is_ok_and(|v| v == "1"),
    };
    if faults.pause_push_at.is_some() || faults.hold_reply {
        warn!("fault injection is on (a test run)");
    }
    let state = AppState {
        pool,
        events: events.clone(),
        faults: Arc::new(faults),
    };
    tokio::spawn(listen_for_changes(target, events));

    let handle = axum_server::Handle::new();
    {
        let handle = handle.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            info!("shutting down");
            handle.graceful_shutdown(Some(Duration::from_secs(10)));
        });
    }
    {
        let handle = handle.clone();
        let with_tls = tls.is_some();
        tokio::spawn(async move {
            if let Some(addr) = handle.listening().await {
                info!(addr = %addr, tls = with_tls, "listening");
            }
        });
    }
    let app = router(state).into_make_service();
    match tls {
        Some((cert, key)) => {
            // ring: rustls' provider that builds without cmake or a C toolchain of its own
            // (rustls marks it deprecated for lacking post-quantum key exchange).
            #[allow(deprecated)]
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| format!("cannot read the TLS certificate or key: {e}"))?;
            axum_server::bind_rustls(listen, config)
                .handle(handle)
                .serve(app)
                .await?;
        }
        None => {
            warn!("TLS is off: only behind a proxy that terminates TLS");
            axum_server::bind(listen).handle(handle).serve(app).await?;
        }
    }
    Ok(())
}

pub(super) async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let term = async move {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// LISTEN srt_changes on a connection of its own and hand each notification, read once, to the
/// server-sent event streams; reconnects after a loss.
pub(super) async fn listen_for_changes(
    target: crate::pg_tls::Target,
    events: broadcast::Sender<Arc<Note>>,
) {
    loop {
        match target.config.connect(target.tls.clone()).await {
            Ok((client, mut connection)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(message) = messages.next().await {
                        match message {
                            Ok(AsyncMessage::Notification(n)) => {
                                if tx.send(n.payload().to_string()).is_err() {
                                    break;
                                }
                            }
                            Ok(_) => {}
                            Err(e) => {
                                warn!(error = %describe(&e), "notification connection lost");
                                break;
                            }
                        }
                    }
                });
                match client.batch_execute("LISTEN srt_changes").await {
                    Ok(()) => {
                        info!("listening for changes");
                        while let Some(payload) = rx.recv().await {
                            if let Some(note) = Note::parse(&payload) {
                                let _ = events.send(Arc::new(note));
                            }
                        }
                    }
                    Err(e) => warn!(error = %describe(&e), "LISTEN failed"),
                }
                driver.abort();
            }
            Err(e) => warn!(error = %target.explain(&e), "cannot connect for notifications"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
