//! The reference console's server-side state and every rule it follows: who is logged in, which
//! version runs, what each profile layer holds, and the upgrade lock.
//!
//! Pure: time comes in as an argument, nothing here touches the network, so the upgrade rules are
//! unit-tested without a server.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use super::packs::{self, Layer};

/// How a console instance is set up; one per `palette-harness console` or embedded run.
#[derive(Clone, Debug)]
pub struct ConsoleConfig {
    pub from_version: String,
    pub to_version: String,
    pub lock_duration: Duration,
    pub username: String,
    pub password: String,
    pub fault: Option<Fault>,
    /// Palette or Palette VerteX: the product name every page says.
    pub product: Product,
    /// An airgap installation: Update Management offers the new version only after the
    /// **spectro-packs** registry was synced (**Administration** > **Pack Registries**).
    pub airgap: bool,
    /// How long a registry sync takes.
    pub sync_duration: Duration,
    /// Labels the console shows under other names (`--rename Update=Upgrade`): a UI that
    /// renamed a label since the baselines were recorded.
    pub renames: Vec<(String, String)>,
}

/// Which product the console is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Product {
    #[default]
    Palette,
    Vertex,
}

impl Product {
    /// As the guides write it: `Palette`, `Palette VerteX`.
    pub fn name(self) -> &'static str {
        match self {
            Product::Palette => "Palette",
            Product::Vertex => "Palette VerteX",
        }
    }
}

/// A `--product` value that names no product.
#[derive(Debug, thiserror::Error)]
#[error("unknown product `{0}`; known: palette, vertex")]
pub struct UnknownProduct(String);

impl std::str::FromStr for Product {
    type Err = UnknownProduct;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "palette" => Ok(Product::Palette),
            "vertex" => Ok(Product::Vertex),
            other => Err(UnknownProduct(other.to_string())),
        }
    }
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        ConsoleConfig {
            from_version: "4.8.21".to_string(),
            to_version: "4.8.33".to_string(),
            lock_duration: Duration::from_secs(8),
            username: "admin".to_string(),
            password: "admin".to_string(),
            fault: None,
            product: Product::Palette,
            airgap: false,
            sync_duration: Duration::from_secs(3),
            renames: Vec::new(),
        }
    }
}

/// A deliberate defect, so that tests can prove the harness notices a broken console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The console locks and unlocks as usual but never applies the upgrade.
    SilentlySkipUpgrade,
    /// The Summary page words its health message differently (a UI change a snapshot catches).
    RewordedSummary,
    /// The first request for the Enterprise Cluster profile fails with a transient error, as a
    /// console still warming up does; every later one succeeds (a flaky step a retry recovers).
    FlakyProfile,
    /// Confirm locks the console and it never unlocks.
    NeverUnlock,
    /// The lock ends with the upgrade failed: the old version stays, and the console says why
    /// in an error banner.
    UpgradeError,
}

/// A `--fault` value that names no fault.
#[derive(Debug, thiserror::Error)]
#[error("unknown fault `{0}`; known: skip-upgrade, reworded-summary, flaky-profile, never-unlock, upgrade-error")]
pub struct UnknownFault(String);

impl std::str::FromStr for Fault {
    type Err = UnknownFault;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "skip-upgrade" => Ok(Fault::SilentlySkipUpgrade),
            "reworded-summary" => Ok(Fault::RewordedSummary),
            "flaky-profile" => Ok(Fault::FlakyProfile),
            "never-unlock" => Ok(Fault::NeverUnlock),
            "upgrade-error" => Ok(Fault::UpgradeError),
            other => Err(UnknownFault(other.to_string())),
        }
    }
}

/// Why an API call was refused; the server maps each to an HTTP status.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 401: no session, or the session ended (the upgrade ends every session).
    NotLoggedIn,
    /// 401 on the login call itself.
    WrongCredentials,
    /// 423: the console is locked while an upgrade is applied.
    Locked { remaining: Duration },
    /// 409: nothing to update, or the request names another version.
    NoSuchUpdate,
    /// 400: a layer the profile does not have.
    UnknownLayer(String),
    /// 503: a service behind the console is not ready yet; the same request succeeds later.
    NotReady(&'static str),
    /// 404: no registry of that name.
    NoSuchRegistry(String),
}

