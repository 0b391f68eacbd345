//! Dependency resolution with PubGrub: pick one version of every skill so that every
//! requirement holds, or explain in plain words why none exists.
//!
//! The caller gathers an [`Index`] (every version of every reachable skill, with its
//! dependencies); resolution itself does no I/O. Yanked versions are never chosen, except
//! where the caller pins them (a lockfile keeps working after a yank).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use pubgrub::{
    DefaultStringReporter, DerivationTree, External, OfflineDependencyProvider, PubGrubError,
    Ranges, Reporter,
};
use semver::{Version, VersionReq};

/// The name used for the project itself in explanations.
pub const ROOT: &str = "your project";

/// One published version, as the registry lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub version: Version,
    pub yanked: bool,
    /// `author/name` → requirement.
    pub dependencies: BTreeMap<String, VersionReq>,
}

/// Every known version of every skill that resolution may need.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub packages: BTreeMap<String, Vec<Candidate>>,
}

impl Index {
    pub fn insert(&mut self, name: impl Into<String>, candidate: Candidate) {
        self.packages
            .entry(name.into())
            .or_default()
            .push(candidate);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("`{0}` is not in the registry")]
    Unknown(String),
    #[error("these requirements cannot all be satisfied:\n{0}")]
    Conflict(String),
    #[error("resolution failed: {0}")]
    Internal(String),
}

type Provider = OfflineDependencyProvider<String, Ranges<Version>>;

/// Resolves `root` (the project's direct requirements). `pinned` versions (from a lockfile)
/// are allowed even when yanked. Returns `author/name` → version for every needed skill.
pub fn resolve(
    root: &BTreeMap<String, VersionReq>,
    index: &Index,
    pinned: &BTreeMap<String, Version>,
) -> Result<BTreeMap<String, Version>, ResolveError> {
    let mut provider = Provider::new();
    // (dependent, version, dependency) → the requirement as written, for explanations.
    let mut written: BTreeMap<(String, Option<Version>, String), String> = BTreeMap::new();
    let usable = |name: &str, c: &Candidate| !c.yanked || pinned.get(name) == Some(&c.version);
    let set_for = |dep: &str, req: &VersionReq| -> Ranges<Version> {
        let mut set = Ranges::empty();
        for c in index.packages.get(dep).map(Vec::as_slice).unwrap_or(&[]) {
            if req.matches(&c.version) && usable(dep, c) {
                set = set.union(&Ranges::singleton(c.version.clone()));
            }
        }
        set
    };
    for dep in root.keys() {
        if !index.packages.contains_key(dep) {
            return Err(ResolveError::Unknown(dep.clone()));
        }
    }
    let root_version = Version::new(0, 0, 0);
    provider.add_dependencies(
        ROOT.to_string(),
        root_version.clone(),
        root.iter().map(|(d, r)| {
            written.insert((ROOT.into(), None, d.clone()), r.to_string());
            (d.clone(), set_for(d, r))
        }),
    );
    for (name, candidates) in &index.packages {
        for c in candidates.iter().filter(|c| usable(name, c)) {
            provider.add_dependencies(
                name.clone(),
                c.version.clone(),
                c.dependencies.iter().map(|(d, r)| {
                    written.insert(
                        (name.clone(), Some(c.version.clone()), d.clone()),
                        r.to_string(),
                    );
                    (d.clone(), set_for(d, r))
                }),
            );
        }
    }
    match pubgrub::resolve(&provider, ROOT.to_string(), root_version) {
        Ok(solution) => Ok(solution.into_iter().filter(|(p, _)| p != ROOT).collect()),
        Err(PubGrubError::NoSolution(tree)) => {
            let explanation = explain(&tree, index, &written);
            let text = if explanation.is_empty() {
                DefaultStringReporter::report(&tree)
            } else {
                explanation
            };
            Err(ResolveError::Conflict(text))
        }
        Err(e) => Err(ResolveError::Internal(e.to_string())),
    }
}

/// One line per fact that leads to the conflict, in the words the user wrote.
fn explain(
    tree: &DerivationTree<String, Ranges<Version>, String>,
    index: &Index,
    written: &BTreeMap<(String, Option<Version>, String), String>,
) -> String {
    let mut lines = BTreeSet::new();
    let mut order = Vec::new();
    collect(tree, index, written, &mut lines, &mut order);
    order
        .iter()
        .map(|l| format!("  - {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn versions_in(index: &Index, name: &str, set: &Ranges<Version>) -> Vec<Version> {
    let mut vs: Vec<Version> = index
        .packages
        .get(name)
        .map(|cs| {
            cs.iter()
                .map(|c| c.version.clone())
                .filter(|v| set.contains(v))
                .collect()
        })
        .unwrap_or_default();
    vs.sort();
    vs.dedup();
    vs
}

fn available(index: &Index, name: &str) -> String {
    let list: Vec<String> = index
        .packages
        .get(name)
        .map(|cs| {
            cs.iter()
                .filter(|c| !c.yanked)
                .map(|c| c.version.to_string())
                .collect()
        })
        .unwrap_or_default();
    if list.is_empty() {
        "it has no versions that are not yanked".into()
    } else {
        format!("published and not yanked: {}", list.join(", "))
    }
}

struct Versions<'a>(&'a str, &'a [Version]);

impl fmt::Display for Versions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            [] => write!(f, "{}", self.0),
            [one] => write!(f, "{}@{one}", self.0),
            many => {
                let list: Vec<String> = many.iter().map(ToString::to_string).collect();
                write!(f, "{}@{{{}}}", self.0, list.join(", "))
            }
        }
    }
}

