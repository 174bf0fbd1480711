//! Where the site lives as people reach it, and what follows from that for security.
//!
//! Röd tråd speaks plain HTTP and is meant to sit behind a reverse proxy that speaks TLS (its
//! cookies are `Secure`, so a browser keeps them only over HTTPS, or on `localhost`). The
//! address people use is [`Site::public_url`] (`RODTRAD_PUBLIC_URL`): it decides the origin that
//! forms must come from, whether `Strict-Transport-Security` is sent, and the address of links
//! to set a password. Without it the site assumes it is reached as the request's `Host` over
//! HTTPS, or over plain HTTP on a loopback address only.
//!
//! The site is put on every request as an extension by [`serve`]; a router used without it (as
//! tests do) acts as if nothing were configured.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Extension, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use tokio::net::TcpListener;
use url::Url;

use crate::state::AppState;

/// How the site is reached.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The address people open, e.g. `https://planer.region.se`: scheme, host and port only.
    public_url: Option<Url>,
    /// Reverse proxies whose `X-Forwarded-For` names the client; loopback is always one.
    trusted_proxies: Vec<IpAddr>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SiteError {
    /// Not an `http://` or `https://` address of a host, with nothing after it but `/`.
    #[error("not an address of a site: {0}")]
    PublicUrl(String),
    #[error("not an IP address: {0}")]
    Proxy(String),
}

impl Site {
    /// The site at `public_url` (if given), behind the proxies at `trusted_proxies` (IP
    /// addresses separated by commas or spaces).
    pub fn new(public_url: Option<&str>, trusted_proxies: Option<&str>) -> Result<Self, SiteError> {
        let public_url = public_url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| {
                let bad = || SiteError::PublicUrl(u.to_owned());
                let url = Url::parse(u).map_err(|_| bad())?;
                let plain = matches!(url.scheme(), "http" | "https")
                    && url.host_str().is_some()
                    && url.path() == "/"
                    && url.query().is_none()
                    && url.fragment().is_none()
                    && url.username().is_empty()
                    && url.password().is_none();
                if plain { Ok(url) } else { Err(bad()) }
            })
            .transpose()?;
        let trusted_proxies = trusted_proxies
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().map_err(|_| SiteError::Proxy(p.to_owned())))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            public_url,
            trusted_proxies,
        })
    }

    /// Whether people reach the site over HTTPS, as far as it is told.
    pub fn https(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|u| u.scheme() == "https")
    }

    /// The public address without its trailing slash, if one is configured.
    pub fn public_url(&self) -> Option<String> {
        self.public_url
            .as_ref()
            .map(|u| u.as_str().trim_end_matches('/').to_owned())
    }

    /// The address of the site for links that leave it (a link to set a password): the public
    /// address, or without one the request's host, over HTTPS unless it is this machine.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(url) = self.public_url() {
            return url;
        }
        let host = host(headers).unwrap_or_else(|| "localhost".into());
        let scheme = if loopback_host(&host) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{host}")
    }

    /// The origin (`scheme://host[:port]`) a request's forms must come from: the public
    /// address's, or over HTTPS the `Host` the request names.
    fn origins(&self, headers: &HeaderMap) -> Vec<String> {
        if let Some(url) = &self.public_url {
            return vec![url.origin().ascii_serialization()];
        }
        let Some(host) = host(headers) else {
            return Vec::new();
        };
        let mut origins = vec![format!("https://{host}")];
        // Plain HTTP only where browsers keep Secure cookies over it: on this machine.
        if loopback_host(&host) {
            origins.push(format!("http://{host}"));
        }
        origins
    }

    /// Whether the `Origin` header, if there is one, is this site's, scheme and all.
    pub fn same_origin(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN) else {
            return true;
        };
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let origin = origin.to_ascii_lowercase();
        self.origins(headers)
            .iter()
            .any(|o| o.eq_ignore_ascii_case(&origin))
    }

    /// Whether the browser that sent this request reaches the site over plain HTTP at an
    /// address other than this machine's: it will not keep the `Secure` cookies, and logging
    /// in cannot work. Behind a TLS proxy with the public address configured, a request that
    /// names that address is not; one that names another host came around the proxy.
    pub fn insecure(&self, headers: &HeaderMap) -> bool {
        let Some(host) = host(headers) else {
            return false;
        };
        if loopback_host(&host) {
            return false;
        }
        match &self.public_url {
            Some(url) if url.scheme() == "https" => {
                let public = url.host_str().map(|h| match url.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                });
                public.is_none_or(|p| !p.eq_ignore_ascii_case(&host))
            }
            // Told that people use plain HTTP, or told nothing: a browser on another machine
            // is on plain HTTP, unless a proxy said it speaks HTTPS.
            _ => !forwarded_https(headers),
        }
    }

    /// The client a request comes from, for counting failed log-ins: the connection's peer,
    /// or behind a trusted proxy the last address it put in `X-Forwarded-For`. IPv6 clients
    /// are counted by their /64, which one household or machine usually holds whole.
    pub fn client(&self, request_peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = request_peer?;
        let trusted = peer.is_loopback() || self.trusted_proxies.contains(&peer);
        let forwarded = trusted
            .then(|| {
                headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                    .next_back()
            })
            .flatten();
        Some(match forwarded.unwrap_or(peer) {
            IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
            IpAddr::V6(v6) => IpAddr::V4(
                v6.to_ipv4_mapped()
                    .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED),
            ),
            v4 @ IpAddr::V4(_) => v4,
        })
    }
}

