//! The e5 model behind a mutex, on a process-wide ONNX Runtime environment.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use fastembed::{InitOptionsUserDefined, Pooling, TextEmbedding, TokenizerFiles, UserDefinedEmbeddingModel};

use crate::{Assets, EmbedError, DIM, MAX_TOKENS, PASSAGE_PREFIX, QUERY_PREFIX};

/// Run-time knobs. The defaults come from `examples/bench.rs` on the 2-core build machine
/// (x86-64 with AVX-512/VNNI, load average 4–6 from other builds throughout, so wall-clock figures
/// are pessimistic), embedding the sample posts in `data/posts` shortest first:
///
/// ```text
///                      ≈240-token passages (37)      ≈120-token passages (76)
/// threads  batch    passages/s  per CPU-second     passages/s  per CPU-second
///    1       1         11.3         16.7              25.7         34.0
///    1       2         10.9         16.3              28.2         33.9
///    1       4         10.2         15.2              28.0         32.2
///    1       8            -            -              20.9         29.0
///    2       1          9.2         14.2              18.1         29.5
///    2       2          9.3         13.1              21.2         29.2
///    2       4          7.4         11.7              20.1         24.7
///    2       8            -            -              13.7         21.9
/// ```
///
/// Batching does not pay on a CPU (fastembed's default of 256 only costs memory), and a second
/// intra-op thread lost on two shared cores. So: 1 thread, batch 1, which also makes every vector
/// independent of its batch neighbours (no padding), bit for bit. Peak RSS ≈ 700–790 MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbedOptions {
    /// ONNX Runtime intra-op threads.
    pub threads: usize,
    /// Texts per forward pass.
    pub batch_size: usize,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions { threads: 1, batch_size: 1 }
    }
}

/// Which of the two converted models a session runs (`scripts/setup/e5_to_onnx.py`): the same
/// 4-bit weights, computed two ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `model.onnx`, fp32 compute: the exact one, for passages (what the index and the
    /// embedding cache hold). The converter measured it faster than int8 activations on
    /// ~240-token passages (16.7 against 15.9 passages per CPU-second).
    Passages,
    /// `model-query.onnx`, int8 activations: a short query in about half the time (6 ms of
    /// the fp32 model's time per call does not depend on the length; see BENCHMARKS.md,
    /// "Embedding a query"), at cosine ≥ 0.9998 to the exact vector.
    Queries,
}

impl Role {
    fn file(self) -> &'static str {
        match self {
            Role::Passages => "model.onnx",
            Role::Queries => "model-query.onnx",
        }
    }
}

/// multilingual-e5-small: a session for passages and one for queries, each loaded on its first
/// use, so a process loads only what it runs (the server, which only embeds queries, never holds
/// the passage session). `&self` methods lock a session, so share one instance between threads
/// (see [`Embedder::shared`]).
pub struct Embedder {
    passages: Mutex<Option<TextEmbedding>>,
    queries: Mutex<Option<TextEmbedding>>,
    environment: ort::environment::Environment,
    model_id: String,
    options: EmbedOptions,
    /// Where it was loaded from (for [`Embedder::open_another`]).
    assets: Assets,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("model_id", &self.model_id).field("options", &self.options).finish()
    }
}

impl Embedder {
    /// Loads ONNX Runtime with the default [`EmbedOptions`].
    pub fn open(assets: &Assets) -> Result<Embedder, EmbedError> {
        Embedder::open_with(assets, EmbedOptions::default())
    }

    /// Loads ONNX Runtime and reads the model's id. Every asset is checked first, so a missing
    /// one is reported by name (with the setup command to run) rather than as a loader failure.
    /// The models themselves load on first use ([`Embedder::load_queries`] loads the query one
    /// now, for a server that should fail at start rather than at its first search).
    pub fn open_with(assets: &Assets, options: EmbedOptions) -> Result<Embedder, EmbedError> {
        assets.check()?;
        let environment = ort_environment(&assets.ort_lib)?;
        Ok(Embedder {
            passages: Mutex::new(None),
            queries: Mutex::new(None),
            environment,
            model_id: assets.model_id()?,
            options: EmbedOptions { threads: options.threads.max(1), batch_size: options.batch_size.max(1) },
            assets: assets.clone(),
        })
    }

    /// Loads the query model now if it is not loaded yet.
    pub fn load_queries(&self) -> Result<(), EmbedError> {
        self.with_session(Role::Queries, |_| Ok(()))
    }

    /// Runs `f` on the session of `role`, loading it first if need be. The session stays locked
    /// while `f` runs.
    fn with_session<R>(
        &self,
        role: Role,
        f: impl FnOnce(&mut TextEmbedding) -> Result<R, EmbedError>,
    ) -> Result<R, EmbedError> {
        let slot = match role {
            Role::Passages => &self.passages,
            Role::Queries => &self.queries,
        };
        let mut session = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if session.is_none() {
            *session = Some(self.load(role)?);
        }
        f(session.as_mut().expect("loaded above"))
    }