/// An upgrade being applied while the console is locked.
#[derive(Debug)]
struct UpgradeInProgress {
    started: Instant,
    until: Instant,
    target_version: String,
    /// Each layer kind with the values that were in **Current configuration** at Confirm.
    confirmed_values: BTreeMap<String, String>,
}

#[derive(Debug)]
pub struct ConsoleState {
    config: ConsoleConfig,
    version: String,
    layers: Vec<Layer>,
    sessions: HashSet<String>,
    upgrade: Option<UpgradeInProgress>,
    issued_tokens: u64,
    token_seed: u64,
    profile_requests: u64,
    /// Why the last upgrade failed, shown until the next one.
    upgrade_error: Option<String>,
    registry: RegistrySync,
}

/// The **spectro-packs** registry's sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RegistrySync {
    /// Not synced since the installation (an airgap console knows of no update yet).
    NotSynced,
    Syncing {
        until: Instant,
    },
    Synced,
}

/// A row of **Administration** > **Pack Registries**.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Registry {
    pub name: String,
    pub endpoint: String,
    /// `Ready`, `Syncing`, `Synced`.
    pub status: String,
    pub last_synced: String,
}

/// What the Summary page shows.
#[derive(Debug, serde::Serialize)]
pub struct Summary {
    /// The health message as the Summary page words it.
    pub health_message: String,
    /// Why the last upgrade failed, shown as an error banner.
    pub upgrade_error: Option<String>,
    pub version: String,
    pub latest_version: String,
    pub update_available: bool,
    pub healthy: bool,
    pub kubernetes_version: String,
    pub tenants: u32,
    pub nodes_healthy: u32,
    pub nodes_total: u32,
}

/// What Update Management offers, with the preview the **Palette version update** dialog shows.
#[derive(Debug, serde::Serialize)]
pub struct UpdateOffer {
    pub current_version: String,
    pub available_version: Option<String>,
    /// For each layer: the incoming layer and the installed values (the Current configuration).
    pub layers: Vec<LayerPreview>,
}

#[derive(Debug, serde::Serialize)]
pub struct LayerPreview {
    pub incoming: Layer,
    pub current_values: String,
}

/// Progress of the lock, for the lock screen.
#[derive(Debug, serde::Serialize)]
pub struct LockStatus {
    pub locked: bool,
    pub target_version: Option<String>,
    pub elapsed_seconds: f64,
    pub total_seconds: f64,
    /// Once unlocked: why the upgrade failed, if it did.
    pub error: Option<String>,
}

impl ConsoleState {
    pub fn new(config: ConsoleConfig, token_seed: u64) -> Self {
        ConsoleState {
            version: config.from_version.clone(),
            layers: packs::installed_layers(&config.from_version),
            config,
            sessions: HashSet::new(),
            upgrade: None,
            issued_tokens: 0,
            token_seed,
            profile_requests: 0,
            upgrade_error: None,
            registry: RegistrySync::NotSynced,
        }
    }

    /// Applies a finished upgrade. Every entry point calls this first, so the console unlocks on
    /// the first request after the lock ends.
    pub fn tick(&mut self, now: Instant) {
        if let RegistrySync::Syncing { until } = self.registry {
            if now >= until {
                self.registry = RegistrySync::Synced;
            }
        }
        let finished = matches!(&self.upgrade, Some(upgrade) if now >= upgrade.until);
        if !finished {
            return;
        }
        let Some(upgrade) = self.upgrade.take() else {
            return;
        };
        // The upgrade ends every session: the user logs in again, as the guide's Validate says.
        self.sessions.clear();
        if self.config.fault == Some(Fault::SilentlySkipUpgrade) {
            return;
        }
        if self.config.fault == Some(Fault::UpgradeError) {
            self.upgrade_error = Some(format!(
                "The upgrade to {} failed: the Enterprise Cluster did not become healthy, and Palette {} was restored. Contact support.",
                upgrade.target_version, self.version
            ));
            return;
        }
        let incoming = packs::incoming_layers(&upgrade.target_version);
        for layer in &mut self.layers {
            if let Some(new_layer) = incoming
                .iter()
                .find(|candidate| candidate.kind == layer.kind)
            {
                layer.version = new_layer.version;
                layer.pack = new_layer.pack;
            }
            if let Some(values) = upgrade.confirmed_values.get(layer.kind) {
                layer.values = values.clone();
            }
        }
        self.version = upgrade.target_version;
    }

