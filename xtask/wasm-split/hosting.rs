// Appended to wasm_split_cli_support's src/split_point.rs by xtask/src/split_tool.rs (it uses
// that file's types), which also makes the painting loop place each symbol through `Hosting`.

/// With `WASM_SPLIT_HOST` naming a split (the signed-in
/// app), the code it shares only with splits that are loaded after it (those called from its
/// code alone, and from theirs) goes into the host's own module, instead of one chunk per set of
/// splits that share it: one module to fetch, not hundreds. Code it shares with a split that may
/// come first goes into one chunk that every split sharing any of it loads (a superset of those
/// that need it, so whoever needs it still has it first).
///
/// The pieces loaded after the host share code among themselves in many small sets too (a page
/// and a dialog, three pages, …): each such chunk of at most `SMALL_CHUNK` symbols goes into one
/// chunk for all of them, loaded by any of those pieces, so that a page's first visit fetches
/// a few files rather than a hundred (each small chunk's few hundred bytes cost a request, a
/// module header and compression of its own).
struct Hosting {
    host: Option<String>,
    after_host: BTreeSet<String>,
    /// The small chunks of pieces loaded after the host, and the one chunk they become.
    small: HashSet<SplitModuleIdentifier>,
    small_merged: SplitModuleIdentifier,
}

const SMALL_CHUNK: usize = 40;

impl Hosting {
    fn new(painted: &[(DepNode, SplitModuleIdentifier)], split_points: &[SplitPoint]) -> Self {
        let Some(host) = std::env::var("WASM_SPLIT_HOST")
            .ok()
            .filter(|h| !h.is_empty())
        else {
            return Self {
                host: None,
                after_host: BTreeSet::new(),
                small: HashSet::new(),
                small_merged: SplitModuleIdentifier::Main,
            };
        };
        // Who calls each split: the colour of its import.
        let callers: HashMap<InputFuncId, &SplitModuleIdentifier> = painted
            .iter()
            .filter_map(|(node, color)| match node {
                DepNode::Function(id) => Some((*id, color)),
                _ => None,
            })
            .collect();
        let called_by = |split: &SplitPoint| callers.get(&split.import_func).copied();
        let names = |color: &SplitModuleIdentifier| -> BTreeSet<String> {
            match color {
                SplitModuleIdentifier::Main => BTreeSet::new(),
                SplitModuleIdentifier::Split(name) => [name.clone()].into(),
                SplitModuleIdentifier::Chunk(names) => names.clone(),
            }
        };
        // Early: called from the main module (the host aside), or from an early split's code.
        let mut early: BTreeSet<String> = split_points
            .iter()
            .filter(|split| split.module_name != host)
            .filter(|split| matches!(called_by(split), Some(SplitModuleIdentifier::Main) | None))
            .map(|split| split.module_name.clone())
            .collect();
        loop {
            let more: Vec<String> = split_points
                .iter()
                .filter(|split| split.module_name != host && !early.contains(&split.module_name))
                .filter(|split| {
                    called_by(split).is_some_and(|color| !names(color).is_disjoint(&early))
                })
                .map(|split| split.module_name.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            early.extend(more);
        }
        let after_host = split_points
            .iter()
            .map(|split| split.module_name.clone())
            .filter(|name| *name != host && !early.contains(name))
            .collect();
        eprintln!("wasm-split: loaded after {host}: {after_host:?}; early: {early:?}");
        let mut hosting = Self {
            host: Some(host),
            after_host,
            small: HashSet::new(),
            small_merged: SplitModuleIdentifier::Main,
        };
        let mut sizes: HashMap<SplitModuleIdentifier, usize> = HashMap::new();
        for (_, color) in painted {
            *sizes.entry(hosting.host_place(color.clone())).or_default() += 1;
        }
        let mut merged = BTreeSet::new();
        for (color, size) in sizes {
            if let SplitModuleIdentifier::Chunk(needed_by) = &color {
                if size <= SMALL_CHUNK && needed_by.is_subset(&hosting.after_host) {
                    merged.extend(needed_by.iter().cloned());
                    hosting.small.insert(color);
                }
            }
        }
        eprintln!(
            "wasm-split: {} small chunks of the pieces after the host made one",
            hosting.small.len()
        );
        hosting.small_merged = SplitModuleIdentifier::Chunk(merged);
        hosting
    }

    fn place(&self, color: SplitModuleIdentifier) -> SplitModuleIdentifier {
        let placed = self.host_place(color);
        if self.small.contains(&placed) {
            self.small_merged.clone()
        } else {
            placed
        }
    }

    fn host_place(&self, color: SplitModuleIdentifier) -> SplitModuleIdentifier {
        let Some(host) = &self.host else { return color };
        match color {
            SplitModuleIdentifier::Chunk(needed_by) if needed_by.contains(host) => {
                if needed_by
                    .iter()
                    .all(|name| name == host || self.after_host.contains(name))
                {
                    SplitModuleIdentifier::Split(host.clone())
                } else {
                    SplitModuleIdentifier::Chunk(
                        needed_by.union(&self.after_host).cloned().collect(),
                    )
                }
            }
            color => color,
        }
    }
}
