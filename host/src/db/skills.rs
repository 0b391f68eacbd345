//! Skills, their immutable versions, dependencies, downloads and search.

use semver::Version;
use spm_core::api::{SkillEntry, Trigger, VersionInfo};
use spm_core::safety::SafetyStatus;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::orgs::Viewer;
use super::{Backend, Db, DbError, is_unique_violation, now};

/// Everything stored for one published version.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub author_id: i64,
    pub author_name: String,
    pub name: String,
    pub description: String,
    pub tags: Vec<String>,
    pub version: Version,
    pub integrity: String,
    pub size: i64,
    pub manifest: serde_json::Value,
    pub content: String,
    pub publisher_id: i64,
    pub safety_status: SafetyStatus,
    pub safety_score: Option<f64>,
    pub safety_findings: serde_json::Value,
    pub trust_level: String,
    pub tokens_estimate: i64,
    /// `(author, name, range)`.
    pub dependencies: Vec<(String, String, String)>,
    /// `public` or `private`; `None` keeps the skill's (public for a new one).
    pub visibility: Option<String>,
}

#[derive(Debug)]
pub enum InsertOutcome {
    /// `updated` is true when the skill already had versions.
    Inserted { updated: bool },
    /// This exact version exists (possibly just inserted by a concurrent publish).
    VersionExists,
    /// The version is not greater than the existing `latest`.
    NotGreater { latest: Version },
    /// The version differs from `existing` only in build metadata.
    SamePrecedence { existing: Version },
}

/// What refers to a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobRefs {
    /// No version: a refused or interrupted publish, or a removed version.
    None,
    /// Only blocked versions.
    OnlyBlocked,
    /// At least one version that is served.
    Servable,
}

/// A stored version.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub id: i64,
    pub skill_id: i64,
    pub version: String,
    pub integrity: String,
    pub size: i64,
    pub manifest: serde_json::Value,
    pub content: String,
    pub published_at: String,
    pub yanked: bool,
    pub safety_status: SafetyStatus,
    pub tokens_estimate: i64,
}

const VERSION_COLS: &str = "v.id, v.skill_id, v.version, v.integrity, v.size, v.manifest, v.content, v.published_at, v.yanked, v.safety_status, v.tokens_estimate";

fn version_row(r: &AnyRow) -> Result<VersionRow, sqlx::Error> {
    let manifest: String = r.try_get("manifest")?;
    Ok(VersionRow {
        id: r.try_get("id")?,
        skill_id: r.try_get("skill_id")?,
        version: r.try_get("version")?,
        integrity: r.try_get("integrity")?,
        size: r.try_get("size")?,
        manifest: serde_json::from_str(&manifest).unwrap_or(serde_json::Value::Null),
        content: r.try_get("content")?,
        published_at: r.try_get("published_at")?,
        yanked: r.try_get::<i64, _>("yanked")? != 0,
        safety_status: super::safety_status(r)?,
        tokens_estimate: r.try_get("tokens_estimate")?,
    })
}

const ENTRY_COLS: &str = "s.id AS skill_id, s.name, s.description, s.tags, s.downloads, s.created_at, s.updated_at, a.name AS author, s.visibility, \
     v.version, v.manifest, v.safety_status, v.safety_score, v.trust_level, v.tokens_estimate, s.feedback_total, s.feedback_success";
const ENTRY_FROM: &str =
    "skills s JOIN authors a ON a.id = s.author_id JOIN versions v ON v.id = s.latest_version_id";

/// The existing client's confidence score: the share of uses that worked (success or
/// partial), weighted by how many there were (full weight from about 32 reports), rounded to
/// two places. `None` before any feedback.
pub fn confidence(success: i64, total: i64) -> Option<f64> {
    if total <= 0 {
        return None;
    }
    let rate = success as f64 / total as f64;
    let weight = (((total + 1) as f64).log2() / 5.0).min(1.0);
    Some((rate * weight * 100.0).round() / 100.0)
}