    pub fn login(
        &mut self,
        username: &str,
        password: &str,
        now: Instant,
    ) -> Result<String, Refusal> {
        self.tick(now);
        if let Some(remaining) = self.lock_remaining(now) {
            return Err(Refusal::Locked { remaining });
        }
        if username != self.config.username || password != self.config.password {
            return Err(Refusal::WrongCredentials);
        }
        self.issued_tokens += 1;
        let token = format!(
            "{:016x}{:016x}",
            self.token_seed,
            self.issued_tokens.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        );
        self.sessions.insert(token.clone());
        Ok(token)
    }

    pub fn logout(&mut self, token: &str) {
        self.sessions.remove(token);
    }

    /// Checks a request's session; the lock takes precedence, as on the real console.
    pub fn authorize(&mut self, token: Option<&str>, now: Instant) -> Result<(), Refusal> {
        self.tick(now);
        if let Some(remaining) = self.lock_remaining(now) {
            return Err(Refusal::Locked { remaining });
        }
        match token {
            Some(token) if self.sessions.contains(token) => Ok(()),
            _ => Err(Refusal::NotLoggedIn),
        }
    }

    fn lock_remaining(&self, now: Instant) -> Option<Duration> {
        self.upgrade
            .as_ref()
            .map(|upgrade| upgrade.until.saturating_duration_since(now))
    }

    fn available_version(&self) -> Option<&str> {
        // An airgap console learns of a new version from its synced registry.
        if self.config.airgap && self.registry != RegistrySync::Synced {
            return None;
        }
        (self.version != self.config.to_version).then_some(self.config.to_version.as_str())
    }

    pub fn product(&self) -> Product {
        self.config.product
    }

    /// The labels shown under other names, old to new.
    pub fn renames(&self) -> &[(String, String)] {
        &self.config.renames
    }

    /// The rows of **Pack Registries**.
    pub fn registries(&mut self, now: Instant) -> Vec<Registry> {
        self.tick(now);
        let (status, last_synced) = match self.registry {
            RegistrySync::NotSynced => ("Ready", "—"),
            RegistrySync::Syncing { .. } => ("Syncing", "in progress"),
            RegistrySync::Synced => ("Synced", "just now"),
        };
        vec![Registry {
            name: "spectro-packs".to_string(),
            endpoint: if self.config.airgap {
                "https://airgap-support.local:5000".to_string()
            } else {
                "https://registry.spectrocloud.com".to_string()
            },
            status: status.to_string(),
            last_synced: last_synced.to_string(),
        }]
    }

    /// **three-dot Menu** > **Sync** on a registry row: the sync runs for `sync_duration`.
    pub fn sync_registry(&mut self, name: &str, now: Instant) -> Result<(), Refusal> {
        self.tick(now);
        if name != "spectro-packs" {
            return Err(Refusal::NoSuchRegistry(name.to_string()));
        }
        if !matches!(self.registry, RegistrySync::Syncing { .. }) {
            self.registry = RegistrySync::Syncing {
                until: now + self.config.sync_duration,
            };
        }
        Ok(())
    }

    pub fn summary(&self) -> Summary {
        let health_message = if self.config.fault == Some(Fault::RewordedSummary) {
            "On-prem system console is healthy and all services are running"
        } else {
            "On-prem system console is healthy"
        };
        Summary {
            health_message: health_message.to_string(),
            upgrade_error: self.upgrade_error.clone(),
            version: self.version.clone(),
            latest_version: self.config.to_version.clone(),
            update_available: self.available_version().is_some(),
            healthy: true,
            kubernetes_version: packs::kubernetes_version_for(&self.version).to_string(),
            tenants: 0,
            nodes_healthy: 3,
            nodes_total: 3,
        }
    }

    /// The profile layers; under the `flaky-profile` fault the first request is refused.
    pub fn profile(&mut self) -> Result<&[Layer], Refusal> {
        self.profile_requests += 1;
        if self.config.fault == Some(Fault::FlakyProfile) && self.profile_requests == 1 {
            return Err(Refusal::NotReady(
                "The cluster profile service is starting. Try again.",
            ));
        }
        Ok(&self.layers)
    }

