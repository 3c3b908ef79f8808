//! A persistent, append-only embedding cache.
//!
//! File layout (little-endian):
//!
//! ```text
//! header  "SOSIKEMB" · u32 format version · u32 dimensions · u32 n · n bytes of model id (UTF-8)
//! record  key: sha256(model id, prefix, text), 32 bytes · DIM × f32 · check: 8 bytes
//! ```
//!
//! `check` is the first 8 bytes of sha256(key ‖ vector bytes). Records have a fixed size, so a
//! process killed mid-write leaves at most one partial record at the end; on opening, a partial
//! or failing record at the tail is cut off (with a warning) and the file stays usable. A
//! damaged record in the middle is skipped. The file is written by one process at a time.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{EmbedError, Embedder, DIM, PASSAGE_PREFIX};

const MAGIC: &[u8; 8] = b"SOSIKEMB";
const VERSION: u32 = 1;
const KEY_LEN: usize = 32;
const CHECK_LEN: usize = 8;
const RECORD_LEN: usize = KEY_LEN + DIM * 4 + CHECK_LEN;
/// Texts to embed from which a second model session is worth its load time (~0.5 s) and
/// memory (~150 MB).
pub const PARALLEL_MIN: usize = 64;

type Key = [u8; KEY_LEN];

/// What [`EmbeddingCache::embed_passages_cached`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Input texts served without running the model (found in the cache, or repeating a text
    /// earlier in the same call): `texts.len() - misses`.
    pub hits: usize,
    /// Distinct texts the model had to embed (and which are now cached).
    pub misses: usize,
}

/// Vectors of passages already embedded, backed by a file.
pub struct EmbeddingCache {
    path: PathBuf,
    file: File,
    model_id: String,
    index: HashMap<Key, usize>,
    vectors: Vec<f32>,
}

impl std::fmt::Debug for EmbeddingCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddingCache")
            .field("path", &self.path)
            .field("model_id", &self.model_id)
            .field("len", &self.index.len())
            .finish()
    }
}