    fn load(&self, role: Role) -> Result<TextEmbedding, EmbedError> {
        let started = Instant::now();
        let dir = &self.assets.model_dir;
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| EmbedError::Read { path, source })
        };
        let model = UserDefinedEmbeddingModel::new(
            read(role.file())?,
            TokenizerFiles {
                tokenizer_file: read("tokenizer.json")?,
                config_file: read("config.json")?,
                special_tokens_map_file: read("special_tokens_map.json")?,
                tokenizer_config_file: read("tokenizer_config.json")?,
            },
        )
        .with_pooling(Pooling::Mean);
        let init = InitOptionsUserDefined::new()
            .with_environment(self.environment.clone())
            .with_max_length(MAX_TOKENS)
            .with_intra_threads(self.options.threads)
            // Spinning pool threads burn a core that other processes (or our own tokenizer) need.
            .with_session_config("session.intra_op.allow_spinning", "0");
        let model = TextEmbedding::try_new_from_user_defined(model, init)
            .map_err(|e| EmbedError::Model { dir: dir.join(role.file()), message: e.to_string() })?;
        tracing::info!(
            model_id = self.model_id,
            threads = self.options.threads,
            batch_size = self.options.batch_size,
            "embedding model loaded from {} in {:.1} s",
            dir.join(role.file()).display(),
            started.elapsed().as_secs_f64()
        );
        Ok(model)
    }

    /// A second session of the same model with the same options, for embedding on another
    /// core: one session per core beats one session with two intra-op threads (see the table
    /// above), and each session is locked while it runs.
    pub fn open_another(&self) -> Result<Embedder, EmbedError> {
        Embedder::open_with(&self.assets, self.options)
    }

    /// The process-wide embedder, loaded on first use with the default options. Later calls
    /// return the same instance whatever `assets` they pass. A failed load is not remembered:
    /// the next call tries again.
    pub fn shared(assets: &Assets) -> Result<&'static Embedder, EmbedError> {
        static SHARED: Mutex<Option<&'static Embedder>> = Mutex::new(None);
        let mut slot = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(embedder) = *slot {
            return Ok(embedder);
        }
        let embedder: &'static Embedder = Box::leak(Box::new(Embedder::open(assets)?));
        *slot = Some(embedder);
        Ok(embedder)
    }

    /// Identifies the model (contents of `MODEL_ID`); cached vectors are keyed by it.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    pub fn options(&self) -> EmbedOptions {
        self.options
    }

    /// Embeds documents (adds `"passage: "`). Unit vectors, in input order.
    pub fn embed_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed_prefixed(Role::Passages, PASSAGE_PREFIX, texts, self.options.batch_size)
    }

    /// [`Self::embed_passages`] with another batch size than the configured one.
    pub fn embed_passages_batched(&self, texts: &[&str], batch_size: usize) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed_prefixed(Role::Passages, PASSAGE_PREFIX, texts, batch_size.max(1))
    }

    /// Embeds a search query (adds `"query: "`) with the query model (int8 activations, see
    /// [`Role::Queries`]). A unit vector.
    pub fn embed_query(&self, text: &str) -> Result<Vec<f32>, EmbedError> {
        let mut out = self.embed_prefixed(Role::Queries, QUERY_PREFIX, &[text], 1)?;
        Ok(out.pop().expect("one vector per text"))
    }

    /// [`Embedder::embed_query`] with the exact (passage) model: what the query model
    /// approximates, for checking it.
    pub fn embed_query_exact(&self, text: &str) -> Result<Vec<f32>, EmbedError> {
        let mut out = self.embed_prefixed(Role::Passages, QUERY_PREFIX, &[text], 1)?;
        Ok(out.pop().expect("one vector per text"))
    }

    /// Tokens the model sees for `text` as a passage (prefix and special tokens included),
    /// capped at [`MAX_TOKENS`]: a result of `MAX_TOKENS` means the end of the text is cut off.
    pub fn passage_tokens(&self, text: &str) -> Result<usize, EmbedError> {
        self.with_session(Role::Passages, |model| {
            let encoding = model
                .tokenizer
                .encode(format!("{PASSAGE_PREFIX}{text}"), true)
                .map_err(|e| EmbedError::Inference(format!("tokenizer: {e}")))?;
            Ok(encoding.len())
        })
    }

    /// Texts are run shortest first in batches of `batch_size`, so each batch pads little.
    fn embed_prefixed(
        &self,
        role: Role,
        prefix: &str,
        texts: &[&str],
        batch_size: usize,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for batch in order.chunks(batch_size) {
            let inputs: Vec<String> = batch.iter().map(|&i| format!("{prefix}{}", texts[i])).collect();
            // locked per batch, so a query from another thread waits for one batch, not a whole job
            let vectors = self.with_session(role, |model| {
                model.embed(&inputs, Some(inputs.len())).map_err(|e| EmbedError::Inference(e.to_string()))
            })?;
            if vectors.len() != batch.len() {
                return Err(EmbedError::Inference(format!("{} vectors for {} texts", vectors.len(), batch.len())));
            }
            for (&i, mut v) in batch.iter().zip(vectors) {
                if v.len() != DIM {
                    return Err(EmbedError::Inference(format!("vector of {} dimensions, expected {DIM}", v.len())));
                }
                normalise(&mut v);
                out[i] = v;
            }
        }
        Ok(out)
    }
}

fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// The one ONNX Runtime environment of this process (ort allows only one). The library is
/// loaded from an absolute path, so a missing or unusable one is an error, not a panic.
fn ort_environment(lib: &Path) -> Result<ort::environment::Environment, EmbedError> {
    static ENVIRONMENT: Mutex<Option<(PathBuf, ort::environment::Environment)>> = Mutex::new(None);
    let mut slot = ENVIRONMENT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((loaded, environment)) = slot.as_ref() {
        if loaded != lib {
            tracing::warn!("ONNX Runtime already loaded from {}; ignoring {}", loaded.display(), lib.display());
        }
        return Ok(environment.clone());
    }
    let runtime_error = |message: String| EmbedError::Runtime { path: lib.to_path_buf(), message };
    let absolute = std::fs::canonicalize(lib).map_err(|e| runtime_error(e.to_string()))?;
    let environment = ort::init_from(&absolute)
        .map_err(|e| runtime_error(e.to_string()))?
        .with_name("sosik")
        .build()
        .map_err(|e| runtime_error(e.to_string()))?;
    *slot = Some((lib.to_path_buf(), environment.clone()));
    Ok(environment)
}