fn entry_row(r: &AnyRow) -> Result<SkillEntry, sqlx::Error> {
    let manifest: String = r.try_get("manifest")?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap_or_default();
    let text = |k: &str| manifest.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let description: String = r.try_get("description")?;
    let tags: String = r.try_get("tags")?;
    Ok(SkillEntry {
        name: r.try_get("name")?,
        version: r.try_get("version")?,
        description: description.clone(),
        author: r.try_get("author")?,
        license: text("license"),
        repository: text("repository"),
        trigger: Trigger {
            description,
            tags: tags.split_whitespace().map(str::to_string).collect(),
            file_patterns: None,
            priority: 0,
        },
        tokens_estimate: r.try_get("tokens_estimate")?,
        installs: r.try_get("downloads")?,
        avg_rating: None,
        confidence: confidence(r.try_get("feedback_success")?, r.try_get("feedback_total")?),
        safety_status: super::safety_status(r)?,
        safety_score: r.try_get("safety_score")?,
        trust_level: r.try_get("trust_level")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        visibility: Some(r.try_get("visibility")?),
    })
}

/// Filters for [`Db::search`].
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub tag: Option<String>,
    pub author: Option<String>,
    pub page: i64,
    pub per_page: i64,
    /// Who searches: private skills are found only by those who may see them.
    pub viewer: Viewer,
}

/// Whether `new` may join `existing`: it must differ from each by more than build metadata
/// (SemVer gives `2.0.0` and `2.0.0+meta` the same precedence, so either would shadow the
/// other) and be greater than all of them. `None` when it may.
pub fn check_new_version(new: &Version, existing: &[Version]) -> Option<InsertOutcome> {
    if let Some(same) = existing
        .iter()
        .find(|e| e.cmp_precedence(new) == std::cmp::Ordering::Equal)
    {
        return Some(if same == new {
            InsertOutcome::VersionExists
        } else {
            InsertOutcome::SamePrecedence {
                existing: same.clone(),
            }
        });
    }
    let latest = existing.iter().max_by(|a, b| a.cmp_precedence(b))?;
    (new.cmp_precedence(latest) != std::cmp::Ordering::Greater).then(|| InsertOutcome::NotGreater {
        latest: latest.clone(),
    })
}

/// The newest non-yanked version, or the newest of all when every one is yanked.
fn pick_latest(rows: &[(i64, String, bool)]) -> Option<i64> {
    let parsed = |live: bool| {
        rows.iter()
            .filter(move |(_, _, y)| !live || !*y)
            .filter_map(|(id, v, _)| Version::parse(v).ok().map(|v| (v, *id)))
            .max()
            .map(|(_, id)| id)
    };
    parsed(true).or_else(|| parsed(false))
}