impl EmbeddingCache {
    /// Opens (or creates) the cache at `path` for `model_id`. A file written for another model
    /// or format is started afresh (its vectors are useless to this model); a file that is not
    /// a cache at all is an error, never overwritten.
    pub fn open(path: &Path, model_id: &str) -> Result<Self, EmbedError> {
        let io = |source| EmbedError::CacheIo { path: path.to_path_buf(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).map_err(io)?;
        // One writer at a time (two index builds, or a build during a test run): the lock is held
        // until the cache is dropped, and released by the OS if the process dies.
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                tracing::info!("{}: another process is using the embedding cache; waiting", path.display());
                file.lock().map_err(io)?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;

        let header = header(model_id);
        let mut cache = EmbeddingCache {
            path: path.to_path_buf(),
            file,
            model_id: model_id.to_string(),
            index: HashMap::new(),
            vectors: Vec::new(),
        };
        let valid_len = if bytes.starts_with(&header) {
            cache.load_records(&bytes[header.len()..]) + header.len()
        } else {
            let ours = bytes.starts_with(MAGIC) || MAGIC.starts_with(&bytes); // incl. empty, or cut in the magic
            if !ours {
                return Err(EmbedError::NotACache { path: path.to_path_buf(), reason: "unknown magic".into() });
            }
            if bytes.len() >= header.len() {
                tracing::warn!("{}: written for another model or format; starting afresh", path.display());
            }
            cache.file.set_len(0).map_err(io)?;
            cache.file.seek(SeekFrom::Start(0)).map_err(io)?;
            cache.file.write_all(&header).map_err(io)?;
            cache.file.sync_data().map_err(io)?;
            header.len()
        };
        if bytes.len() > valid_len && bytes.starts_with(&header) {
            tracing::warn!(
                "{}: dropping {} bytes of damaged or partial records at the end",
                path.display(),
                bytes.len() - valid_len
            );
            cache.file.set_len(valid_len as u64).map_err(io)?;
        }
        cache.file.seek(SeekFrom::Start(valid_len as u64)).map_err(io)?;
        Ok(cache)
    }

    /// Reads whole records; returns the byte length up to the end of the last good one.
    fn load_records(&mut self, body: &[u8]) -> usize {
        let (mut good_end, mut skipped) = (0, 0);
        for (n, record) in body.chunks_exact(RECORD_LEN).enumerate() {
            let (key, rest) = record.split_at(KEY_LEN);
            let (vector, check) = rest.split_at(DIM * 4);
            if record_check(key, vector) != check {
                skipped += 1;
                continue;
            }
            if skipped > 0 {
                tracing::warn!("{}: skipped {skipped} damaged records", self.path.display());
                skipped = 0;
            }
            let values = vector.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            self.insert(key.try_into().expect("32-byte key"), values);
            good_end = (n + 1) * RECORD_LEN;
        }
        good_end
    }

    fn insert(&mut self, key: Key, values: impl IntoIterator<Item = f32>) {
        let slot = self.vectors.len() / DIM;
        self.vectors.extend(values);
        debug_assert_eq!(self.vectors.len(), (slot + 1) * DIM);
        // a key seen twice (only possible with two writers) points at its newest vector
        self.index.insert(key, slot);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Number of cached vectors.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The cached vector of a passage text (as given to `embed_passages_cached`, without prefix).
    pub fn get(&self, text: &str) -> Option<Vec<f32>> {
        self.lookup(&key(&self.model_id, PASSAGE_PREFIX, text)).map(<[f32]>::to_vec)
    }

    fn lookup(&self, key: &Key) -> Option<&[f32]> {
        self.index.get(key).map(|&slot| &self.vectors[slot * DIM..(slot + 1) * DIM])
    }

    /// Vectors of `texts` (passages), in input order. Only texts not cached yet are embedded,
    /// each distinct text once, `embedder.options().batch_size` at a time; every batch is
    /// appended to the file as soon as it is done, and the file is synced at the end.
    /// `on_progress(done, todo)` is called once with `done` = 0 before the first batch (so a caller
    /// can show the total and an estimate), then after each batch with the count of texts embedded
    /// so far out of those that need it.
    ///
    /// With at least [`PARALLEL_MIN`] texts to embed and more than one core, a second session of
    /// the model runs beside `embedder` (one session per core doubles the rate on 2 idle cores,
    /// where a second intra-op thread gains ~15%; see BENCHMARKS.md). Vectors do not depend on
    /// which session computed them (batch 1: no padding), so the cache is the same either way.
    pub fn embed_passages_cached(
        &mut self,
        embedder: &Embedder,
        texts: &[&str],
        on_progress: impl FnMut(usize, usize),
    ) -> Result<(Vec<Vec<f32>>, CacheStats), EmbedError> {
        if embedder.model_id() != self.model_id {
            return Err(EmbedError::ModelMismatch {
                cache: self.model_id.clone(),
                embedder: embedder.model_id().to_string(),
            });
        }
        let batch_size = embedder.options().batch_size;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let second = if cores > 1 && self.missing(texts) >= PARALLEL_MIN {
            match embedder.open_another() {
                Ok(e) => Some(e),
                Err(e) => {
                    tracing::warn!("embedding on one core: a second model session failed to load: {e}");
                    None
                }
            }
        } else {
            None
        };
        let sessions: Vec<&Embedder> = std::iter::once(embedder).chain(second.as_ref()).collect();
        self.embed_with(texts, batch_size, sessions.len(), |w, batch| sessions[w].embed_passages(batch), on_progress)
    }

    /// How many distinct texts of `texts` are not cached.
    fn missing(&self, texts: &[&str]) -> usize {
        let keys: std::collections::HashSet<Key> =
            texts.iter().map(|t| key(&self.model_id, PASSAGE_PREFIX, t)).collect();
        keys.iter().filter(|k| !self.index.contains_key(*k)).count()
    }

    /// [`Self::embed_passages_cached`] with the model abstracted away (tests use a fake one):
    /// `embed(worker, batch)` for `workers` workers, each running one batch at a time on its own
    /// thread; batches are appended in their order whichever worker finished first.
    fn embed_with(
        &mut self,
        texts: &[&str],
        batch_size: usize,
        workers: usize,
        embed: impl Fn(usize, &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> + Sync,
        mut on_progress: impl FnMut(usize, usize),
    ) -> Result<(Vec<Vec<f32>>, CacheStats), EmbedError> {
        let keys: Vec<Key> = texts.iter().map(|t| key(&self.model_id, PASSAGE_PREFIX, t)).collect();
        let mut todo: Vec<usize> = Vec::new(); // index of the first occurrence of each missing text
        let mut queued = std::collections::HashSet::new();
        for (i, k) in keys.iter().enumerate() {
            if !self.index.contains_key(k) && queued.insert(*k) {
                todo.push(i);
            }
        }
        // shortest first: batches of similar length carry little padding
        todo.sort_by_key(|&i| texts[i].len());

        let mut done = 0;
        on_progress(0, todo.len());
        let batches: Vec<&[usize]> = todo.chunks(batch_size.max(1)).collect();
        let result = (|| {
            for round in batches.chunks(workers.max(1)) {
                let embed = &embed;
                let outputs: Vec<Result<Vec<Vec<f32>>, EmbedError>> = std::thread::scope(|s| {
                    let handles: Vec<_> = round
                        .iter()
                        .enumerate()
                        .skip(1)
                        .map(|(w, batch)| {
                            let batch_texts: Vec<&str> = batch.iter().map(|&i| texts[i]).collect();
                            s.spawn(move || embed(w, &batch_texts))
                        })
                        .collect();
                    let first: Vec<&str> = round[0].iter().map(|&i| texts[i]).collect();
                    let mut outputs = vec![embed(0, &first)];
                    // a panic in the model is re-raised here, as if it had run on this thread
                    outputs
                        .extend(handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))));
                    outputs
                });
                for (batch, vectors) in round.iter().zip(outputs) {
                    let vectors = vectors?;
                    if vectors.len() != batch.len() || vectors.iter().any(|v| v.len() != DIM) {
                        return Err(EmbedError::Inference(
                            "embedder returned vectors of the wrong count or size".into(),
                        ));
                    }
                    self.append(batch.iter().map(|&i| &keys[i]).zip(vectors))?;
                    done += batch.len();
                    on_progress(done, todo.len());
                }
            }
            Ok(())
        })();
        // whatever was appended survives an error below: sync it
        let synced = self.file.sync_data().map_err(|source| EmbedError::CacheIo { path: self.path.clone(), source });
        result?;
        synced?;
        tracing::debug!(embedded = todo.len(), texts = texts.len(), "{}", self.path.display());

        let vectors = keys.iter().map(|k| self.lookup(k).expect("every text is cached now").to_vec()).collect();
        Ok((vectors, CacheStats { hits: texts.len() - todo.len(), misses: todo.len() }))
    }

