//! The company, topic and name lists with their counts and item dates: computed on first use by
//! explore (`crate::explore`), kept here with the rest of the engine's in-memory state so that
//! the engine does not depend on explore (explore depends on the engine).

use std::collections::HashMap;

use chrono::NaiveDate;
use sosik_types::{EntityList, EntitySummary};

/// The company and topic lists, computed once per engine.
pub(crate) struct EntityLists {
    pub(crate) companies: EntityList,
    pub(crate) topics: EntityList,
    /// The glossary's people, products and organisations, most items first.
    pub(crate) names: Vec<EntitySummary>,
    /// slug → the dates of its items (one per near-duplicate group), ascending.
    pub(crate) company_dates: HashMap<String, Vec<NaiveDate>>,
    pub(crate) topic_dates: HashMap<String, Vec<NaiveDate>>,
    /// The same for the glossary's people, products and organisations (`Meta::names`).
    pub(crate) name_dates: HashMap<String, Vec<NaiveDate>>,
}