impl Db {
    /// Inserts a version in one transaction: the skill row (claimed on first publish), the
    /// version, its dependencies and the search index. The blob must already be stored.
    pub async fn insert_version(&self, v: &NewVersion) -> Result<InsertOutcome, DbError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Sqlite {
            // Take the write lock now, so concurrent publishes queue instead of failing to upgrade.
            sqlx::query("UPDATE authors SET id = id WHERE id = $1")
                .bind(v.author_id)
                .execute(&mut *tx)
                .await?;
        }
        let ts = now();
        let tags = format!(" {} ", v.tags.join(" "));
        let existing = sqlx::query("SELECT id FROM skills WHERE author_id = $1 AND name = $2")
            .bind(v.author_id)
            .bind(&v.name)
            .fetch_optional(&mut *tx)
            .await?;
        let (skill_id, updated) = match existing {
            Some(row) => (row.try_get::<i64, _>("id")?, true),
            None => {
                let inserted = sqlx::query(
                    "INSERT INTO skills (author_id, name, description, tags, created_at, updated_at, visibility) VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
                )
                .bind(v.author_id)
                .bind(&v.name)
                .bind(&v.description)
                .bind(&tags)
                .bind(&ts)
                .bind(v.visibility.as_deref().unwrap_or("public"))
                .fetch_one(&mut *tx)
                .await;
                match inserted {
                    Ok(row) => (row.try_get::<i64, _>("id")?, false),
                    Err(e) if is_unique_violation(&e) => return Ok(InsertOutcome::VersionExists),
                    Err(e) => return Err(e.into()),
                }
            }
        };
        let rows = sqlx::query("SELECT id, version, yanked FROM versions WHERE skill_id = $1")
            .bind(skill_id)
            .fetch_all(&mut *tx)
            .await?;
        let mut versions: Vec<(i64, String, bool)> = Vec::new();
        for r in &rows {
            versions.push((
                r.try_get("id")?,
                r.try_get("version")?,
                r.try_get::<i64, _>("yanked")? != 0,
            ));
        }
        let existing: Vec<Version> = versions
            .iter()
            .filter_map(|(_, s, _)| Version::parse(s).ok())
            .collect();
        if let Some(refusal) = check_new_version(&v.version, &existing) {
            return Ok(refusal);
        }
        let inserted = sqlx::query(
            "INSERT INTO versions (skill_id, version, integrity, size, manifest, content, published_at, publisher_id, \
             safety_status, safety_score, safety_findings, trust_level, tokens_estimate) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(skill_id)
        .bind(v.version.to_string())
        .bind(&v.integrity)
        .bind(v.size)
        .bind(v.manifest.to_string())
        .bind(&v.content)
        .bind(&ts)
        .bind(v.publisher_id)
        .bind(v.safety_status.as_str())
        .bind(v.safety_score)
        .bind(v.safety_findings.to_string())
        .bind(&v.trust_level)
        .bind(v.tokens_estimate)
        .fetch_one(&mut *tx)
        .await;
        let version_id: i64 = match inserted {
            Ok(row) => row.try_get("id")?,
            Err(e) if is_unique_violation(&e) => return Ok(InsertOutcome::VersionExists),
            Err(e) => return Err(e.into()),
        };
        for (author, name, req) in &v.dependencies {
            sqlx::query("INSERT INTO dependencies (version_id, dep_author, dep_name, req) VALUES ($1, $2, $3, $4)")
                .bind(version_id)
                .bind(author)
                .bind(name)
                .bind(req)
                .execute(&mut *tx)
                .await?;
        }
        // The new version is the greatest, so it is the latest.
        let update = match self.backend {
            Backend::Sqlite => {
                "UPDATE skills SET description = $1, tags = $2, updated_at = $3, latest_version_id = $4 WHERE id = $5"
            }
            Backend::Postgres => {
                "UPDATE skills SET description = $1, tags = $2, updated_at = $3, latest_version_id = $4, author_name = $6 WHERE id = $5"
            }
        };
        let mut q = sqlx::query(update)
            .bind(&v.description)
            .bind(&tags)
            .bind(&ts)
            .bind(version_id)
            .bind(skill_id);
        if self.backend == Backend::Postgres {
            q = q.bind(&v.author_name);
        }
        q.execute(&mut *tx).await?;
        if updated && let Some(vis) = &v.visibility {
            sqlx::query("UPDATE skills SET visibility = $1 WHERE id = $2")
                .bind(vis)
                .bind(skill_id)
                .execute(&mut *tx)
                .await?;
        }
        if self.backend == Backend::Sqlite {
            sqlx::query("DELETE FROM skills_fts WHERE rowid = $1")
                .bind(skill_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO skills_fts (rowid, name, description, tags, author) VALUES ($1, $2, $3, $4, $5)")
                .bind(skill_id)
                .bind(v.name.replace('-', " ") + " " + &v.name)
                .bind(&v.description)
                .bind(&tags)
                .bind(&v.author_name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(InsertOutcome::Inserted { updated })
    }

    /// Whether any version `viewer` may see refers to the blob `integrity`, and whether one
    /// that may be served (not blocked) does. Uses the `versions_integrity` index.
    pub async fn blob_refs(&self, integrity: &str, viewer: &Viewer) -> Result<BlobRefs, DbError> {
        let sql = format!(
            "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN v.safety_status <> $2 THEN 1 ELSE 0 END), 0) AS servable \
             FROM versions v JOIN skills s ON s.id = v.skill_id WHERE v.integrity = $1 AND {}",
            viewer.condition()
        );
        let row = sqlx::query(&sql)
            .bind(integrity)
            .bind(SafetyStatus::Blocked.as_str())
            .fetch_one(&self.pool)
            .await?;
        let total: i64 = row.try_get("total")?;
        let servable: i64 = row.try_get("servable")?;
        Ok(match (total, servable) {
            (0, _) => BlobRefs::None,
            (_, 0) => BlobRefs::OnlyBlocked,
            _ => BlobRefs::Servable,
        })
    }

    /// `(author, name)` of every public skill published by someone other than `author`, for
    /// the look-alike name check (which must not reveal private names).
    pub async fn names_of_others(&self, author: &str) -> Result<Vec<(String, String)>, DbError> {
        let rows = sqlx::query("SELECT a.name AS author, s.name AS name FROM skills s JOIN authors a ON a.id = s.author_id WHERE a.name <> $1 AND s.visibility = 'public' ORDER BY s.downloads DESC, s.id")
            .bind(author)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("author")?, r.try_get("name")?)))
            .collect()
    }

