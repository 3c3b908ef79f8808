//! The trained topic classifier (`data/topic_model.json`): per topic, a logistic regression over
//! the item's embedding and the two scores the keyword rule reads (the topic's keyword score and
//! the z-score of the item's similarity to the topic's description; see [`topic_decision`]).
//!
//! It is trained by `sosik-indexer train-topics` on the **tuning** labels of
//! `tests/fixtures/labels/tagging.jsonl` only, and written to `data/topic_model.json`, which the
//! binaries carry like the lists. A topic with fewer than [`MIN_POSITIVES`] tuning examples has no
//! classifier and keeps the keyword rule. The model holds a digest of what its features depend
//! on — the embedding model, every topic's slug, description text and keywords — and is not used
//! when they changed since it was trained (the features would not mean what they meant): the
//! build says so and tags by the keyword rule until the model is trained again.
//!
//! Written by hand rather than with a machine-learning crate: the whole model is 22 dot products
//! of 386 numbers, and training is Newton's method on a 387 × 387 system per topic (a Cholesky
//! solve, below); linfa or smartcore would bring a linear-algebra stack for that.
//!
//! [`topic_decision`]: super::topic_decision

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Catalog, TopicVectors};

/// The file format's version.
pub const FORMAT: u32 = 1;
/// The features' version: bump it when [`features`], [`VECTOR_SCALE`] or the keyword weights
/// of [`super::rules`] change, so that models trained on the old features are not used.
pub const FEATURES: u32 = 1;
/// A topic needs this many positive tuning labels for a classifier of its own.
pub const MIN_POSITIVES: usize = 2;
/// The embedding is scaled by this before the two scores are appended: unit vectors' entries
/// are ~0.05, keyword scores and z-scores ~1, and one L2 penalty regularises all of them.
pub const VECTOR_SCALE: f32 = 10.0;
/// Inverse regularisation strength (scikit-learn's `C`): chosen with [`KEYWORD_GATE`] by 5-fold
/// cross-validation on the tuning labels (`sosik-indexer train-topics --cv
/// 0.01,0.03,0.05,0.1,0.2,0.3,1,3,10`, each with and without the gate): topic micro F1
/// 0.660–0.703, best at 0.1 with the gate (0.698 at best without it; the keyword rule: 0.655).
pub const DEFAULT_C: f64 = 0.1;
/// A topic is tagged when its probability reaches this.
pub const THRESHOLD: f32 = 0.5;
/// Whether a classifier may tag only an item with some keyword evidence for the topic (as the
/// keyword rule never tags on similarity alone): chosen by `train-topics --cv` (see
/// [`DEFAULT_C`]); it also keeps every tag to an item that names its topic.
pub const KEYWORD_GATE: bool = true;

