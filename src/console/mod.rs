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

pub use state::{ConsoleConfig, Fault, Product};
use state::{ConsoleState, Refusal};

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const LOGO_SVG: &str = include_str!("assets/logo.svg");

/// A running reference console. Dropping it stops the server.
pub struct RunningConsole {
    address: SocketAddr,
    server: JoinHandle<()>,
    /// Over https: the fresh CA that signed the console's certificate, as a real install's
    /// self-signed set-up would have it.
    ca_pem: Option<String>,
}

impl RunningConsole {
    /// The console URL as users know it: `http://127.0.0.1:PORT/system` (or https).
    pub fn url(&self) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}/system", self.address)
    }

    /// The CA certificate (PEM) of a console served over https.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
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
    serve(config, port, None).await
}

/// Like [`start`], over https with a certificate for 127.0.0.1 signed by a CA made for this
/// console alone (no browser trusts it, as with a fresh self-hosted install).
pub async fn start_https(config: ConsoleConfig, port: u16) -> std::io::Result<RunningConsole> {
    let (ca_pem, server_config) = fresh_certificate().map_err(std::io::Error::other)?;
    serve(config, port, Some((ca_pem, Arc::new(server_config)))).await
}

/// A CA and a certificate for 127.0.0.1 and localhost signed by it, made now.
fn fresh_certificate() -> Result<(String, rustls::ServerConfig), String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let failed = |error: rcgen::Error| error.to_string();
    let ca_key = KeyPair::generate().map_err(failed)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Palette reference console CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = ca_params.self_signed(&ca_key).map_err(failed)?;
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().map_err(failed)?;
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .map_err(failed)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "palette.example.com");
    let certificate = params.signed_by(&key, &issuer).map_err(failed)?;
    let private_key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der())
        .map_err(|error| error.to_string())?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.der().clone(), ca.der().clone()],
            private_key,
        )
        .map_err(|error| error.to_string())?;
    Ok((ca.pem(), config))
}

async fn serve(
    config: ConsoleConfig,
    port: u16,
    tls: Option<(String, Arc<rustls::ServerConfig>)>,
) -> std::io::Result<RunningConsole> {
    let (ca_pem, acceptor) = match tls {
        Some((pem, config)) => (Some(pem), Some(tokio_rustls::TlsAcceptor::from(config))),
        None => (None, None),
    };
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
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let state = Arc::clone(&state);
                    async move { Ok::<_, Infallible>(handle(request, &state).await) }
                });
                // A browser that drops a connection mid-request (or refuses the certificate)
                // is not the console's problem.
                let http = hyper::server::conn::http1::Builder::new();
                match acceptor {
                    None => {
                        let _ = http.serve_connection(TokioIo::new(stream), service).await;
                    }
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            let _ = http.serve_connection(TokioIo::new(stream), service).await;
                        }
                    }
                }
            });
        }
    });
    Ok(RunningConsole {
        address,
        server,
        ca_pem,
    })
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
        Refusal::NoSuchRegistry(name) => (
            StatusCode::NOT_FOUND,
            "NoSuchRegistry",
            format!("There is no pack registry named {name}."),
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
            let (product, renames) = {
                let state = lock();
                let renames: serde_json::Map<String, serde_json::Value> = state
                    .renames()
                    .iter()
                    .map(|(old, new)| (old.clone(), serde_json::Value::String(new.clone())))
                    .collect();
                (
                    state.product().name(),
                    serde_json::Value::Object(renames).to_string(),
                )
            };
            let html = INDEX_HTML
                .replace(
                    "data-renames=\"{}\"",
                    &format!("data-renames=\"{}\"", crate::html::escape(&renames)),
                )
                .replace(
                    "data-product=\"Palette\"",
                    &format!("data-product=\"{product}\""),
                )
                .replace(
                    "<title>Palette System Console",
                    &format!("<title>{product} System Console"),
                );
            reply(StatusCode::OK, "text/html; charset=utf-8", html)
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
        (&Method::GET, "/v1/system/registries") => json(
            StatusCode::OK,
            &serde_json::json!({ "registries": lock().registries(now) }),
        ),
        (&Method::POST, sync_path)
            if sync_path.starts_with("/v1/system/registries/") && sync_path.ends_with("/sync") =>
        {
            let name = sync_path
                .trim_start_matches("/v1/system/registries/")
                .trim_end_matches("/sync");
            match lock().sync_registry(name, now) {
                Ok(()) => reply(StatusCode::ACCEPTED, "text/plain", ""),
                Err(refused) => refusal(refused),
            }
        }
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
