//! The reference console: an imitation of the self-hosted Palette system console, built from the
//! facts in the project's research notes, served over real HTTP on loopback under `/system`.
//!
//! It is the default target of `palette-harness run` and of the tests. It owns the server and its
//! embedded assets; all rules about sessions, versions, layers and the lock live in [`state`].
//! It does not know the harness exists: nothing here may help a scenario find an element.

pub mod packs;
pub mod state;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use state::{ConsoleConfig, Fault};
use state::{ConsoleState, Refusal};

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const LOGO_SVG: &str = include_str!("assets/logo.svg");

impl ConsoleConfig {
    /// The `console` command's settings; credentials from `PALETTE_USERNAME` and
    /// `PALETTE_PASSWORD`, admin/admin by default.
    pub fn from_args(
        args: &crate::cli::ConsoleArgs,
        environment: impl Fn(&str) -> Option<String>,
    ) -> Result<ConsoleConfig, String> {
        let fault = args
            .fault
            .as_deref()
            .map(str::parse::<Fault>)
            .transpose()
            .map_err(|error| format!("--fault: {error}"))?;
        Ok(ConsoleConfig {
            from_version: args.from.clone(),
            to_version: args.to.clone(),
            lock_duration: std::time::Duration::from_secs(args.lock_seconds),
            username: environment(crate::settings::USERNAME_VARIABLE)
                .unwrap_or_else(|| "admin".to_string()),
            password: environment(crate::settings::PASSWORD_VARIABLE)
                .unwrap_or_else(|| "admin".to_string()),
            fault,
        })
    }
}

/// A running reference console. Dropping it stops the server.
pub struct RunningConsole {
    address: SocketAddr,
    server: JoinHandle<()>,
}

impl RunningConsole {
    /// The console URL as users know it: `http://127.0.0.1:PORT/system`.
    pub fn url(&self) -> String {
        format!("http://{}/system", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for RunningConsole {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Starts a console on `127.0.0.1:port` (0 picks a free port) and serves it in the background.
pub async fn start(config: ConsoleConfig, port: u16) -> std::io::Result<RunningConsole> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let address = listener.local_addr()?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos() as u64)
        .unwrap_or(0)
        ^ u64::from(address.port());
    let state = Arc::new(Mutex::new(ConsoleState::new(config, seed)));
    let server = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let state = Arc::clone(&state);
                    async move { Ok::<_, Infallible>(handle(request, &state).await) }
                });
                // A browser that drops a connection mid-request is not the console's problem.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(RunningConsole { address, server })
}

type Reply = Response<Full<Bytes>>;

fn reply(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn json(status: StatusCode, value: &impl serde::Serialize) -> Reply {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    reply(status, "application/json", body)
}

fn refusal(refusal: Refusal) -> Reply {
    let (status, code, message) = match refusal {
        Refusal::NotLoggedIn => (
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Your session has ended. Log in again.".to_string(),
        ),
        Refusal::WrongCredentials => (
            StatusCode::UNAUTHORIZED,
            "InvalidCredentials",
            "Invalid username or password.".to_string(),
        ),
        Refusal::Locked { remaining } => (
            StatusCode::LOCKED,
            "SystemLocked",
            format!(
                "The system console is locked while the upgrade is applied ({}s left).",
                remaining.as_secs()
            ),
        ),
        Refusal::NoSuchUpdate => (
            StatusCode::CONFLICT,
            "NoSuchUpdate",
            "That version is not offered.".to_string(),
        ),
        Refusal::UnknownLayer(kind) => (
            StatusCode::BAD_REQUEST,
            "UnknownLayer",
            format!("The profile has no {kind} layer."),
        ),
        Refusal::NotReady(message) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceNotReady",
            message.to_string(),
        ),
    };
    json(
        status,
        &serde_json::json!({ "code": code, "message": message }),
    )
}

async fn read_json<T: serde::de::DeserializeOwned>(request: Request<Incoming>) -> Result<T, Reply> {
    let body = request
        .into_body()
        .collect()
        .await
        .map_err(|_| {
            json(
                StatusCode::BAD_REQUEST,
                &serde_json::json!({"message": "unreadable body"}),
            )
        })?
        .to_bytes();
    serde_json::from_slice(&body).map_err(|error| {
        json(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({"message": error.to_string()}),
        )
    })
}