/// The built-in model (`data/topic_model.json`).
pub const DEFAULT_TOPIC_MODEL: &str = include_str!("../../../data/topic_model.json");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicModel {
    pub format: u32,
    /// The embedding model the features come from.
    pub model_id: String,
    /// [`TopicModel::digest`] of the lists and model it was trained with.
    pub digest: String,
    /// How it was trained, for the record: labels used, `C`.
    pub trained_on: usize,
    pub c: f64,
    pub topics: Vec<TopicClassifier>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicClassifier {
    pub slug: String,
    /// Positive tuning labels it was trained on.
    pub positives: usize,
    /// One weight per feature ([`features`]), then the bias.
    pub weights: Vec<f32>,
}

/// One item's features for one topic: the scaled embedding, the keyword score, the z-score.
pub fn features(vector: &[f32], keywords: f32, z: f32) -> Vec<f32> {
    let mut x: Vec<f32> = vector.iter().map(|v| v * VECTOR_SCALE).collect();
    x.push(keywords);
    x.push(z);
    x
}

impl TopicClassifier {
    /// Whether it tags an item with this embedding, keyword score and z-score: probability ≥
    /// [`THRESHOLD`], and with `keyword_gate` some keyword evidence.
    pub fn tags(&self, vector: &[f32], keywords: f32, z: f32, keyword_gate: bool) -> bool {
        (!keyword_gate || keywords > 0.0) && self.probability(&features(vector, keywords, z)) >= THRESHOLD
    }

    /// The probability that an item with these features is about the topic.
    pub fn probability(&self, x: &[f32]) -> f32 {
        let (w, bias) = self.weights.split_at(self.weights.len() - 1);
        let t: f32 = w.iter().zip(x).map(|(a, b)| a * b).sum::<f32>() + bias[0];
        1.0 / (1.0 + (-t).exp())
    }
}

impl TopicModel {
    /// What the features depend on, hashed: the features' version, the embedding model, and
    /// every topic's slug, embedded text, keywords, source prefixes and companies, with those
    /// companies' names, aliases and products (a listed company's mention counts like a
    /// keyword). Not covered: the Korean dictionary and its user words, which could cut a
    /// keyword differently after an edit to the company list or the glossary.
    pub fn digest(catalog: &Catalog, model_id: &str) -> String {
        let mut h = Sha256::new();
        let mut part = |s: &str| {
            h.update(s.as_bytes());
            h.update([0]);
        };
        part(&FEATURES.to_string());
        part(model_id);
        for t in &catalog.topics {
            part(&t.slug);
            part(&TopicVectors::text(t));
            t.keywords.iter().chain(&t.sources).for_each(|k| part(k));
            for slug in &t.companies {
                part(slug);
                if let Some(c) = catalog.companies.iter().find(|c| &c.slug == slug) {
                    part(&c.name);
                    c.aliases.iter().chain(&c.products).for_each(|a| part(a));
                }
            }
            part("\u{1}");
        }
        h.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
    }

    /// SHA-256 of the model as its file holds it (for a build's record of its inputs).
    pub fn sha256(&self) -> String {
        let json = serde_json::to_vec(self).expect("a model serialises");
        Sha256::digest(&json).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads a model file's text (`name` in errors).
    pub fn parse(text: &str, name: &str) -> Result<TopicModel, String> {
        let m: TopicModel = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        if m.format != FORMAT {
            return Err(format!("{name}: format {} (this sosik reads {FORMAT}); train it again", m.format));
        }
        // the embedding, the two scores, the bias
        let want = sosik_embed::DIM + 3;
        if let Some(t) = m.topics.iter().find(|t| t.weights.len() != want || t.weights.iter().any(|w| !w.is_finite())) {
            return Err(format!(
                "{name}: topic {:?} has {} weights, {want} finite ones expected; train it again",
                t.slug,
                t.weights.len()
            ));
        }
        Ok(m)
    }

    /// Why this model cannot tag with `catalog`'s topics and this embedding model, or `None`.
    pub fn stale(&self, catalog: &Catalog, model_id: &str) -> Option<String> {
        if self.model_id != model_id {
            return Some(format!("trained on {} embeddings, the installed model is {model_id}", self.model_id));
        }
        (self.digest != TopicModel::digest(catalog, model_id)).then(|| {
            "the topic list (slugs, descriptions or keywords) changed since it was trained; run \
             `sosik-indexer train-topics` again"
                .to_string()
        })
    }

    /// Trains one classifier per topic of `catalog` with at least [`MIN_POSITIVES`] positives.
    /// `rows[i]` is item `i`'s (embedding, per-topic keyword scores, per-topic z-scores) and
    /// `gold[i]` the topic indices a reader gave it.
    pub fn train(
        catalog: &Catalog,
        model_id: &str,
        rows: &[(Vec<f32>, Vec<f32>, Vec<f32>)],
        gold: &[Vec<usize>],
        c: f64,
    ) -> TopicModel {
        let mut topics = Vec::new();
        for (t, topic) in catalog.topics.iter().enumerate() {
            let y: Vec<bool> = gold.iter().map(|g| g.contains(&t)).collect();
            let positives = y.iter().filter(|p| **p).count();
            if positives < MIN_POSITIVES || positives == y.len() {
                continue;
            }
            let x: Vec<Vec<f64>> =
                rows.iter().map(|(v, kw, z)| features(v, kw[t], z[t]).into_iter().map(f64::from).collect()).collect();
            // a fit that did not converge keeps the keyword rule for its topic
            if let Some(w) = logistic_regression(&x, &y, c) {
                let weights = w.into_iter().map(|w| w as f32).collect();
                topics.push(TopicClassifier { slug: topic.slug.clone(), positives, weights });
            }
        }
        TopicModel {
            format: FORMAT,
            model_id: model_id.to_string(),
            digest: TopicModel::digest(catalog, model_id),
            trained_on: rows.len(),
            c,
            topics,
        }
    }
}

/// L2-regularised logistic regression with balanced class weights (each class weighs
/// `n / (2 · its count)`), the objective of scikit-learn's `LogisticRegression(C=c,
/// class_weight="balanced")`: ½‖w‖² + c · Σ weightᵢ · log-loss, the bias unpenalised. Newton's
/// method from zero; returns the weights, then the bias, or `None` when it did not converge (a
/// singular system, or still moving after the last step).
fn logistic_regression(x: &[Vec<f64>], y: &[bool], c: f64) -> Option<Vec<f64>> {
    let n = x.len();
    let d = x.first().map_or(0, Vec::len) + 1; // + bias
    let pos = y.iter().filter(|p| **p).count() as f64;
    let class_weight = |p: bool| n as f64 / (2.0 * if p { pos } else { n as f64 - pos });
    let row = |i: usize, j: usize| if j + 1 == d { 1.0 } else { x[i][j] };
    let mut w = vec![0.0f64; d];
    for _ in 0..50 {
        let mut grad = vec![0.0f64; d];
        let mut hess = vec![0.0f64; d * d];
        for j in 0..d - 1 {
            grad[j] = w[j];
            hess[j * d + j] = 1.0;
        }
        hess[(d - 1) * d + (d - 1)] = 1e-8; // the bias is not penalised; keep the system definite
        for (i, &yi) in y.iter().enumerate() {
            let t: f64 = (0..d).map(|j| w[j] * row(i, j)).sum();
            let p = 1.0 / (1.0 + (-t).exp());
            let cw = c * class_weight(yi);
            let g = cw * (p - if yi { 1.0 } else { 0.0 });
            let h = cw * p * (1.0 - p);
            for j in 0..d {
                let xj = row(i, j);
                grad[j] += g * xj;
                if h > 0.0 {
                    for k in 0..=j {
                        hess[j * d + k] += h * xj * row(i, k);
                    }
                }
            }
        }
        for j in 0..d {
            for k in 0..j {
                hess[k * d + j] = hess[j * d + k];
            }
        }
        let step = cholesky_solve(&mut hess, &grad, d)?;
        let mut moved = 0.0f64;
        for j in 0..d {
            w[j] -= step[j];
            moved = moved.max(step[j].abs());
        }
        if !moved.is_finite() {
            return None;
        }
        if moved < 1e-9 {
            return Some(w);
        }
    }
    None
}

/// Solves `a · s = b` for a symmetric positive definite `a` (`d × d`, row-major, overwritten by
/// its Cholesky factor); `None` when `a` is not positive definite.
fn cholesky_solve(a: &mut [f64], b: &[f64], d: usize) -> Option<Vec<f64>> {
    for j in 0..d {
        let mut s = a[j * d + j];
        for k in 0..j {
            s -= a[j * d + k] * a[j * d + k];
        }
        if s <= 0.0 || !s.is_finite() {
            return None;
        }
        let l = s.sqrt();
        a[j * d + j] = l;
        for i in j + 1..d {
            let mut s = a[i * d + j];
            for k in 0..j {
                s -= a[i * d + k] * a[j * d + k];
            }
            a[i * d + j] = s / l;
        }
    }
    let mut y = vec![0.0; d];
    for i in 0..d {
        let s: f64 = b[i] - (0..i).map(|k| a[i * d + k] * y[k]).sum::<f64>();
        y[i] = s / a[i * d + i];
    }
    let mut s = vec![0.0; d];
    for i in (0..d).rev() {
        let t: f64 = y[i] - (i + 1..d).map(|k| a[k * d + i] * s[k]).sum::<f64>();
        s[i] = t / a[i * d + i];
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let s = cholesky_solve(&mut a, &[2.0, 1.0], 2).unwrap();
        // 4x + 2y = 2, 2x + 3y = 1 → x = 0.5, y = 0
        assert!((s[0] - 0.5).abs() < 1e-12 && s[1].abs() < 1e-12, "{s:?}");
        assert!(cholesky_solve(&mut [0.0, 0.0, 0.0, 0.0], &[1.0, 1.0], 2).is_none());
    }

    #[test]
    fn logistic_regression_separates_and_matches_the_optimum() {
        // one feature: positives at 2 and 3, negatives at -2 and -3; the optimum is symmetric
        let x = vec![vec![2.0], vec![3.0], vec![-2.0], vec![-3.0]];
        let y = [true, true, false, false];
        let w = logistic_regression(&x, &y, 1.0).expect("converges");
        assert!(w[0] > 0.5 && w[1].abs() < 1e-9, "{w:?}");
        // the gradient of the objective is zero there: w = c · Σ cwᵢ (yᵢ − pᵢ) xᵢ
        let p = |v: f64| 1.0 / (1.0 + (-(w[0] * v + w[1])).exp());
        let g: f64 = x.iter().zip(y).map(|(v, y)| (f64::from(u8::from(y)) - p(v[0])) * v[0]).sum();
        assert!((w[0] - g).abs() < 1e-9, "{} vs {g}", w[0]);
        // unbalanced classes: the balanced weights keep the decision near the middle
        let x = vec![vec![1.0], vec![1.2], vec![0.9], vec![-1.0]];
        let y = [false, false, false, true];
        let w = logistic_regression(&x, &y, 10.0).expect("converges");
        let p = |v: f64| 1.0 / (1.0 + (-(w[0] * v + w[1])).exp());
        assert!(p(-1.0) > 0.5 && p(1.0) < 0.5, "{w:?}");
    }

    #[test]
    fn a_model_trained_on_other_lists_is_stale() {
        let catalog = Catalog::builtin().unwrap();
        let model = TopicModel {
            format: FORMAT,
            model_id: "m".into(),
            digest: TopicModel::digest(&catalog, "m"),
            trained_on: 0,
            c: 1.0,
            topics: Vec::new(),
        };
        assert_eq!(model.stale(&catalog, "m"), None);
        assert!(model.stale(&catalog, "other").is_some());
        let mut edited = catalog.clone();
        edited.topics[0].keywords.push("새 키워드".into());
        assert!(model.stale(&edited, "m").unwrap().contains("train-topics"));
        // a source prefix, or an alias of a company a topic counts, changes the features too
        let mut edited = catalog.clone();
        edited.topics[0].sources.push("example.org/papers".into());
        assert!(model.stale(&edited, "m").is_some());
        let counted =
            catalog.topics.iter().find_map(|t| t.companies.first()).expect("a topic counts a company").clone();
        let mut edited = catalog.clone();
        edited.companies.iter_mut().find(|c| c.slug == counted).unwrap().aliases.push("새 별칭".into());
        assert!(model.stale(&edited, "m").is_some());
        // an alias of a company no topic counts does not
        let mut edited = catalog.clone();
        let other = edited.companies.iter_mut().find(|c| !catalog.topics.iter().any(|t| t.companies.contains(&c.slug)));
        other.unwrap().aliases.push("새 별칭".into());
        assert_eq!(model.stale(&edited, "m"), None);
    }

    /// The model built into the binaries fits the built-in lists: a topics.toml edit without
    /// `sosik-indexer train-topics` would otherwise turn it off unnoticed.
    #[test]
    fn the_built_in_model_is_current() {
        let catalog = Catalog::builtin().unwrap();
        let model = TopicModel::parse(DEFAULT_TOPIC_MODEL, "data/topic_model.json").unwrap();
        assert_eq!(model.stale(&catalog, &model.model_id), None, "retrain: sosik-indexer train-topics");
        assert!(model.model_id.contains("e5"), "{}", model.model_id);
        assert!(model.topics.len() >= catalog.topics.len() / 2, "{} classifiers", model.topics.len());
        assert!(model.topics.iter().all(|t| catalog.topics.iter().any(|c| c.slug == t.slug)));
    }

    #[test]
    fn a_model_with_weights_of_the_wrong_length_is_refused() {
        let mut model = TopicModel::parse(DEFAULT_TOPIC_MODEL, "built in").unwrap();
        model.topics[0].weights.pop();
        let err = TopicModel::parse(&serde_json::to_string(&model).unwrap(), "m.json").unwrap_err();
        assert!(err.contains("m.json") && err.contains(&model.topics[0].slug), "{err}");
    }
}