fn collect(
    tree: &DerivationTree<String, Ranges<Version>, String>,
    index: &Index,
    written: &BTreeMap<(String, Option<Version>, String), String>,
    seen: &mut BTreeSet<String>,
    order: &mut Vec<String>,
) {
    let line = match tree {
        DerivationTree::Derived(d) => {
            collect(&d.cause1, index, written, seen, order);
            collect(&d.cause2, index, written, seen, order);
            return;
        }
        DerivationTree::External(External::FromDependencyOf(p, pset, dep, dset)) => {
            let (who, req) = if p == ROOT {
                (
                    ROOT.to_string(),
                    written.get(&(p.clone(), None, dep.clone())).cloned(),
                )
            } else {
                let vs = versions_in(index, p, pset);
                let req = vs.iter().find_map(|v| {
                    written
                        .get(&(p.clone(), Some(v.clone()), dep.clone()))
                        .cloned()
                });
                let verb_who = Versions(p, &vs).to_string();
                (verb_who, req)
            };
            let verb = if who.contains('{') { "need" } else { "needs" };
            let mut line = format!(
                "{who} {verb} {dep} {}",
                req.unwrap_or_else(|| "(some version)".into())
            );
            if dset == &Ranges::empty() {
                line.push_str(&format!(
                    ", but no usable version matches ({})",
                    available(index, dep)
                ));
            }
            line
        }
        DerivationTree::External(External::NoVersions(p, set)) => {
            format!("no version of {p} is in {set} ({})", available(index, p))
        }
        DerivationTree::External(External::NotRoot(..) | External::Custom(..)) => return,
    };
    if seen.insert(line.clone()) {
        order.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn req(s: &str) -> VersionReq {
        VersionReq::parse(s).unwrap()
    }

    fn add(index: &mut Index, name: &str, version: &str, deps: &[(&str, &str)]) {
        index.insert(
            name,
            Candidate {
                version: v(version),
                yanked: false,
                dependencies: deps.iter().map(|(d, r)| (d.to_string(), req(r))).collect(),
            },
        );
    }

    fn root(deps: &[(&str, &str)]) -> BTreeMap<String, VersionReq> {
        deps.iter().map(|(d, r)| (d.to_string(), req(r))).collect()
    }

    #[test]
    fn picks_the_newest_compatible_versions_of_a_diamond() {
        let mut i = Index::default();
        add(&mut i, "x/a", "1.0.0", &[("x/b", "^1"), ("x/c", "^1")]);
        add(&mut i, "x/b", "1.0.0", &[("x/d", "^1.1")]);
        add(&mut i, "x/c", "1.0.0", &[("x/d", "^1")]);
        add(&mut i, "x/d", "1.0.0", &[]);
        add(&mut i, "x/d", "1.2.0", &[]);
        add(&mut i, "x/d", "2.0.0", &[]);
        let out = resolve(&root(&[("x/a", "*")]), &i, &BTreeMap::new()).unwrap();
        assert_eq!(out["x/d"], v("1.2.0"));
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn conflicts_are_explained_with_the_written_requirements() {
        let mut i = Index::default();
        add(&mut i, "x/a", "1.0.0", &[("x/b", "^2")]);
        add(&mut i, "x/c", "3.0.0", &[("x/b", "^1")]);
        add(&mut i, "x/b", "1.0.0", &[]);
        add(&mut i, "x/b", "2.0.0", &[]);
        let err =
            resolve(&root(&[("x/a", "^1"), ("x/c", "^3")]), &i, &BTreeMap::new()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("x/a@1.0.0 needs x/b ^2"), "{text}");
        assert!(text.contains("x/c@3.0.0 needs x/b ^1"), "{text}");
    }

    #[test]
    fn yanked_versions_are_skipped_unless_pinned() {
        let mut i = Index::default();
        add(&mut i, "x/a", "1.0.0", &[]);
        i.insert(
            "x/a",
            Candidate {
                version: v("1.1.0"),
                yanked: true,
                dependencies: BTreeMap::new(),
            },
        );
        let out = resolve(&root(&[("x/a", "^1")]), &i, &BTreeMap::new()).unwrap();
        assert_eq!(out["x/a"], v("1.0.0"));
        let pinned = BTreeMap::from([("x/a".to_string(), v("1.1.0"))]);
        let out = resolve(&root(&[("x/a", "=1.1.0")]), &i, &pinned).unwrap();
        assert_eq!(out["x/a"], v("1.1.0"));
        let err = resolve(&root(&[("x/a", "=1.1.0")]), &i, &BTreeMap::new()).unwrap_err();
        assert!(err.to_string().contains("x/a"), "{err}");
    }

    #[test]
    fn unknown_and_unsatisfiable_roots_are_named() {
        let mut i = Index::default();
        add(&mut i, "x/a", "1.0.0", &[]);
        assert!(matches!(
            resolve(&root(&[("x/zz", "*")]), &i, &BTreeMap::new()),
            Err(ResolveError::Unknown(_))
        ));
        let err = resolve(&root(&[("x/a", "^2")]), &i, &BTreeMap::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("x/a"), "{err}");
        assert!(err.contains("1.0.0"), "{err}");
    }
}