fn host(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase)
}

fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// `localhost`, `127.0.0.1`, `[::1]`, with or without a port: addresses a browser treats as
/// secure over plain HTTP.
fn loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether binding to `address` exposes the site beyond this machine.
pub fn exposed(address: &SocketAddr) -> bool {
    !address.ip().is_loopback()
}

/// The site and the client's address of a request, as the handlers read them.
pub fn of_request(request: &Request) -> (Site, Option<IpAddr>) {
    let site = request
        .extensions()
        .get::<Site>()
        .cloned()
        .unwrap_or_default();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    (site, peer)
}

/// How a request reached the site: the site, the client's address, and whether the browser is
/// on plain HTTP beyond this machine (an extractor).
#[derive(Debug, Clone)]
pub struct Reached {
    pub site: Site,
    pub client: Option<IpAddr>,
    pub insecure: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Reached {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let site = parts.extensions.get::<Site>().cloned().unwrap_or_default();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Reached {
            client: site.client(peer, &parts.headers),
            insecure: site.insecure(&parts.headers),
            site,
        })
    }
}

/// Serves until `shutdown` completes, then finishes the requests in flight; every request
/// knows the site and the address of the client's connection, and the state is kept up to
/// date with what other processes commit.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    site: Site,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Kept up to date with what other processes commit, as `app::serve` keeps it.
    let watcher = tokio::spawn(crate::state::watch(state.clone()));
    let app = crate::app::router(state).layer(Extension(site));
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    watcher.abort();
    served
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).expect("value"));
        }
        h
    }

    #[test]
    fn the_public_address_is_a_site_and_nothing_more() {
        assert!(Site::new(Some("https://planer.region.se"), None).is_ok());
        assert!(Site::new(Some("http://127.0.0.1:8080/"), None).is_ok());
        for bad in [
            "planer.region.se",
            "ftp://x.se",
            "https://x.se/app",
            "https://u@x.se",
            "https://x.se/?a",
        ] {
            assert!(Site::new(Some(bad), None).is_err(), "{bad}");
        }
        assert!(Site::new(None, Some("10.0.0.1, ::1")).is_ok());
        assert!(Site::new(None, Some("proxy")).is_err());
    }

    #[test]
    fn a_form_must_come_from_this_sites_scheme_host_and_port() {
        let none = Site::default();
        let h = |o: &str, host: &str| headers(&[("origin", o), ("host", host)]);
        assert!(none.same_origin(&h("https://x.se", "x.se")));
        assert!(
            !none.same_origin(&h("http://x.se", "x.se")),
            "plain HTTP on another machine"
        );
        assert!(none.same_origin(&h("http://127.0.0.1:8080", "127.0.0.1:8080")));
        assert!(!none.same_origin(&h("https://evil.se", "x.se")));
        assert!(!none.same_origin(&h("null", "x.se")));
        let public = Site::new(Some("https://planer.region.se"), None).expect("site");
        assert!(public.same_origin(&h("https://planer.region.se", "127.0.0.1:8080")));
        assert!(!public.same_origin(&h("http://planer.region.se", "planer.region.se")));
        assert!(!public.same_origin(&h("https://planer.region.se:8443", "planer.region.se")));
        assert!(
            public.same_origin(&headers(&[("host", "x")])),
            "no Origin: the token decides"
        );
    }

    #[test]
    fn plain_http_beyond_this_machine_is_told_apart() {
        let none = Site::default();
        assert!(none.insecure(&headers(&[("host", "10.0.0.5:8080")])));
        assert!(!none.insecure(&headers(&[("host", "localhost:8080")])));
        assert!(!none.insecure(&headers(&[("host", "[::1]:8080")])));
        assert!(!none.insecure(&headers(&[
            ("host", "x.se"),
            ("x-forwarded-proto", "https")
        ])));
        let public = Site::new(Some("https://planer.region.se"), None).expect("site");
        assert!(!public.insecure(&headers(&[("host", "planer.region.se")])));
        assert!(public.insecure(&headers(&[("host", "10.0.0.5:8080")])));
    }

    #[test]
    fn the_client_is_the_peer_or_what_a_trusted_proxy_says() {
        let site = Site::new(None, Some("10.0.0.1")).expect("site");
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let xff = headers(&[("x-forwarded-for", "198.51.100.7, 203.0.113.9")]);
        assert_eq!(
            site.client(Some(ip("192.0.2.1")), &xff),
            Some(ip("192.0.2.1"))
        );
        assert_eq!(
            site.client(Some(ip("127.0.0.1")), &xff),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            site.client(Some(ip("10.0.0.1")), &xff),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            site.client(Some(ip("2001:db8:1:2:3:4:5:6")), &HeaderMap::new()),
            Some(ip("2001:db8:1:2::"))
        );
        assert_eq!(site.client(None, &xff), None);
    }
}
