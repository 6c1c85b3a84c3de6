//! What every handler shares: the application, the signed-in rep, and which
//! Host names this server answers to.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};

use debrief_app::{App, RepName};
use debrief_core::critique::ReviewConfig;

use crate::cache::ReadCache;

/// The state behind the router.
#[derive(Clone)]
pub struct AppState {
    /// The application as it works for the rep (in the rep's time zone),
    /// replaced when the rep's zone changes.
    app: Arc<RwLock<App>>,
    /// The single rep this server works for (accounts come later; see `CurrentRep`).
    pub(crate) rep: Arc<RepName>,
    pub(crate) hosts: Arc<HostPolicy>,
    /// The rules and thresholds of message review. [`serve`](crate::serve) uses
    /// the defaults: the binary's `[review]` settings are not passed in yet.
    review: Arc<ReviewConfig>,
    /// Rendered reads, forgotten around every write (see `cache`).
    cache: Arc<ReadCache>,
    /// Uploads waiting for the rep to confirm their import.
    uploads: crate::pages::import::Uploads,
}

impl AppState {
    /// State for `rep`, answering to loopback names on any port.
    pub fn new(app: App, rep: RepName) -> AppState {
        AppState {
            app: Arc::new(RwLock::new(app)),
            rep: Arc::new(rep),
            hosts: Arc::new(HostPolicy::loopback()),
            review: Arc::new(ReviewConfig::default()),
            cache: Arc::new(ReadCache::default()),
            uploads: crate::pages::import::Uploads::default(),
        }
    }

    pub fn with_hosts(self, hosts: HostPolicy) -> AppState {
        AppState { hosts: Arc::new(hosts), ..self }
    }

    /// Reviews messages with `config` instead of the default rules.
    pub fn with_review(self, config: ReviewConfig) -> AppState {
        AppState { review: Arc::new(config), ..self }
    }

    /// The application (cheap to clone: it shares the store and the clock).
    pub fn app(&self) -> App {
        self.app.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Works from now on with `app` (the rep's zone changed).
    pub(crate) fn replace_app(&self, app: App) {
        *self.app.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = app;
    }

    pub fn review_config(&self) -> &ReviewConfig {
        &self.review
    }

    pub(crate) fn uploads(&self) -> &crate::pages::import::Uploads {
        &self.uploads
    }

    pub(crate) fn cache(&self) -> &ReadCache {
        &self.cache
    }
}

/// Which `Host` (and `Origin`) values are this server. DNS rebinding needs a
/// name the attacker controls, so names are allowed only from a list
/// (`localhost`); IP literals are allowed when they are loopback or the
/// bound address (any address when bound to `0.0.0.0`/`::`).
#[derive(Clone, Debug)]
pub struct HostPolicy {
    names: Vec<String>,
    bound: Option<IpAddr>,
    /// When set, a Host's port must be this one.
    port: Option<u16>,
}

impl HostPolicy {
    /// Loopback names and addresses, any port.
    pub fn loopback() -> HostPolicy {
        HostPolicy { names: vec!["localhost".into()], bound: None, port: None }
    }

    /// The policy of a server bound to `addr`.
    pub fn for_addr(addr: SocketAddr) -> HostPolicy {
        HostPolicy { bound: Some(addr.ip()), port: Some(addr.port()), ..HostPolicy::loopback() }
    }

    /// Also answers to `name` (a host name the user configured, e.g. behind a proxy).
    pub fn allow_name(mut self, name: &str) -> HostPolicy {
        self.names.push(name.to_ascii_lowercase());
        self
    }

    /// Whether `authority` (`host` or `host:port`, IPv6 in brackets) is this server.
    pub fn allows(&self, authority: &str) -> bool {
        let Some((host, port)) = split_authority(authority) else {
            return false;
        };
        if let (Some(wanted), Some(got)) = (self.port, port)
            && wanted != got
        {
            return false;
        }
        match host.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || self.bound.is_some_and(|b| b == ip || b.is_unspecified()),
            Err(_) => self.names.iter().any(|n| n.eq_ignore_ascii_case(host)),
        }
    }
}

/// `("::1", Some(7878))` from `[::1]:7878`; `None` when malformed.
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    (!host.is_empty()).then_some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_addresses_only() {
        let p = HostPolicy::loopback();
        for ok in ["localhost", "localhost:7878", "127.0.0.1:1", "[::1]:7878", "127.1.2.3", "LOCALHOST"] {
            assert!(p.allows(ok), "{ok}");
        }
        for bad in
            ["evil.example", "evil.example:7878", "192.168.1.2:7878", "localhost.evil.example", "", ":80", "[::1"]
        {
            assert!(!p.allows(bad), "{bad}");
        }
    }

    #[test]
    fn a_bound_server_checks_the_port_and_its_own_address() {
        let p = HostPolicy::for_addr("127.0.0.1:7878".parse().unwrap());
        assert!(p.allows("localhost:7878") && p.allows("127.0.0.1:7878") && p.allows("localhost"));
        assert!(!p.allows("localhost:7879"));
        let lan = HostPolicy::for_addr("192.168.1.2:7878".parse().unwrap()).allow_name("sales.local");
        assert!(lan.allows("192.168.1.2:7878") && lan.allows("sales.local:7878"));
        assert!(!lan.allows("192.168.1.3:7878"));
    }
}
