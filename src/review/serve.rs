//! `review --serve`: the review page and its JSON API over HTTP on 127.0.0.1, for one person's
//! browser or a CI bot. Every request is checked before it is read (`guard`: the token, the
//! Host, the Origin); what is read is answered by `api`, off the async threads since it reads
//! files and compares images. With `--out`, the run's report and the files its relative links
//! reach are served read-only under `/report/<token>/` (`report_files` says which): relative
//! links keep the path's token, so no cookie is needed (a cookie would go to every port of
//! 127.0.0.1). Serves until dropped.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::HeaderValue;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::api::{Reply, ReviewState};
use super::guard::{host_allowed, origin_allowed, token_allowed, Carrier, Refused, Token};
use super::journal::Act;
use super::report_files::{content_type, read_confined};
use crate::snapshot::SnapshotStore;

const PAGE: &str = include_str!("page.html");

/// The largest request body read: a selection of ids with their versions.
const MAX_BODY: usize = 1 << 20;

/// What `review --serve` serves.
pub struct ServeOptions {
    pub store: SnapshotStore,
    pub filter: Option<String>,
    /// The run's output folder (`--out`), whose `report.html` and linked files are served.
    pub out: Option<PathBuf>,
    /// 0 picks a free port.
    pub port: u16,
}

/// A running review server; dropping it stops it.
pub struct ReviewServer {
    address: SocketAddr,
    token: Token,
    server: JoinHandle<()>,
}

impl ReviewServer {
    /// `http://127.0.0.1:PORT/?token=…`: the page, with the token every request needs.
    pub fn url(&self) -> String {
        format!("http://{}/?token={}", self.address, self.token.reveal())
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for ReviewServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

struct Shared {
    token: Token,
    port: u16,
    out: Option<PathBuf>,
    state: Mutex<ReviewState>,
}

/// Listens on 127.0.0.1 (never another interface) with a fresh token.
pub async fn start(options: ServeOptions) -> std::io::Result<ReviewServer> {
    let token = Token::fresh()?;
    let listener = TcpListener::bind(("127.0.0.1", options.port)).await?;
    let address = listener.local_addr()?;
    let shared = Arc::new(Shared {
        token: token.clone(),
        port: address.port(),
        out: options.out.clone(),
        state: Mutex::new(
            ReviewState::new(options.store, options.filter, options.out)
                .serving_report_at(format!("/report/{}", token.reveal())),
        ),
    });
    let server = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let shared = Arc::clone(&shared);
                    async move { Ok::<_, Infallible>(handle(request, shared).await) }
                });
                // A client that drops its connection mid-request is not the server's problem.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(ReviewServer {
        address,
        token,
        server,
    })
}

/// The query parameter `name`, percent-decoded.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn header<'a>(request: &'a Request<Incoming>, name: &str) -> Option<&'a str> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// Who may ask, before anything else is read; and how the token came.
fn admitted(request: &Request<Incoming>, shared: &Shared) -> Result<Carrier, Refused> {
    host_allowed(header(request, "host"), shared.port)?;
    origin_allowed(header(request, "origin"), shared.port)?;
    let query = query_value(request.uri().query(), "token");
    // A report file's token is its path's first segment, and only that.
    let path_token = request
        .uri()
        .path()
        .strip_prefix("/report/")
        .map(|rest| rest.split('/').next().unwrap_or_default());
    token_allowed(
        &shared.token,
        header(request, "x-review-token"),
        query.as_deref(),
        path_token,
    )
}

async fn handle(request: Request<Incoming>, shared: Arc<Shared>) -> Response<Full<Bytes>> {
    if let Err(refused) = admitted(&request, &shared) {
        return respond(Reply::error(StatusCode::FORBIDDEN, &refused.to_string()));
    }
    answer(request, &shared).await
}

