//! Review, trust and the audit log of admin actions.

use sqlx::Row;

use super::{Db, DbError, now};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub created_at: String,
}

/// A version as the review queue and rescans see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewItem {
    pub version_id: i64,
    pub author: String,
    pub name: String,
    pub version: String,
    pub integrity: String,
    pub safety_status: spm_core::safety::SafetyStatus,
    pub safety_score: Option<f64>,
    pub trust_level: String,
    #[schema(value_type = Vec<Object>)]
    pub findings: serde_json::Value,
}

pub const TRUST_LEVELS: &[&str] = &["trusted", "verified", "community"];

impl Db {
    pub async fn audit(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<(), DbError> {
        sqlx::query("INSERT INTO audit_log (actor, action, target, detail, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(actor)
            .bind(action)
            .bind(target)
            .bind(detail)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
        let rows = sqlx::query("SELECT id, actor, action, target, detail, created_at FROM audit_log ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    detail: r.try_get("detail")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Versions with the given safety status (all versions for `None`).
    pub async fn review_items(
        &self,
        status: Option<spm_core::safety::SafetyStatus>,
    ) -> Result<Vec<ReviewItem>, DbError> {
        let base = "SELECT v.id, a.name AS author, s.name, v.version, v.integrity, v.safety_status, v.safety_score, v.trust_level, v.safety_findings \
                    FROM versions v JOIN skills s ON s.id = v.skill_id JOIN authors a ON a.id = s.author_id";
        let rows = match status {
            Some(st) => {
                sqlx::query(&format!("{base} WHERE v.safety_status = $1 ORDER BY v.id"))
                    .bind(st.as_str())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query(&format!("{base} ORDER BY v.id"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(ReviewItem {
                    version_id: r.try_get("id")?,
                    author: r.try_get("author")?,
                    name: r.try_get("name")?,
                    version: r.try_get("version")?,
                    integrity: r.try_get("integrity")?,
                    safety_status: super::safety_status(r)?,
                    safety_score: r.try_get("safety_score")?,
                    trust_level: r.try_get("trust_level")?,
                    findings: serde_json::from_str(&r.try_get::<String, _>("safety_findings")?)
                        .unwrap_or_default(),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    pub async fn set_safety(
        &self,
        version_id: i64,
        status: spm_core::safety::SafetyStatus,
        score: Option<f64>,
        findings: Option<&serde_json::Value>,
    ) -> Result<(), DbError> {
        match findings {
            Some(f) => {
                sqlx::query("UPDATE versions SET safety_status = $1, safety_score = $2, safety_findings = $3 WHERE id = $4")
                    .bind(status.as_str())
                    .bind(score)
                    .bind(f.to_string())
                    .bind(version_id)
                    .execute(&self.pool)
                    .await?
            }
            None => sqlx::query("UPDATE versions SET safety_status = $1 WHERE id = $2").bind(status.as_str()).bind(version_id).execute(&self.pool).await?,
        };
        Ok(())
    }

    pub async fn set_version_trust(&self, version_id: i64, level: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE versions SET trust_level = $1 WHERE id = $2")
            .bind(level)
            .bind(version_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets the trust level of every version of a skill.
    pub async fn set_skill_trust(&self, skill_id: i64, level: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE versions SET trust_level = $1 WHERE skill_id = $2")
            .bind(level)
            .bind(skill_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
