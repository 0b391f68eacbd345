//! The publish path: everything the server checks before a version exists.
//!
//! Never trusts the client: the archive is unpacked (in memory, with the core safety
//! limits), its `SKILL.md` (or legacy `skill.json`) is the source of truth and must agree
//! with the metadata sent beside it, the integrity is recomputed, dependencies must exist,
//! and the version must be new and greater than every existing one (build metadata does not
//! count). The version is checked before the blob is stored and the blob is stored before
//! the version row commits, so no version ever lacks its blob; a blob left by a refused or
//! interrupted publish is deleted when possible and never served (`api::blobs`).

mod error;
mod judge;
mod rescan;

use std::path::Path;

use spm_core::api::{PublishMetadata, PublishResponse, client_manifest, tokens_estimate};
use spm_core::package::{Files, Integrity, PackLimits, UnpackLimits, pack, read_archive};
use spm_core::safety::SafetyStatus;
use spm_core::skill::{Manifest, Options, SKILL_FILE, Skill};

use crate::db::authors::Author;
use crate::db::orgs::{Role, Viewer};
use crate::db::skills::{BlobRefs, InsertOutcome, NewVersion, check_new_version};
use crate::state::AppState;
pub use error::{PublishError, Refusal};
pub use judge::{Stage, Verdict, judge, refusal};
pub use rescan::{Rejudged, Rescan, rescan};

/// What a publish request carried.
#[derive(Debug, Default)]
pub struct Upload {
    pub metadata: Option<PublishMetadata>,
    pub archive: Option<Vec<u8>>,
    /// An integrity the client computed (multipart `integrity` part, or `integrity` /
    /// `security.integrity` in the metadata manifest); must match the archive.
    pub claimed_integrity: Option<String>,
    /// `public` or `private` (multipart `visibility` part, or `visibility` in the metadata).
    pub visibility: Option<String>,
}

/// The skill read out of an archive.
pub(crate) struct Parsed {
    pub manifest: Manifest,
    /// The instruction text (SKILL.md, or the legacy entry file).
    pub content: String,
}

