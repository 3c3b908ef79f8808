//! Hot reload: the server picks up a rebuilt index without dropping a request.
//!
//! The engine being served sits behind an [`ArcSwap`] in [`AppState`]. A request takes the
//! current `Arc<Engine>` once ([`AppState::engine`]) and finishes on it; a reload opens the new
//! index on the blocking pool, swaps it in, and the old engine is freed when its last request
//! ends. An index that cannot be opened (wrong format version, other model, half written, a file
//! damaged or missing — the engine names the file and what it expected) is refused: the error is
//! logged, reported by `/api/health` under `refused`, and the old engine keeps serving.
//!
//! Two triggers: SIGHUP reopens the index at once, and every `--watch-interval` the index path
//! is checked ([`Source::probe`]: for a directory the version directory its link resolves to and
//! the manifest's modification time and size; for an archive its own and its `.sha256` file's);
//! a change reopens it. An archive is verified and unpacked before it is opened (a damaged one is
//! refused like a damaged directory), and the copies it replaces are removed once swapped out. Polling was chosen over file-system events
//! (inotify through the `notify` crate): `sosik-indexer build` publishes by renaming a link in the
//! index's parent folder, which a watch on the index itself never sees; two `stat`s every two
//! seconds cost nothing, behave the same on every file system (network mounts and container bind
//! mounts drop inotify events) and have no watch limits or event-queue overflows to handle.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use serde::Serialize;
use sosik_embed::Embedder;
use sosik_engine::format::archive;
use sosik_engine::format::layout::Stamp;
use sosik_engine::search::Fusion;
use sosik_engine::{Engine, EngineError};

use crate::AppState;

/// Where the server's index comes from and what it needs to open one.
pub struct Source {
    /// The path given as `--index`: a directory (usually the link a build publishes to its
    /// current version directory) or a `.tar.zst` archive from `sosik-indexer pack`.
    pub index: PathBuf,
    pub dictionary: PathBuf,
    pub embedder: &'static Embedder,
}

/// What a check finds at the index path, compared with the last check to decide on a reload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// A directory: its version directory and manifest.
    Index(Stamp),
    /// An archive: the archive's and its `.sha256` file's modification time and size (a CI job
    /// replacing both is seen when either changes, so a refusal between the two is retried).
    Archive([Option<(Option<SystemTime>, u64)>; 2]),
    /// Nothing readable is there (why).
    Unreadable(String),
}

impl Source {
    /// What the index path holds now.
    pub fn probe(&self) -> Seen {
        if archive::is_archive(&self.index) {
            let stat = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.modified().ok(), m.len()));
            return match stat(&self.index) {
                None => Seen::Unreadable(format!("cannot read the archive {}", self.index.display())),
                some => Seen::Archive([some, stat(&archive::checksum_path(&self.index))]),
            };
        }
        match Stamp::of(&self.index) {
            Ok(stamp) => Seen::Index(stamp),
            Err(e) => Seen::Unreadable(format!("cannot read {}: {e}", sosik_engine::format::IndexFile::Manifest)),
        }
    }

    /// Opens what `index` holds now, with `fusion` (kept from the engine it replaces). A link is
    /// resolved once and the engine opened from that version directory; an archive is checked
    /// and unpacked first ([`archive::unpack`]: into `.NAME.d/` beside it, reused when its content
    /// was unpacked before) and refused if anything in it is wrong. The [`Seen`] returned
    /// describes what was opened.
    pub fn open(&self, fusion: Fusion) -> Result<(Engine, Seen), EngineError> {
        let seen = self.probe();
        let dir = match &seen {
            Seen::Unreadable(reason) => {
                return Err(EngineError::BadIndex {
                    dir: self.index.clone(),
                    reason: format!(
                        "{reason}; build one with `sosik-indexer build` (or pack one with `sosik-indexer pack`)"
                    ),
                })
            }
            Seen::Index(stamp) => stamp.dir.clone(),
            Seen::Archive(_) => {
                let unpacked = archive::unpack(&self.index, self.embedder.model_id())?;
                if unpacked.fresh {
                    tracing::info!(archive = %self.index.display(), dir = %unpacked.dir.display(), "archive verified and unpacked");
                }
                unpacked.dir
            }
        };
        let mut engine = Engine::open(&dir, &self.dictionary, self.embedder)?;
        engine.set_fusion(fusion);
        // typeahead's keys now, not on the first keystroke of the first user
        if let Err(e) = engine.prepare_suggestions() {
            tracing::warn!(error = %e, "could not prepare typeahead suggestions; /api/suggest will try again");
        }
        Ok((engine, seen))
    }

    /// After `current` replaced `previous`: removes the other unpacked copies of an archive.
    fn tidy(&self, current: &Path, previous: &Path) {
        if archive::is_archive(&self.index) {
            if let Err(e) = archive::prune(&self.index, &[current, previous]) {
                tracing::warn!(error = %e, "could not remove an old unpacked copy of the archive");
            }
        }
    }
}

/// The engine being served and when it was loaded (swapped together, so `/api/health` never
/// pairs one index with another's load time).
pub(crate) struct Served {
    pub(crate) engine: Arc<Engine>,
    pub(crate) loaded_at: String,
}

impl Served {
    pub(crate) fn new(engine: Arc<Engine>) -> Served {
        Served { engine, loaded_at: now() }
    }
}

pub(crate) type Slot = Arc<ArcSwap<Served>>;

