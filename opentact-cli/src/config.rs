//! Where the token and the server come from: flags, `OPENTACT_TOKEN` / `OPENTACT_BASE_URL`,
//! and the config file `opentact login --token-stdin` writes (mode 0600, in the user's config
//! directory: `$XDG_CONFIG_HOME/opentact/config.json` or `~/.config/opentact/config.json`).

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::ArgMatches;
use opentact_client::Server;
use serde::{Deserialize, Serialize};

use crate::error::Error;

#[derive(Serialize, Deserialize, Default)]
struct ConfigFile {
    token: Option<String>,
}

/// The config file's path.
pub fn config_path() -> Result<PathBuf, Error> {
    dirs::config_dir()
        .map(|d| d.join("opentact").join("config.json"))
        .ok_or_else(|| Error::Local("no config directory: set HOME or XDG_CONFIG_HOME".into()))
}

/// The login for `Auth` (HTTP Basic): `OPENTACT_EMAIL` and `OPENTACT_PASSWORD`, when both are set.
/// Only the operations whose spec says Basic get it (the client's rule); never printed.
pub fn basic_login() -> Option<(String, String)> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
    Some((var("OPENTACT_EMAIL")?.trim().to_string(), var("OPENTACT_PASSWORD")?))
}

/// The API token: `OPENTACT_TOKEN`, else the config file's.
pub fn token() -> Result<String, Error> {
    if let Some(token) = std::env::var("OPENTACT_TOKEN").ok().filter(|t| !t.trim().is_empty()) {
        return Ok(token.trim().to_string());
    }
    let path = config_path()?;
    let missing = || Error::Local("no API token: set OPENTACT_TOKEN or run `opentact login --token-stdin`".into());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
        Err(e) => return Err(Error::Local(format!("cannot read {}: {e}", path.display()))),
    };
    let config: ConfigFile = serde_json::from_str(&text)
        .map_err(|e| Error::Local(format!("{} is not a valid config file: {e}", path.display())))?;
    config.token.filter(|t| !t.is_empty()).ok_or_else(missing)
}

/// The server of `--base-url`, `--server`, `OPENTACT_BASE_URL`, or production.
pub fn server(matches: &ArgMatches) -> Server {
    if let Some(url) = matches.try_get_one::<String>("base-url").ok().flatten() {
        return Server::Custom(url.clone());
    }
    match matches.try_get_one::<String>("server").ok().flatten().map(String::as_str) {
        Some("stage") => Server::Stage,
        Some(_) => Server::Production,
        None => std::env::var("OPENTACT_BASE_URL").map(Server::Custom).unwrap_or(Server::Production),
    }
}

/// `opentact login --token-stdin`: reads the token from stdin and saves it, readable by the
/// user only. The token is not echoed.
pub fn login() -> Result<String, Error> {
    let mut token = String::new();
    std::io::stdin().read_to_string(&mut token).map_err(|e| Error::Local(format!("cannot read stdin: {e}")))?;
    let token = token.trim();
    if token.is_empty() || token.chars().any(char::is_control) {
        return Err(Error::Usage("expected the token alone on stdin".into()));
    }
    let path = config_path()?;
    let dir = path.parent().ok_or_else(|| Error::Local("the config path has no directory".into()))?;
    let local = |what: &str, e: std::io::Error| Error::Local(format!("{what} {}: {e}", dir.display()));
    create_private_dir(dir).map_err(|e| local("cannot create", e))?;
    // A temporary file is created with mode 0600; renamed over the old file only once written.
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| local("cannot write in", e))?;
    let text = serde_json::to_string_pretty(&ConfigFile { token: Some(token.to_string()) })
        .map_err(|e| Error::Local(e.to_string()))?;
    file.write_all(text.as_bytes()).map_err(|e| local("cannot write in", e))?;
    file.persist(&path).map_err(|e| local("cannot write in", e.error))?;
    Ok(format!("token saved to {}", path.display()))
}

#[cfg(unix)]
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}