/// Publishes `upload` as `publisher` (whose publish scope the caller has checked), into
/// their own namespace or an organisation's they publish for; `token_org` is the
/// organisation the token is scoped to, if it is.
pub async fn publish(
    state: &AppState,
    publisher: &Author,
    token_org: Option<i64>,
    upload: Upload,
) -> Result<PublishResponse, PublishError> {
    if publisher.id == 0 {
        return Err(PublishError::forbidden(
            "no_account",
            "the bootstrap token cannot publish; create an account first",
        ));
    }
    let limits = PackLimits::default();
    let archive = match (upload.archive, &upload.metadata) {
        (Some(a), _) => a,
        (None, Some(meta)) => archive_from_metadata(meta, &limits)?,
        (None, None) => {
            return Err(PublishError::bad_request(
                "missing_archive",
                "send a multipart `archive` (skill.tar.gz) or a JSON body {manifest, content}",
            ));
        }
    };
    if archive.len() as u64 > limits.max_packed_bytes {
        return Err(PublishError::too_large(
            "package_too_large",
            format!(
                "the package is {} bytes; the limit is {}",
                archive.len(),
                limits.max_packed_bytes
            ),
        ));
    }
    let integrity = Integrity::of(&archive);
    let claimed = upload.claimed_integrity.clone().or_else(|| {
        let m = &upload.metadata.as_ref()?.manifest;
        m.get("integrity")
            .or_else(|| m.get("security")?.get("integrity"))?
            .as_str()
            .map(str::to_string)
    });
    if let Some(claimed) = claimed.filter(|c| !c.is_empty())
        && claimed != integrity.to_string()
    {
        return Err(PublishError::bad_request(
            "integrity_mismatch",
            format!(
                "the client says the archive is {claimed}, but the bytes received hash to {integrity}; the upload was altered or corrupted"
            ),
        ));
    }
    let unpack_limits = UnpackLimits::from(limits);
    let files = read_archive(&archive, &unpack_limits).map_err(|e| {
        PublishError::bad_request("invalid_archive", format!("the archive was refused: {e}"))
    })?;
    let parsed = parse_skill(&files)?;
    let m = &parsed.manifest;
    let version = m
        .version
        .clone()
        .ok_or_else(|| PublishError::bad_request("missing_version", "the skill has no version"))?;

    if let Some(meta) = &upload.metadata {
        check_agreement(meta, m)?;
    }
    let visibility = upload
        .visibility
        .clone()
        .or_else(|| upload.metadata.as_ref()?.visibility.clone())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty());
    if let Some(v) = visibility.as_deref()
        && v != "public"
        && v != "private"
    {
        return Err(PublishError::bad_request(
            "invalid_visibility",
            format!("`visibility` is `{v}`; it must be `public` or `private`"),
        ));
    }
    let namespace = namespace(state, publisher, m.author.as_deref(), &m.name).await?;
    if let Some(org) = token_org
        && org != namespace.id
    {
        return Err(PublishError::forbidden(
            "token_scope",
            format!(
                "this token is scoped to an organisation and can publish only there, not to `{}`; use a token of your own account",
                namespace.name
            ),
        ));
    }
    let author = &namespace;
    let viewer = state.db.viewer(publisher).await?;
    let existing_skill = state
        .db
        .skill_id(&author.name, &m.name, &Viewer::everything())
        .await?;
    // The skill stays as it is unless the publish says otherwise.
    let private = match (visibility.as_deref(), existing_skill) {
        (Some(v), _) => v == "private",
        (None, Some((skill_id, _))) => state.db.is_private(skill_id).await?,
        (None, None) => false,
    };
    let mut deps = Vec::new();
    for (id, req) in &m.dependencies {
        let Some((skill_id, dep_namespace)) =
            state.db.skill_id(&id.author, &id.name, &viewer).await?
        else {
            return Err(PublishError::bad_request(
                "unknown_dependency",
                format!("the dependency `{id}` does not exist in this registry"),
            ));
        };
        let versions = state.db.versions(skill_id).await?;
        let satisfied = versions
            .iter()
            .filter(|v| !v.yanked)
            .filter_map(|v| semver::Version::parse(&v.version).ok())
            .any(|v| req.matches(&v));
        if !satisfied {
            return Err(PublishError::bad_request(
                "unsatisfiable_dependency",
                format!("no published version of `{id}` matches `{req}`"),
            ));
        }
        let dep_private = state.db.is_private(skill_id).await?;
        // Whoever can see this skill can see its dependencies' names: a private one of
        // another namespace would be shown to people outside it.
        if private && dep_private && dep_namespace != author.id {
            return Err(PublishError::bad_request(
                "private_dependency",
                format!(
                    "`{id}` is private to `{}`, so a skill of `{}` cannot depend on it (its readers would see it but could not install it)",
                    id.author, author.name
                ),
            ));
        }
        if !private && dep_private {
            return Err(PublishError::bad_request(
                "private_dependency",
                format!(
                    "`{id}` is private, so a public skill cannot depend on it (no one else could install it); publish this skill with `visibility: private` or make `{id}` public"
                ),
            ));
        }
        deps.push((id.author.clone(), id.name.clone(), req.to_string()));
    }

    // Refuse a version that cannot be inserted before anything is stored.
    if let Some((skill_id, _)) = existing_skill {
        let existing: Vec<semver::Version> = state
            .db
            .versions(skill_id)
            .await?
            .iter()
            .filter_map(|v| semver::Version::parse(&v.version).ok())
            .collect();
        if let Some(refused) = check_new_version(&version, &existing) {
            return Err(version_refusal(&author.name, &m.name, &version, refused));
        }
    }
    // The account's publishing limits, kept in the database so they hold across instances,
    // and taken after the checks above: a version that exists is refused without using one.
    let limits = &state.config.rate_limits;
    let (limit, what, rate) = if existing_skill.is_some() {
        (
            "new-versions",
            "new versions from this account",
            limits.new_versions,
        )
    } else {
        (
            "new-skills",
            "new skills from this account",
            limits.new_skills,
        )
    };
    if let Some(rate) = rate
        && let Some(wait) = state
            .db
            .take_token(&format!("{limit}:{}", publisher.id), rate.burst, rate.per)
            .await?
    {
        return Err(PublishError::RateLimited { limit, what, wait });
    }
    let safety = judge(
        state,
        &author.name,
        m,
        &files,
        archive.len() as u64,
        Stage::Publish,
    )
    .await?;
    if safety.status == SafetyStatus::Blocked {
        return Err(refusal(&safety));
    }
    let created = state.blobs.put(&integrity, archive.clone()).await?;
    let new = NewVersion {
        author_id: author.id,
        author_name: author.name.clone(),
        name: m.name.clone(),
        description: m.description.clone(),
        tags: m.tags.clone(),
        version: version.clone(),
        integrity: integrity.to_string(),
        size: archive.len() as i64,
        manifest: client_manifest(m, &author.name),
        tokens_estimate: tokens_estimate(&parsed.content),
        content: parsed.content,
        publisher_id: publisher.id,
        safety_status: safety.status,
        safety_score: Some(safety.score),
        safety_findings: serde_json::to_value(&safety.findings).unwrap_or_default(),
        trust_level: "community".into(),
        dependencies: deps,
        visibility,
    };
    let outcome = match state.db.insert_version(&new).await {
        Ok(o) => o,
        Err(e) => {
            if created {
                discard_unreferenced(state, &integrity).await;
            }
            return Err(e.into());
        }
    };
    match outcome {
        InsertOutcome::Inserted { updated } => {
            tracing::info!(skill = %format!("{}/{}", author.name, m.name), %version, %integrity, "published");
            let change = crate::events::Change {
                kind: crate::plugins::types::EventKind::Published,
                author: &author.name,
                name: &m.name,
                version: &version.to_string(),
                actor: &publisher.name,
                reason: None,
            };
            crate::events::tell(state, change, Some(safety.status));
            Ok(PublishResponse {
                published: true,
                name: m.name.clone(),
                version: version.to_string(),
                updated,
                size: archive.len() as i64,
                integrity: integrity.to_string(),
                safety_status: safety.status,
            })
        }
        refused => {
            // A concurrent publish won. An archive this request stored goes again unless a
            // version refers to it (one that was already there may belong to a publish in
            // flight, so it stays; unreferenced archives are never served either way).
            if created {
                discard_unreferenced(state, &integrity).await;
            }
            Err(version_refusal(&author.name, &m.name, &version, refused))
        }
    }
}