/// An index the server would not switch to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Refused {
    /// The version directory's name (`.index.v…`), or the index path's name.
    pub version: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// Why, without server paths (the log has the full error).
    pub reason: String,
}

/// `GET /api/health`.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` while the server answers.
    pub status: &'static str,
    /// The index being served.
    pub index: ServedIndex,
    /// The last index found at the path that was not loaded; `null` once a later one loads.
    pub refused: Option<Refused>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ServedIndex {
    /// The version directory's name.
    pub version: String,
    pub format_version: u32,
    pub model_id: String,
    pub dim: usize,
    pub items: usize,
    pub posts: usize,
    /// When the index was built (RFC 3339, UTC).
    pub built_at: String,
    /// The digest over the index's content (`sha256:…`; equal for builds of equal inputs), so
    /// replicas can be checked to serve the same index; `null` for an index built before sosik
    /// recorded it.
    pub content_digest: Option<String>,
    /// When this server loaded it (RFC 3339, UTC).
    pub loaded_at: String,
}

pub(crate) fn health(served: &Served, refused: Option<Refused>) -> Health {
    let m = served.engine.manifest();
    Health {
        status: "ok",
        index: ServedIndex {
            version: version_name(served.engine.dir()),
            format_version: m.format_version,
            model_id: m.model_id.clone(),
            dim: m.dim,
            items: m.items,
            posts: m.posts,
            built_at: m.built_at.clone(),
            content_digest: m.content_digest.clone(),
            loaded_at: served.loaded_at.clone(),
        },
        refused,
    }
}

/// What one check did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The index path holds what was last seen; nothing was opened.
    Unchanged,
    /// A new engine serves the version named.
    Reloaded(String),
    /// The index at the path was not loaded; the old engine keeps serving.
    Refused(Refused),
}

/// Reopens the index when it changes. One per server; checks run one at a time.
pub struct Reloader {
    source: Source,
    state: AppState,
    seen: Mutex<Seen>,
}

impl Reloader {
    /// `seen` is what the serving engine was opened from.
    pub fn new(source: Source, state: AppState, seen: Seen) -> Arc<Reloader> {
        Arc::new(Reloader { source, state, seen: Mutex::new(seen) })
    }

    /// Looks at the index path and reopens the index if it changed since the last check, or in
    /// any case when `force` (SIGHUP). Blocking: opening an index reads it whole.
    pub fn check(&self, force: bool) -> Outcome {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let now_seen = self.source.probe();
        if !force && *seen == now_seen {
            return Outcome::Unchanged;
        }
        *seen = now_seen.clone();
        drop(seen);
        match now_seen {
            Seen::Unreadable(reason) => {
                tracing::error!(index = %self.source.index.display(), error = %reason, "reload refused; still serving the old index");
                self.refuse(version_name(&self.source.index), reason)
            }
            Seen::Index(_) | Seen::Archive(_) => {
                let previous = self.state.engine();
                match self.source.open(previous.fusion()) {
                    Ok((engine, seen)) => {
                        let version = version_name(engine.dir());
                        let items = engine.manifest().items;
                        let current = engine.dir().to_path_buf();
                        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = seen;
                        self.state.replace_engine(engine);
                        self.source.tidy(&current, previous.dir());
                        drop(previous);
                        tracing::info!(index = %self.source.index.display(), version, items, "index reloaded");
                        Outcome::Reloaded(version)
                    }
                    Err(e) => {
                        tracing::error!(index = %self.source.index.display(), error = %e, "reload refused; still serving the old index");
                        let reason = match &e {
                            EngineError::BadIndex { reason, .. } => reason.clone(),
                            EngineError::Unverified { problems, .. } => problems.join("; "),
                            _ => "cannot open it (see the server log)".to_string(),
                        };
                        let version = match self.source.probe() {
                            Seen::Index(stamp) => stamp.version(),
                            _ => version_name(&self.source.index),
                        };
                        self.refuse(version, reason)
                    }
                }
            }
        }
    }

    fn refuse(&self, version: String, reason: String) -> Outcome {
        let refused = Refused { version, at: now(), reason };
        self.state.set_refused(Some(refused.clone()));
        Outcome::Refused(refused)
    }
}

/// Starts the reload task: on SIGHUP, and every `every` (none: only on SIGHUP). The signal
/// handler is installed before this returns, so a SIGHUP from then on never kills the server.
pub fn spawn(reloader: Arc<Reloader>, every: Option<Duration>) -> std::io::Result<tokio::task::JoinHandle<()>> {
    #[cfg(unix)]
    let mut hangup = Some(tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?);
    Ok(tokio::spawn(async move {
        let mut tick = every.map(|d| {
            let mut t = tokio::time::interval_at(tokio::time::Instant::now() + d, d);
            t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            t
        });
        loop {
            let signalled = async {
                #[cfg(unix)]
                if let Some(h) = hangup.as_mut() {
                    if h.recv().await.is_some() {
                        return;
                    }
                }
                std::future::pending::<()>().await
            };
            let ticked = async {
                match tick.as_mut() {
                    Some(t) => {
                        t.tick().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let force = tokio::select! {
                _ = signalled => true,
                _ = ticked => false,
            };
            if force {
                tracing::info!("SIGHUP: reopening the index");
            }
            let r = reloader.clone();
            if let Err(e) = tokio::task::spawn_blocking(move || r.check(force)).await {
                tracing::error!(error = %e, "the reload check failed");
            }
        }
    }))
}

fn version_name(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