#[derive(serde::Deserialize)]
struct LoginRequest {
    username: String,
    password: String,
}

#[derive(serde::Deserialize)]
struct ConfirmRequest {
    version: String,
    layers: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct SaveLayerRequest {
    values: String,
}

async fn handle(request: Request<Incoming>, state: &Mutex<ConsoleState>) -> Reply {
    let now = Instant::now();
    let path = request.uri().path().to_string();
    let token = request
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let method = request.method().clone();

    // A poisoned lock means a handler panicked; the state itself is still consistent.
    let lock = || {
        state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };

    match (&method, path.as_str()) {
        (&Method::GET, "/") => {
            let mut response = reply(StatusCode::FOUND, "text/plain", "");
            response
                .headers_mut()
                .insert(LOCATION, HeaderValue::from_static("/system"));
            response
        }
        (&Method::GET, "/system/assets/app.js") => {
            reply(StatusCode::OK, "text/javascript; charset=utf-8", APP_JS)
        }
        (&Method::GET, "/system/assets/app.css") => {
            reply(StatusCode::OK, "text/css; charset=utf-8", APP_CSS)
        }
        (&Method::GET, "/system/assets/logo.svg") => {
            reply(StatusCode::OK, "image/svg+xml", LOGO_SVG)
        }
        (&Method::GET, "/favicon.ico") => reply(StatusCode::OK, "image/svg+xml", LOGO_SVG),
        (&Method::GET, page) if page == "/system" || page.starts_with("/system/") => {
            reply(StatusCode::OK, "text/html; charset=utf-8", INDEX_HTML)
        }
        (&Method::POST, "/v1/auth/syslogin") => {
            let login: LoginRequest = match read_json(request).await {
                Ok(login) => login,
                Err(response) => return response,
            };
            match lock().login(&login.username, &login.password, now) {
                Ok(token) => json(
                    StatusCode::OK,
                    &serde_json::json!({"Authorization": token, "IsPasswordReset": true}),
                ),
                Err(refused) => refusal(refused),
            }
        }
        (&Method::POST, "/v1/auth/syslogout") => {
            if let Some(token) = token {
                lock().logout(&token);
            }
            reply(StatusCode::NO_CONTENT, "text/plain", "")
        }
        (&Method::GET, "/v1/system/lock") => json(StatusCode::OK, &lock().lock_status(now)),
        _ => {
            let authorization = lock().authorize(token.as_deref(), now);
            if let Err(refused) = authorization {
                return refusal(refused);
            }
            authorized(method, &path, request, state, now).await
        }
    }
}

async fn authorized(
    method: Method,
    path: &str,
    request: Request<Incoming>,
    state: &Mutex<ConsoleState>,
    now: Instant,
) -> Reply {
    let lock = || {
        state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    match (&method, path) {
        (&Method::GET, "/v1/system/summary") => json(StatusCode::OK, &lock().summary()),
        (&Method::GET, "/v1/system/profile") => {
            let mut state = lock();
            match state.profile() {
                Ok(layers) => json(StatusCode::OK, &serde_json::json!({ "layers": layers })),
                Err(refused) => refusal(refused),
            }
        }
        (&Method::GET, "/v1/system/updates") => json(StatusCode::OK, &lock().update_offer()),
        (&Method::POST, "/v1/system/updates/apply") => {
            let confirm: ConfirmRequest = match read_json(request).await {
                Ok(confirm) => confirm,
                Err(response) => return response,
            };
            match lock().confirm_update(&confirm.version, confirm.layers, now) {
                Ok(duration) => json(
                    StatusCode::ACCEPTED,
                    &serde_json::json!({ "lockSeconds": duration.as_secs_f64() }),
                ),
                Err(refused) => refusal(refused),
            }
        }
        (&Method::PUT, layer_path) if layer_path.starts_with("/v1/system/profile/layers/") => {
            let kind = layer_path
                .trim_start_matches("/v1/system/profile/layers/")
                .to_string();
            let save: SaveLayerRequest = match read_json(request).await {
                Ok(save) => save,
                Err(response) => return response,
            };
            match lock().save_layer(&kind, save.values) {
                Ok(()) => reply(StatusCode::NO_CONTENT, "text/plain", ""),
                Err(refused) => refusal(refused),
            }
        }
        _ => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"message": format!("no route for {method} {path}")}),
        ),
    }
}