/// The namespace a skill naming `named` as its author goes to: the publisher's own, or an
/// organisation they are an owner or publisher of.
async fn namespace(
    state: &AppState,
    publisher: &Author,
    named: Option<&str>,
    skill: &str,
) -> Result<Author, PublishError> {
    let Some(named) = named.filter(|n| *n != publisher.name) else {
        return Ok(publisher.clone());
    };
    let not_yours = |why: String| PublishError::forbidden("not_owner", why);
    let Some(org) = state.db.org_by_name(named).await? else {
        return Err(not_yours(format!(
            "you are `{}`, but the skill names `{named}` as its author; only `{named}` can publish `{named}/{skill}`",
            publisher.name
        )));
    };
    match state.db.role_in(org.id, publisher.id).await? {
        Some(role) if role >= Role::Publisher => Ok(org),
        Some(role) => Err(not_yours(format!(
            "you are a {role} of the organisation `{named}`; publishing `{named}/{skill}` needs the publisher or owner role (an owner can give it: `spm org add-member {named} {} --role publisher`)",
            publisher.name
        ))),
        None => Err(not_yours(format!(
            "you are not a member of the organisation `{named}`, so you cannot publish `{named}/{skill}`; ask one of its owners to add you"
        ))),
    }
}

/// Deletes a blob that no version refers to (a publish refused after storing it). Best
/// effort: the blob route never serves an unreferenced blob anyway.
async fn discard_unreferenced(state: &AppState, integrity: &Integrity) {
    match state
        .db
        .blob_refs(&integrity.to_string(), &Viewer::everything())
        .await
    {
        Ok(BlobRefs::None) => {
            if let Err(e) = state.blobs.delete(integrity).await {
                tracing::warn!(%integrity, "cannot delete an unpublished archive: {e}");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(%integrity, "cannot check an unpublished archive: {e}"),
    }
}

/// Why a version cannot join the skill's versions, as the API says it.
fn version_refusal(
    author: &str,
    name: &str,
    version: &semver::Version,
    why: InsertOutcome,
) -> PublishError {
    match why {
        InsertOutcome::NotGreater { latest } => PublishError::conflict(
            "version_not_greater",
            format!(
                "{version} is not greater than the latest version {latest}; publish a higher version"
            ),
        ),
        InsertOutcome::SamePrecedence { existing } => PublishError::conflict(
            "version_exists",
            format!(
                "{author}/{name}@{version} differs from the existing {existing} only in build metadata, which SemVer ignores when comparing versions; bump the version"
            ),
        ),
        InsertOutcome::VersionExists | InsertOutcome::Inserted { .. } => PublishError::conflict(
            "version_exists",
            format!(
                "{author}/{name}@{version} already exists; versions are immutable, so bump the version"
            ),
        ),
    }
}

/// Finds and checks the skill inside the archive.
pub(crate) fn parse_skill(files: &Files) -> Result<Parsed, PublishError> {
    let opts = Options {
        require_version: true,
        ..Options::default()
    };
    let skill_md = files.get(SKILL_FILE);
    let legacy_json = files.get("skill.json");
    let has_frontmatter =
        skill_md.is_some_and(|b| b.starts_with(b"---") || b.starts_with(b"\xEF\xBB\xBF---"));
    let skill = match (skill_md, legacy_json) {
        (Some(md), _) if has_frontmatter => Skill::from_bytes(md, Path::new(SKILL_FILE), &opts),
        (md, Some(json)) => {
            let entry = legacy_entry(files, json, md)?;
            let mut skill = Skill::from_legacy(json, &entry, Path::new("skill.json"), &opts);
            skill.source = Some(entry);
            skill
        }
        (Some(md), None) => Skill::from_bytes(md, Path::new(SKILL_FILE), &opts),
        (None, None) => {
            return Err(PublishError::bad_request(
                "missing_skill_md",
                "the archive has no SKILL.md at its root",
            ));
        }
    };
    if skill.has_errors() {
        let errors: Vec<_> = skill.diagnostics.iter().filter(|d| d.is_error()).collect();
        let first = errors.first().map(|d| d.to_string()).unwrap_or_default();
        return Err(PublishError::bad_request(
            "invalid_skill",
            format!("the skill is not valid: {first}"),
        )
        .with_details(serde_json::json!({ "diagnostics": errors })));
    }
    let manifest = skill
        .manifest
        .ok_or_else(|| PublishError::bad_request("invalid_skill", "the skill is not valid"))?;
    Ok(Parsed {
        manifest,
        content: skill.source.unwrap_or_default(),
    })
}

/// The legacy entry file: `entry` from skill.json, else SKILL.md, else the only markdown file.
fn legacy_entry(
    files: &Files,
    json: &[u8],
    skill_md: Option<&Vec<u8>>,
) -> Result<String, PublishError> {
    let manifest: serde_json::Value = serde_json::from_slice(json).map_err(|e| {
        PublishError::bad_request(
            "invalid_manifest",
            format!("skill.json is not valid JSON: {e}"),
        )
    })?;
    let entry = manifest.get("entry").and_then(|e| e.as_str());
    let bytes = match entry {
        Some(path) => files.get(path.trim_start_matches("./")).ok_or_else(|| {
            PublishError::bad_request(
                "missing_entry",
                format!("skill.json names the entry `{path}`, which is not in the archive"),
            )
        })?,
        None => skill_md.ok_or_else(|| {
            PublishError::bad_request(
                "missing_entry",
                "skill.json has no `entry` and there is no SKILL.md",
            )
        })?,
    };
    String::from_utf8(bytes.clone())
        .map_err(|_| PublishError::bad_request("invalid_entry", "the entry file is not UTF-8 text"))
}

/// The metadata sent beside the archive must describe the same skill.
fn check_agreement(meta: &PublishMetadata, m: &Manifest) -> Result<(), PublishError> {
    let field = |k: &str| meta.manifest.get(k).and_then(|v| v.as_str());
    if let Some(name) = field("name")
        && name != m.name
    {
        return Err(PublishError::bad_request(
            "metadata_mismatch",
            format!(
                "the metadata names `{name}` but the package's SKILL.md names `{}`",
                m.name
            ),
        ));
    }
    if let (Some(v), Some(pkg)) = (field("version"), m.version.as_ref())
        && semver::Version::parse(v).ok().as_ref() != Some(pkg)
    {
        return Err(PublishError::bad_request(
            "metadata_mismatch",
            format!("the metadata says version {v} but the package's SKILL.md says {pkg}"),
        ));
    }
    Ok(())
}

/// A JSON publish of a skill that is only its SKILL.md: the server packs it, the same way
/// the CLI would. Content without frontmatter is a legacy skill: `skill.json` beside it.
fn archive_from_metadata(
    meta: &PublishMetadata,
    limits: &PackLimits,
) -> Result<Vec<u8>, PublishError> {
    let dir = tempfile::tempdir().map_err(PublishError::internal)?;
    std::fs::write(dir.path().join(SKILL_FILE), &meta.content).map_err(PublishError::internal)?;
    if !meta
        .content
        .trim_start_matches('\u{feff}')
        .starts_with("---")
    {
        let json = serde_json::to_vec_pretty(&meta.manifest).map_err(PublishError::internal)?;
        std::fs::write(dir.path().join("skill.json"), json).map_err(PublishError::internal)?;
    }
    let package = pack(dir.path(), limits)
        .map_err(|e| PublishError::bad_request("invalid_skill", e.to_string()))?;
    Ok(package.bytes)
}