    /// Stores vectors computed elsewhere for passages (`texts[i]` ↦ `vectors[i]`, no prefix),
    /// as if the model had embedded them, and syncs the file. Texts already cached keep their
    /// vector. Benches use it to seed a cache of their own with cheap vectors; an index built
    /// from such a cache searches by those vectors, so never point it at a real cache.
    pub fn insert_passages(&mut self, texts: &[&str], vectors: &[Vec<f32>]) -> Result<usize, EmbedError> {
        if texts.len() != vectors.len() || vectors.iter().any(|v| v.len() != DIM) {
            return Err(EmbedError::Inference(format!(
                "insert_passages: {} texts and {} vectors (each must have {DIM} dimensions)",
                texts.len(),
                vectors.len()
            )));
        }
        let mut queued = std::collections::HashSet::new();
        let mut keys = Vec::new();
        let mut fresh = Vec::new();
        for (text, vector) in texts.iter().zip(vectors) {
            let k = key(&self.model_id, PASSAGE_PREFIX, text);
            if !self.index.contains_key(&k) && queued.insert(k) {
                keys.push(k);
                fresh.push(vector.clone());
            }
        }
        let added = keys.len();
        self.append(keys.iter().zip(fresh))?;
        self.file.sync_data().map_err(|source| EmbedError::CacheIo { path: self.path.clone(), source })?;
        Ok(added)
    }