/// The answer to an admitted request.
async fn answer(request: Request<Incoming>, shared: &Arc<Shared>) -> Response<Full<Bytes>> {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    // `/report/<token>/<relative>`: the token was checked by `admitted`.
    if let Some(rest) = path.strip_prefix("/report/") {
        let relative = rest
            .split_once('/')
            .map(|(_, relative)| relative)
            .unwrap_or_default();
        if method != Method::GET {
            return respond(Reply::error(
                StatusCode::METHOD_NOT_ALLOWED,
                "the report's files are read with GET",
            ));
        }
        return report_file(shared.out.clone(), relative.to_string()).await;
    }
    let query = request.uri().query().map(str::to_string);
    let json_body = header(&request, "content-type")
        .is_some_and(|kind| kind.trim().starts_with("application/json"));
    let act = match (&method, path.as_str()) {
        (&Method::GET, "/") => {
            return respond(Reply {
                status: StatusCode::OK,
                content_type: "text/html; charset=utf-8",
                body: PAGE.as_bytes().to_vec(),
            })
        }
        (&Method::GET, "/api/pending" | "/api/image") => None,
        (&Method::POST, "/api/accept") => Some(Some(Act::Accepted)),
        (&Method::POST, "/api/reject") => Some(Some(Act::Rejected)),
        (&Method::POST, "/api/undo") => Some(None),
        (_, "/" | "/api/pending" | "/api/image" | "/api/accept" | "/api/reject" | "/api/undo") => {
            return respond(Reply::error(
                StatusCode::METHOD_NOT_ALLOWED,
                "reads are GET; accept, reject and undo are POST with a JSON body",
            ))
        }
        _ => {
            return respond(Reply::error(
                StatusCode::NOT_FOUND,
                &format!("no route for {method} {path}"),
            ))
        }
    };
    // A change is asked for with JSON only: a form another page posts cannot send it.
    if act.is_some() && !json_body {
        return respond(Reply::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "accept, reject and undo take Content-Type: application/json",
        ));
    }
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return respond(Reply::error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is unreadable or larger than 1 MiB",
            ))
        }
    };
    let shared = Arc::clone(shared);
    let answered = tokio::task::spawn_blocking(move || {
        // A poisoned lock means an answer panicked; the journal itself is still consistent.
        let mut state = shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match (act, path.as_str()) {
            (Some(Some(act)), _) => state.act(act, &body),
            (Some(None), _) => state.undo(&body),
            (None, "/api/image") => {
                let id = query_value(query.as_deref(), "id").unwrap_or_default();
                let which = query_value(query.as_deref(), "which").unwrap_or_default();
                state.image(&id, &which)
            }
            (None, _) => state.pending(),
        }
    })
    .await;
    respond(answered.unwrap_or_else(|error| {
        Reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the answer failed: {error}"),
        )
    }))
}

/// `GET /report/<relative>`: a file of the output folder, or 404 with no file's content for
/// what is missing, refused, or asked without `--out`.
async fn report_file(out: Option<PathBuf>, relative: String) -> Response<Full<Bytes>> {
    let read = tokio::task::spawn_blocking(move || {
        let out = out.ok_or_else(|| "no --out was given: there is no report".to_string())?;
        let (path, body) =
            read_confined(&out, &relative).map_err(|unserved| unserved.to_string())?;
        let top_report = relative == "report.html";
        Ok::<_, String>((content_type(&path), body, top_report))
    })
    .await;
    match read {
        Ok(Ok((content_type, body, top_report))) => {
            let reply = Reply {
                status: StatusCode::OK,
                content_type,
                body,
            };
            let policy = if top_report {
                REPORT_POLICY
            } else {
                REPORT_FILE_POLICY
            };
            with_policy(respond(reply), policy, "SAMEORIGIN")
        }
        Ok(Err(why)) => respond(Reply::error(
            StatusCode::NOT_FOUND,
            &format!("not served: {why}"),
        )),
        Err(error) => respond(Reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the answer failed: {error}"),
        )),
    }
}

/// The review page's policy: its own inline script, and requests to this server only.
const PAGE_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// report.html's: its images, its overlay slider's inline script, a trace in a frame; no request
/// a script could make (`connect-src 'none'`), so nothing in a report can call the API.
const REPORT_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'none'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// Every other file of the folder (a trace, a failed page's saved HTML shown in the trace's
/// frame): no script at all, since a saved console page is not ours.
const REPORT_FILE_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; connect-src 'none'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// `response` with another content security policy and framing rule than the page's.
fn with_policy(
    mut response: Response<Full<Bytes>>,
    policy: &'static str,
    frame_options: &'static str,
) -> Response<Full<Bytes>> {
    let headers = response.headers_mut();
    headers.insert("content-security-policy", HeaderValue::from_static(policy));
    headers.insert("x-frame-options", HeaderValue::from_static(frame_options));
    response
}

fn respond(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    for (name, value) in [
        ("cache-control", "no-store"),
        // The token is in the page's URL: no other site is told it.
        ("referrer-policy", "no-referrer"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("content-security-policy", PAGE_POLICY),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