    pub fn update_offer(&self) -> UpdateOffer {
        let available_version = self.available_version().map(str::to_string);
        let layers = if available_version.is_some() {
            packs::incoming_layers(&self.config.to_version)
                .into_iter()
                .map(|incoming| {
                    let current_values = self
                        .layers
                        .iter()
                        .find(|layer| layer.kind == incoming.kind)
                        .map(|layer| layer.values.clone())
                        .unwrap_or_default();
                    LayerPreview {
                        incoming,
                        current_values,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        UpdateOffer {
            current_version: self.version.clone(),
            available_version,
            layers,
        }
    }

    /// **Confirm** in the **Palette version update** dialog: locks the console for the configured
    /// time; the upgrade is applied when the lock ends.
    pub fn confirm_update(
        &mut self,
        version: &str,
        confirmed_values: BTreeMap<String, String>,
        now: Instant,
    ) -> Result<Duration, Refusal> {
        if self.available_version() != Some(version) {
            return Err(Refusal::NoSuchUpdate);
        }
        if let Some(kind) = confirmed_values
            .keys()
            .find(|kind| !self.layers.iter().any(|layer| layer.kind == kind.as_str()))
        {
            return Err(Refusal::UnknownLayer(kind.clone()));
        }
        let lock = if self.config.fault == Some(Fault::NeverUnlock) {
            Duration::from_secs(10 * 365 * 24 * 3600)
        } else {
            self.config.lock_duration
        };
        self.upgrade_error = None;
        self.upgrade = Some(UpgradeInProgress {
            started: now,
            until: now + lock,
            target_version: version.to_string(),
            confirmed_values,
        });
        Ok(lock)
    }

    pub fn lock_status(&mut self, now: Instant) -> LockStatus {
        self.tick(now);
        match &self.upgrade {
            Some(upgrade) => LockStatus {
                locked: true,
                target_version: Some(upgrade.target_version.clone()),
                elapsed_seconds: now.saturating_duration_since(upgrade.started).as_secs_f64(),
                total_seconds: upgrade.until.duration_since(upgrade.started).as_secs_f64(),
                error: None,
            },
            None => LockStatus {
                locked: false,
                target_version: None,
                elapsed_seconds: 0.0,
                total_seconds: 0.0,
                error: self.upgrade_error.clone(),
            },
        }
    }

    /// **Save** on a layer in the Profile tab.
    pub fn save_layer(&mut self, kind: &str, values: String) -> Result<(), Refusal> {
        let layer = self
            .layers
            .iter_mut()
            .find(|layer| layer.kind == kind)
            .ok_or_else(|| Refusal::UnknownLayer(kind.to_string()))?;
        layer.values = values;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console(fault: Option<Fault>) -> (ConsoleState, Instant) {
        let config = ConsoleConfig {
            lock_duration: Duration::from_secs(60),
            fault,
            ..ConsoleConfig::default()
        };
        (ConsoleState::new(config, 7), Instant::now())
    }

    #[test]
    fn an_airgap_console_offers_the_update_once_its_registry_sync_has_finished() {
        let config = ConsoleConfig {
            airgap: true,
            sync_duration: Duration::from_secs(3),
            renames: Vec::new(),
            ..ConsoleConfig::default()
        };
        let mut state = ConsoleState::new(config, 7);
        let now = Instant::now();
        assert_eq!(state.update_offer().available_version, None);
        assert_eq!(state.registries(now)[0].status, "Ready");
        assert_eq!(
            state.sync_registry("other-registry", now),
            Err(Refusal::NoSuchRegistry("other-registry".to_string()))
        );
        state.sync_registry("spectro-packs", now).unwrap();
        assert_eq!(state.registries(now)[0].status, "Syncing");
        assert_eq!(
            state.update_offer().available_version,
            None,
            "not while syncing"
        );
        let later = now + Duration::from_secs(3);
        assert_eq!(state.registries(later)[0].status, "Synced");
        assert_eq!(
            state.update_offer().available_version.as_deref(),
            Some("4.8.33")
        );
    }

    #[test]
    fn a_connected_console_offers_the_update_without_a_sync() {
        let (state, _) = console(None);
        assert_eq!(
            state.update_offer().available_version.as_deref(),
            Some("4.8.33")
        );
        assert_eq!(Product::Vertex.name(), "Palette VerteX");
        assert_eq!("vertex".parse::<Product>().ok(), Some(Product::Vertex));
    }

    #[test]
    fn login_with_the_configured_credentials_opens_a_session() {
        let (mut state, now) = console(None);
        assert_eq!(
            state.login("admin", "wrong", now),
            Err(Refusal::WrongCredentials)
        );
        let token = state.login("admin", "admin", now).expect("login");
        assert_eq!(state.authorize(Some(&token), now), Ok(()));
        assert_eq!(
            state.authorize(Some("forged"), now),
            Err(Refusal::NotLoggedIn)
        );
    }

    #[test]
    fn confirm_locks_the_console_then_applies_the_confirmed_values_and_ends_sessions() {
        let (mut state, now) = console(None);
        let token = state.login("admin", "admin", now).expect("login");
        let mut values = BTreeMap::new();
        values.insert("Kubernetes".to_string(), "podCIDR: merged".to_string());
        state
            .confirm_update("4.8.33", values, now)
            .expect("confirm");

        let during = now + Duration::from_secs(30);
        assert!(matches!(
            state.authorize(Some(&token), during),
            Err(Refusal::Locked { .. })
        ));
        assert!(state.lock_status(during).locked);

        let after = now + Duration::from_secs(61);
        assert_eq!(
            state.authorize(Some(&token), after),
            Err(Refusal::NotLoggedIn)
        );
        let summary = state.summary();
        assert_eq!(summary.version, "4.8.33");
        assert!(!summary.update_available);
        let kubernetes = state
            .profile()
            .expect("the profile")
            .iter()
            .find(|layer| layer.kind == "Kubernetes")
            .unwrap();
        assert_eq!(kubernetes.values, "podCIDR: merged");
        let calico = state
            .profile()
            .expect("the profile")
            .iter()
            .find(|layer| layer.kind == "CNI")
            .unwrap();
        assert_eq!(calico.version, "3.29.4");
    }

    #[test]
    fn the_flaky_profile_fault_refuses_only_the_first_request() {
        let (mut state, _) = console(Some(Fault::FlakyProfile));
        assert!(matches!(state.profile(), Err(Refusal::NotReady(_))));
        assert_eq!(state.profile().expect("the second request").len(), 4);
        let (mut healthy, _) = console(None);
        assert!(healthy.profile().is_ok());
    }

    #[test]
    fn the_skip_upgrade_fault_unlocks_without_changing_the_version() {
        let (mut state, now) = console(Some(Fault::SilentlySkipUpgrade));
        state
            .confirm_update("4.8.33", BTreeMap::new(), now)
            .expect("confirm");
        state.tick(now + Duration::from_secs(61));
        assert!(!state.lock_status(now + Duration::from_secs(61)).locked);
        assert_eq!(state.summary().version, "4.8.21");
        assert!(state.summary().update_available);
    }

    #[test]
    fn confirm_refuses_a_version_that_is_not_offered_and_unknown_layers() {
        let (mut state, now) = console(None);
        assert_eq!(
            state.confirm_update("9.9.9", BTreeMap::new(), now),
            Err(Refusal::NoSuchUpdate)
        );
        let mut values = BTreeMap::new();
        values.insert("GPU".to_string(), String::new());
        assert_eq!(
            state.confirm_update("4.8.33", values, now),
            Err(Refusal::UnknownLayer("GPU".to_string()))
        );
    }

    #[test]
    fn the_preview_pairs_incoming_defaults_with_the_installed_customizations() {
        let (state, _) = console(None);
        let offer = state.update_offer();
        let kubernetes = offer
            .layers
            .iter()
            .find(|layer| layer.incoming.kind == "Kubernetes")
            .unwrap();
        assert!(kubernetes
            .current_values
            .contains("podCIDR: \"172.30.0.0/16\""));
        assert!(kubernetes
            .incoming
            .values
            .contains("podCIDR: \"192.168.0.0/16\""));
    }
}