    /// Records one feedback report and updates the skill's counts, atomically.
    pub async fn add_feedback(
        &self,
        skill_id: i64,
        author_id: Option<i64>,
        result: &str,
        comment: Option<&str>,
    ) -> Result<(), DbError> {
        let success = i64::from(matches!(result, "success" | "partial"));
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO feedback (skill_id, author_id, result, comment, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(skill_id)
            .bind(author_id)
            .bind(result)
            .bind(comment)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE skills SET feedback_total = feedback_total + 1, feedback_success = feedback_success + $1 WHERE id = $2")
            .bind(success)
            .bind(skill_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The skill's id and its namespace's, or `None` when `author/name` is unknown or not
    /// visible to `viewer`.
    pub async fn skill_id(
        &self,
        author: &str,
        name: &str,
        viewer: &Viewer,
    ) -> Result<Option<(i64, i64)>, DbError> {
        let sql = format!(
            "SELECT s.id, s.author_id FROM skills s JOIN authors a ON a.id = s.author_id WHERE a.name = $1 AND s.name = $2 AND {}",
            viewer.condition()
        );
        let row = sqlx::query(&sql)
            .bind(author)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some((r.try_get("id")?, r.try_get("author_id")?)),
            None => None,
        })
    }

    /// Whether skill `skill_id` is private.
    pub async fn is_private(&self, skill_id: i64) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT visibility FROM skills WHERE id = $1")
            .bind(skill_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<String, _>("visibility")? == "private",
            None => false,
        })
    }

    /// The skill's entry, or `None` when unknown or not visible to `viewer`.
    pub async fn entry(
        &self,
        author: &str,
        name: &str,
        viewer: &Viewer,
    ) -> Result<Option<SkillEntry>, DbError> {
        let sql = format!(
            "SELECT {ENTRY_COLS} FROM {ENTRY_FROM} WHERE a.name = $1 AND s.name = $2 AND {}",
            viewer.condition()
        );
        let row = sqlx::query(&sql)
            .bind(author)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(entry_row).transpose()?)
    }

    /// All versions, newest first by semver.
    pub async fn versions(&self, skill_id: i64) -> Result<Vec<VersionInfo>, DbError> {
        let rows = sqlx::query("SELECT version, published_at, yanked, safety_status, safety_score, safety_findings, integrity, size FROM versions WHERE skill_id = $1")
            .bind(skill_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(VersionInfo {
                version: r.try_get("version")?,
                created_at: r.try_get("published_at")?,
                yanked: r.try_get::<i64, _>("yanked")? != 0,
                safety_status: super::safety_status(r)?,
                integrity: r.try_get("integrity")?,
                size: r.try_get("size")?,
                dependencies: Default::default(),
                safety_score: r.try_get("safety_score")?,
                findings: serde_json::from_str(&r.try_get::<String, _>("safety_findings")?)
                    .unwrap_or_default(),
            });
        }
        let deps = sqlx::query(
            "SELECT v.version, d.dep_author, d.dep_name, d.req FROM dependencies d JOIN versions v ON v.id = d.version_id WHERE v.skill_id = $1",
        )
        .bind(skill_id)
        .fetch_all(&self.pool)
        .await?;
        for d in &deps {
            let version: String = d.try_get("version")?;
            let id = format!(
                "{}/{}",
                d.try_get::<String, _>("dep_author")?,
                d.try_get::<String, _>("dep_name")?
            );
            if let Some(v) = out.iter_mut().find(|v| v.version == version) {
                v.dependencies.insert(id, d.try_get("req")?);
            }
        }
        out.sort_by(|a, b| {
            Version::parse(&b.version)
                .ok()
                .cmp(&Version::parse(&a.version).ok())
        });
        Ok(out)
    }

    /// One version; `None` for `version` means the latest.
    pub async fn version(
        &self,
        skill_id: i64,
        version: Option<&str>,
    ) -> Result<Option<VersionRow>, DbError> {
        let row = match version {
            Some(ver) => {
                let sql = format!(
                    "SELECT {VERSION_COLS} FROM versions v WHERE v.skill_id = $1 AND v.version = $2"
                );
                sqlx::query(&sql)
                    .bind(skill_id)
                    .bind(ver)
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {VERSION_COLS} FROM versions v JOIN skills s ON s.latest_version_id = v.id WHERE s.id = $1"
                );
                sqlx::query(&sql)
                    .bind(skill_id)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        Ok(row.as_ref().map(version_row).transpose()?)
    }

    pub async fn count_download(&self, skill_id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE skills SET downloads = downloads + 1 WHERE id = $1")
            .bind(skill_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a version yanked or not; false when it does not exist.
    pub async fn set_yanked(
        &self,
        skill_id: i64,
        version: &str,
        yanked: bool,
    ) -> Result<bool, DbError> {
        let res =
            sqlx::query("UPDATE versions SET yanked = $1 WHERE skill_id = $2 AND version = $3")
                .bind(i64::from(yanked))
                .bind(skill_id)
                .bind(version)
                .execute(&self.pool)
                .await?;
        self.refresh_latest(skill_id).await?;
        Ok(res.rows_affected() > 0)
    }

    /// Removes a version (admin only); the skill goes with its last version.
    pub async fn delete_version(&self, skill_id: i64, version: &str) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE skills SET latest_version_id = NULL WHERE id = $1")
            .bind(skill_id)
            .execute(&mut *tx)
            .await?;
        let res = sqlx::query("DELETE FROM versions WHERE skill_id = $1 AND version = $2")
            .bind(skill_id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.refresh_latest(skill_id).await?;
        Ok(res.rows_affected() > 0)
    }

    async fn refresh_latest(&self, skill_id: i64) -> Result<(), DbError> {
        let rows = sqlx::query("SELECT id, version, yanked FROM versions WHERE skill_id = $1")
            .bind(skill_id)
            .fetch_all(&self.pool)
            .await?;
        let mut versions = Vec::new();
        for r in &rows {
            versions.push((
                r.try_get::<i64, _>("id")?,
                r.try_get::<String, _>("version")?,
                r.try_get::<i64, _>("yanked")? != 0,
            ));
        }
        match pick_latest(&versions) {
            Some(id) => {
                sqlx::query("UPDATE skills SET latest_version_id = $1 WHERE id = $2")
                    .bind(id)
                    .bind(skill_id)
                    .execute(&self.pool)
                    .await?;
            }
            None => {
                if self.backend == Backend::Sqlite {
                    sqlx::query("DELETE FROM skills_fts WHERE rowid = $1")
                        .bind(skill_id)
                        .execute(&self.pool)
                        .await?;
                }
                sqlx::query("DELETE FROM skills WHERE id = $1")
                    .bind(skill_id)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Ranked search with filters; deterministic order (rank, downloads, id).
    pub async fn search(&self, q: &SearchQuery) -> Result<(Vec<SkillEntry>, i64), DbError> {
        let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let mut filters = vec![q.viewer.condition()];
        let mut binds: Vec<String> = Vec::new();
        let mut order = "s.downloads DESC, s.updated_at DESC, s.id".to_string();
        let mut from = ENTRY_FROM.to_string();
        if let Some(t) = text {
            match self.backend {
                Backend::Sqlite => {
                    let Some(fts) = fts_query(t) else {
                        return Ok((Vec::new(), 0));
                    };
                    from = "skills_fts JOIN skills s ON s.id = skills_fts.rowid JOIN authors a ON a.id = s.author_id \
                            JOIN versions v ON v.id = s.latest_version_id"
                        .to_string();
                    binds.push(fts);
                    filters.push(format!("skills_fts MATCH ${}", binds.len()));
                    order = format!("bm25(skills_fts, 10.0, 2.0, 5.0, 3.0), {order}");
                }
                Backend::Postgres => {
                    binds.push(t.to_string());
                    let n = binds.len();
                    filters.push(format!(
                        "(s.search @@ websearch_to_tsquery('english', ${n}) OR word_similarity(${n}, s.name || ' ' || s.description) >= 0.5)"
                    ));
                    order = format!(
                        "ts_rank(s.search, websearch_to_tsquery('english', ${n})) DESC, word_similarity(${n}, s.name || ' ' || s.description) DESC, {order}"
                    );
                }
            }
        }
        if let Some(tag) = q.tag.as_deref().filter(|t| !t.is_empty()) {
            binds.push(format!("% {} %", escape_like(tag)));
            filters.push(format!("s.tags LIKE ${} ESCAPE '\\'", binds.len()));
        }
        if let Some(author) = q.author.as_deref().filter(|a| !a.is_empty()) {
            binds.push(author.to_string());
            filters.push(format!("a.name = ${}", binds.len()));
        }
        let filter = format!("WHERE {}", filters.join(" AND "));
        let count_sql = format!("SELECT COUNT(*) AS n FROM {from} {filter}");
        let mut count = sqlx::query(&count_sql);
        for b in &binds {
            count = count.bind(b);
        }
        let total: i64 = count.fetch_one(&self.pool).await?.try_get("n")?;
        let sql = format!(
            "SELECT {ENTRY_COLS} FROM {from} {filter} ORDER BY {order} LIMIT {} OFFSET {}",
            q.per_page,
            (q.page - 1).max(0).saturating_mul(q.per_page)
        );
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let entries = rows.iter().map(entry_row).collect::<Result<_, _>>()?;
        Ok((entries, total))
    }

    /// The skills an author owns, newest first.
    pub async fn skills_of(
        &self,
        author_id: i64,
        page: i64,
        per_page: i64,
    ) -> Result<(Vec<SkillEntry>, i64), DbError> {
        let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM skills WHERE author_id = $1 AND latest_version_id IS NOT NULL")
            .bind(author_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let sql = format!(
            "SELECT {ENTRY_COLS} FROM {ENTRY_FROM} WHERE s.author_id = $1 ORDER BY s.updated_at DESC, s.id LIMIT {per_page} OFFSET {}",
            (page - 1).max(0).saturating_mul(per_page)
        );
        let rows = sqlx::query(&sql)
            .bind(author_id)
            .fetch_all(&self.pool)
            .await?;
        Ok((rows.iter().map(entry_row).collect::<Result<_, _>>()?, total))
    }
}

/// Words of a user's query as an FTS5 expression of quoted prefix terms (no FTS syntax leaks).
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_are_sanitised() {
        assert_eq!(
            fts_query("PDF tools").as_deref(),
            Some("\"pdf\"* \"tools\"*")
        );
        assert_eq!(
            fts_query("\"; DROP TABLE x --").as_deref(),
            Some("\"drop\"* \"table\"* \"x\"*")
        );
        assert_eq!(fts_query("!!!"), None);
    }

    #[test]
    fn build_metadata_does_not_make_a_new_version() {
        let v = |s: &str| Version::parse(s).unwrap();
        let existing = [v("1.0.0"), v("2.0.0")];
        assert!(matches!(
            check_new_version(&v("2.0.0+meta"), &existing),
            Some(InsertOutcome::SamePrecedence { existing }) if existing == v("2.0.0")
        ));
        assert!(matches!(
            check_new_version(&v("2.0.0"), &existing),
            Some(InsertOutcome::VersionExists)
        ));
        assert!(matches!(
            check_new_version(&v("1.5.0"), &existing),
            Some(InsertOutcome::NotGreater { .. })
        ));
        // Build metadata never makes a version greater either.
        let meta = [v("3.0.0+b")];
        assert!(matches!(
            check_new_version(&v("3.0.0+a"), &meta),
            Some(InsertOutcome::SamePrecedence { .. })
        ));
        assert!(check_new_version(&v("2.0.1+meta"), &existing).is_none());
        assert!(check_new_version(&v("0.1.0"), &[]).is_none());
    }

    #[test]
    fn latest_skips_yanked_unless_all_are() {
        let rows = vec![
            (1, "1.0.0".into(), false),
            (2, "2.0.0".into(), true),
            (3, "1.5.0".into(), false),
        ];
        assert_eq!(pick_latest(&rows), Some(3));
        let all_yanked = vec![(1, "1.0.0".into(), true), (2, "2.0.0".into(), true)];
        assert_eq!(pick_latest(&all_yanked), Some(2));
        assert_eq!(pick_latest(&[]), None);
    }
}