    fn append<'k>(&mut self, records: impl Iterator<Item = (&'k Key, Vec<f32>)>) -> Result<(), EmbedError> {
        let mut out = BufWriter::new(&self.file);
        let mut added = Vec::new();
        for (key, vector) in records {
            let bytes: Vec<u8> = vector.iter().flat_map(|x| x.to_le_bytes()).collect();
            let mut record = Vec::with_capacity(RECORD_LEN);
            record.extend_from_slice(key);
            record.extend_from_slice(&bytes);
            record.extend_from_slice(&record_check(key, &bytes));
            out.write_all(&record).map_err(|source| EmbedError::CacheIo { path: self.path.clone(), source })?;
            added.push((*key, vector));
        }
        out.flush().map_err(|source| EmbedError::CacheIo { path: self.path.clone(), source })?;
        drop(out);
        for (key, vector) in added {
            self.insert(key, vector);
        }
        Ok(())
    }
}

fn header(model_id: &str) -> Vec<u8> {
    let mut h = MAGIC.to_vec();
    h.extend_from_slice(&VERSION.to_le_bytes());
    h.extend_from_slice(&(DIM as u32).to_le_bytes());
    h.extend_from_slice(&(model_id.len() as u32).to_le_bytes());
    h.extend_from_slice(model_id.as_bytes());
    h
}

/// sha256 over length-prefixed (model id, prefix, text): no two inputs share a key.
fn key(model_id: &str, prefix: &str, text: &str) -> Key {
    let mut h = Sha256::new();
    for part in [model_id, prefix, text] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

fn record_check(key: &[u8], vector: &[u8]) -> [u8; CHECK_LEN] {
    let digest = Sha256::new().chain_update(key).chain_update(vector).finalize();
    digest[..CHECK_LEN].try_into().expect("8 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "test-model";

    /// A file path in a directory of its own, removed when the guard drops.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(name: &str) -> TempFile {
            let dir = std::env::temp_dir().join(format!("sosik-embed-test-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempFile(dir.join(name))
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(self.0.parent().unwrap());
        }
    }

    impl AsRef<Path> for TempFile {
        fn as_ref(&self) -> &Path {
            &self.0
        }
    }

    impl std::ops::Deref for TempFile {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    /// A deterministic stand-in for the model: a unit vector derived from the text's hash.
    fn fake_vector(text: &str) -> Vec<f32> {
        let seed = key("fake", "", text);
        let mut v: Vec<f32> = (0..DIM).map(|i| seed[i % KEY_LEN] as f32 - 127.5 + i as f32 * 0.01).collect();
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= n);
        v
    }

    /// A counter the fake model's workers share.
    struct Counter(std::sync::atomic::AtomicUsize);

    impl Counter {
        fn new(n: usize) -> Counter {
            Counter(std::sync::atomic::AtomicUsize::new(n))
        }
        fn get(&self) -> usize {
            self.0.load(std::sync::atomic::Ordering::SeqCst)
        }
        fn add(&self, n: usize) {
            self.0.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn fake_embed<'a>(
        calls: &'a Counter,
        embedded: &'a Counter,
    ) -> impl Fn(usize, &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> + Sync + 'a {
        move |_worker, batch| {
            calls.add(1);
            embedded.add(batch.len());
            Ok(batch.iter().map(|t| fake_vector(t)).collect())
        }
    }

    #[test]
    fn round_trip() {
        let path = TempFile::new("round_trip.bin");
        let texts = ["메타의 AI 인프라 투자", "Anthropic launched a desktop agent", "", "세 번째 문단"];
        let (calls, embedded) = (Counter::new(0), Counter::new(0));
        {
            let mut cache = EmbeddingCache::open(&path, MODEL).unwrap();
            assert!(cache.is_empty());
            let mut progress = Vec::new();
            let (vectors, stats) =
                cache.embed_with(&texts, 3, 1, fake_embed(&calls, &embedded), |d, t| progress.push((d, t))).unwrap();
            assert_eq!(stats, CacheStats { hits: 0, misses: 4 });
            assert_eq!(progress, vec![(0, 4), (3, 4), (4, 4)]);
            for (t, v) in texts.iter().zip(&vectors) {
                assert_eq!(v, &fake_vector(t));
            }
        }
        let file_len = std::fs::metadata(&path).unwrap().len() as usize;
        assert_eq!(file_len, header(MODEL).len() + 4 * RECORD_LEN);

        let mut cache = EmbeddingCache::open(&path, MODEL).unwrap();
        assert_eq!(cache.len(), 4);
        assert_eq!(cache.get(texts[1]), Some(fake_vector(texts[1])));
        assert_eq!(cache.get("never embedded"), None);
        let (vectors, stats) = cache.embed_with(&texts, 3, 1, fake_embed(&calls, &embedded), |_, _| {}).unwrap();
        assert_eq!(stats, CacheStats { hits: 4, misses: 0 });
        assert_eq!(embedded.get(), 4, "nothing embedded twice");
        assert_eq!(vectors[3], fake_vector(texts[3]));
    }

    #[test]
    fn inserted_vectors_are_served_as_cached() {
        let path = TempFile::new("insert.bin");
        let (calls, embedded) = (Counter::new(0), Counter::new(0));
        let mut cache = EmbeddingCache::open(&path, MODEL).unwrap();
        let texts = ["하나", "둘", "하나"];
        let vectors: Vec<Vec<f32>> = texts.iter().map(|t| fake_vector(&format!("other {t}"))).collect();
        assert_eq!(cache.insert_passages(&texts, &vectors).unwrap(), 2, "a repeated text is stored once");
        assert!(cache.insert_passages(&texts[..1], &[vec![0.0; 3]]).is_err(), "wrong dimension refused");
        drop(cache);
        let mut cache = EmbeddingCache::open(&path, MODEL).unwrap();
        let (got, stats) = cache.embed_with(&texts[..2], 8, 1, fake_embed(&calls, &embedded), |_, _| {}).unwrap();
        assert_eq!(stats, CacheStats { hits: 2, misses: 0 });
        assert_eq!(embedded.get(), 0);
        assert_eq!(got[0], vectors[0]);
        assert_eq!(cache.insert_passages(&texts[..1], &[fake_vector("x")]).unwrap(), 0, "cached texts keep theirs");
        assert_eq!(cache.get("하나"), Some(vectors[0].clone()));
    }

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let path = TempFile::new("lock.bin");
        let first = EmbeddingCache::open(&path, MODEL).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.to_path_buf();
        let waiter = std::thread::spawn(move || {
            let second = EmbeddingCache::open(&p, MODEL).unwrap();
            tx.send(()).unwrap();
            drop(second);
        });
        assert!(rx.recv_timeout(std::time::Duration::from_millis(300)).is_err(), "second open did not wait");
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).expect("second open proceeds once the first is dropped");
        waiter.join().unwrap();
    }

    #[test]
    fn duplicates_are_embedded_once() {
        let path = TempFile::new("dedup.bin");
        let mut cache = EmbeddingCache::open(&path, MODEL).unwrap();
        let (calls, embedded) = (Counter::new(0), Counter::new(0));
        let texts = ["같은 문장", "같은 문장", "다른 문장", "같은 문장"];
        let (vectors, stats) = cache.embed_with(&texts, 8, 1, fake_embed(&calls, &embedded), |_, _| {}).unwrap();
        assert_eq!(stats, CacheStats { hits: 2, misses: 2 });
        assert_eq!(embedded.get(), 2);
        assert_eq!(vectors[0], vectors[1]);
        assert_eq!(vectors[0], vectors[3]);
        assert_ne!(vectors[0], vectors[2]);
        let (_, stats) = cache.embed_with(&["같은 문장"], 8, 1, fake_embed(&calls, &embedded), |_, _| {}).unwrap();
        assert_eq!(stats, CacheStats { hits: 1, misses: 0 });
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn truncated_and_damaged_tails_are_dropped() {
        let path = TempFile::new("tail.bin");
        let (calls, embedded) = (Counter::new(0), Counter::new(0));
        let texts = ["하나", "둘", "셋"];
        EmbeddingCache::open(&path, MODEL)
            .unwrap()
            .embed_with(&texts, 8, 1, fake_embed(&calls, &embedded), |_, _| {})
            .unwrap();
        let good = std::fs::read(&path).unwrap();

        // killed mid-record: half a record at the end
        let mut bytes = good.clone();
        bytes.extend_from_slice(&good[good.len() - RECORD_LEN..][..RECORD_LEN / 2]);
        std::fs::write(&path, &bytes).unwrap();
        let mut cache = EmbeddingCache::open(&path, MODEL).unwrap();
        assert_eq!(cache.len(), 3);
        assert_eq!(std::fs::metadata(&path).unwrap().len() as usize, good.len(), "partial record cut off");
        // appending after recovery keeps the file aligned
        cache.embed_with(&["넷"], 8, 1, fake_embed(&calls, &embedded), |_, _| {}).unwrap();
        drop(cache);
        let cache = EmbeddingCache::open(&path, MODEL).unwrap();
        assert_eq!(cache.len(), 4);
        assert_eq!(cache.get("넷"), Some(fake_vector("넷")));

        // a whole record of garbage (zero-filled page after a crash) at the end
        drop(cache); // one open cache per file at a time (it holds the file lock)
        let mut bytes = std::fs::read(&path).unwrap();
        let clean_len = bytes.len();
        bytes.extend(std::iter::repeat_n(0u8, RECORD_LEN));
        std::fs::write(&path, &bytes).unwrap();
        let cache = EmbeddingCache::open(&path, MODEL).unwrap();
        assert_eq!(cache.len(), 4);
        assert_eq!(std::fs::metadata(&path).unwrap().len() as usize, clean_len);

        // a flipped bit inside a record: that record is dropped, the others stay
        drop(cache);
        let mut bytes = std::fs::read(&path).unwrap();
        let at = header(MODEL).len() + RECORD_LEN + 100;
        bytes[at] ^= 0x40;
        std::fs::write(&path, &bytes).unwrap();
        let cache = EmbeddingCache::open(&path, MODEL).unwrap();
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get("하나"), Some(fake_vector("하나")));

        drop(cache);
        // killed while writing the header
        std::fs::write(&path, &header(MODEL)[..5]).unwrap();
        assert!(EmbeddingCache::open(&path, MODEL).unwrap().is_empty());
    }

    #[test]
    fn other_model_starts_afresh_and_foreign_files_are_kept() {
        let path = TempFile::new("model.bin");
        let (calls, embedded) = (Counter::new(0), Counter::new(0));
        EmbeddingCache::open(&path, MODEL)
            .unwrap()
            .embed_with(&["a"], 8, 1, fake_embed(&calls, &embedded), |_, _| {})
            .unwrap();
        let cache = EmbeddingCache::open(&path, "another-model").unwrap();
        assert!(cache.is_empty());
        assert_eq!(cache.model_id(), "another-model");

        let foreign = TempFile::new("foreign.txt");
        std::fs::write(&foreign, "precious notes, not a cache").unwrap();
        let err = EmbeddingCache::open(&foreign, MODEL).unwrap_err();
        assert!(matches!(err, EmbedError::NotACache { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "precious notes, not a cache");
    }

    /// Two workers embed alternate batches on their own threads; the cache ends up with the
    /// same records in the same order as with one, and both workers did work.
    #[test]
    fn two_workers_write_what_one_writes() {
        let texts: Vec<String> = (0..23).map(|i| format!("문장 {i} {}", "가".repeat(i % 5))).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let one = TempFile::new("one_worker.bin");
        let two = TempFile::new("two_workers.bin");
        let (calls, embedded) = (Counter::new(0), Counter::new(0));
        let (v1, s1) = EmbeddingCache::open(&one, MODEL)
            .unwrap()
            .embed_with(&refs, 2, 1, fake_embed(&calls, &embedded), |_, _| {})
            .unwrap();
        let by_worker = [Counter::new(0), Counter::new(0)];
        let mut progress = Vec::new();
        let (v2, s2) = EmbeddingCache::open(&two, MODEL)
            .unwrap()
            .embed_with(
                &refs,
                2,
                2,
                |w, batch| {
                    by_worker[w].add(batch.len());
                    Ok(batch.iter().map(|t| fake_vector(t)).collect())
                },
                |d, t| progress.push((d, t)),
            )
            .unwrap();
        assert_eq!((v1, s1), (v2, s2));
        assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap(), "same records, same order");
        assert_eq!((by_worker[0].get(), by_worker[1].get()), (12, 11), "batches alternate between the workers");
        assert_eq!(progress.last(), Some(&(23, 23)));
        assert!(progress.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn keys_separate_model_prefix_and_text() {
        assert_ne!(key("m", "passage: ", "x"), key("m", "query: ", "x"));
        assert_ne!(key("m", "ab", "c"), key("m", "a", "bc"));
        assert_ne!(key("m1", "p", "x"), key("m2", "p", "x"));
    }
}
