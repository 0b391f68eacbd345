//! Organisations, their members, and who can see a private skill ([`Viewer`]).
//!
//! An organisation is a namespace like an author: a row of `authors` marked `is_org`, which
//! has no tokens of its own and is acted for by its members. Roles: an `owner` manages
//! members and publishes, a `publisher` publishes, a `reader` sees the private skills.

use std::fmt;
use std::str::FromStr;

use sqlx::Row;

use super::authors::Author;
use super::{Db, DbError, now};

/// A member's role in an organisation; each includes the ones after it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Reader,
    Publisher,
    Owner,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Reader => "reader",
            Role::Publisher => "publisher",
            Role::Owner => "owner",
        })
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "reader" => Ok(Role::Reader),
            "publisher" => Ok(Role::Publisher),
            "owner" => Ok(Role::Owner),
            other => Err(format!(
                "`{other}` is not a role; use owner, publisher or reader"
            )),
        }
    }
}

/// The `role` column, parsed; a value this server does not know is a decode error (as
/// [`super::safety_status`] reads its column).
fn role_of(r: &sqlx::any::AnyRow) -> Result<Role, sqlx::Error> {
    let text: String = r.try_get("role")?;
    text.parse().map_err(|e: String| sqlx::Error::ColumnDecode {
        index: "role".into(),
        source: e.into(),
    })
}

/// Who is asking to see skills: the namespaces whose private skills they may see.
/// The default sees public skills only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewer {
    /// Their own account and every organisation they belong to.
    namespaces: Vec<i64>,
    /// Administrators and the server itself see everything.
    all: bool,
}

impl Viewer {
    /// Everything, private skills included: the server's own work and administrators.
    pub fn everything() -> Viewer {
        Viewer {
            namespaces: Vec::new(),
            all: true,
        }
    }

    /// Public skills and namespace `id`'s private ones (a token scoped to it).
    pub fn only(id: i64) -> Viewer {
        Viewer {
            namespaces: vec![id],
            all: false,
        }
    }

    /// The SQL condition on `s` (the skills table) for the skills this viewer may see.
    /// Only ids from the database go into it.
    pub fn condition(&self) -> String {
        if self.all {
            return "1 = 1".into();
        }
        if self.namespaces.is_empty() {
            return "s.visibility = 'public'".into();
        }
        let ids: Vec<String> = self.namespaces.iter().map(i64::to_string).collect();
        format!(
            "(s.visibility = 'public' OR s.author_id IN ({}))",
            ids.join(", ")
        )
    }

    /// Whether a skill of namespace `author_id` with `visibility` is visible.
    pub fn sees(&self, author_id: i64, visibility: &str) -> bool {
        self.all || visibility == "public" || self.namespaces.contains(&author_id)
    }
}

/// An organisation's member.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Member {
    pub name: String,
    pub role: Role,
    pub added_at: String,
}

/// An organisation one belongs to.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub org: String,
    pub role: Role,
}

/// What [`Db::change_member`] did.
pub enum MemberChange {
    Done {
        before: Option<Role>,
    },
    /// The change would leave the organisation without an owner.
    LastOwner,
    /// Removing someone who is not a member.
    NotMember,
}

/// What [`Db::create_org`] found.
pub enum Created {
    Org(Author),
    NameTaken,
}

impl Db {
    /// The viewer `author` is: their own skills and their organisations'.
    pub async fn viewer(&self, author: &Author) -> Result<Viewer, DbError> {
        if author.is_admin {
            return Ok(Viewer::everything());
        }
        let rows = sqlx::query("SELECT org_id FROM org_members WHERE member_id = $1")
            .bind(author.id)
            .fetch_all(&self.pool)
            .await?;
        let mut namespaces = vec![author.id];
        for r in &rows {
            namespaces.push(r.try_get("org_id")?);
        }
        Ok(Viewer {
            namespaces,
            all: false,
        })
    }

    /// Creates organisation `name` with `owner` as its first owner, in one transaction.
    pub async fn create_org(&self, name: &str, owner: &Author) -> Result<Created, DbError> {
        let mut tx = self.pool.begin().await?;
        let res = sqlx::query(
            "INSERT INTO authors (name, is_admin, is_org, created_at) VALUES ($1, 0, 1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match res {
            Ok(row) => row.try_get("id")?,
            Err(e) if super::is_unique_violation(&e) => return Ok(Created::NameTaken),
            Err(e) => return Err(e.into()),
        };
        sqlx::query(
            "INSERT INTO org_members (org_id, member_id, role, added_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(owner.id)
        .bind(Role::Owner.to_string())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Created::Org(Author {
            id,
            name: name.to_string(),
            is_admin: false,
        }))
    }

    /// The organisation named `name`, if it is one.
    pub async fn org_by_name(&self, name: &str) -> Result<Option<Author>, DbError> {
        let row = sqlx::query("SELECT id, name FROM authors WHERE name = $1 AND is_org = 1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(Author {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                is_admin: false,
            }),
            None => None,
        })
    }

    /// Whether account `id` is an organisation.
    pub async fn is_org(&self, id: i64) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT is_org FROM authors WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<i64, _>("is_org")? != 0,
            None => false,
        })
    }

    /// `member_id`'s role in organisation `org_id`, if any.
    pub async fn role_in(&self, org_id: i64, member_id: i64) -> Result<Option<Role>, DbError> {
        let row = sqlx::query("SELECT role FROM org_members WHERE org_id = $1 AND member_id = $2")
            .bind(org_id)
            .bind(member_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(role_of(&r)?),
            None => None,
        })
    }

    /// Adds `member_id` to `org_id` with `role`, changes their role, or (`None`) removes
    /// them, and writes the audit entry, in one transaction that holds the organisation's
    /// row: two owners leaving at once cannot leave it with none.
    pub async fn change_member(
        &self,
        org_id: i64,
        member_id: i64,
        role: Option<Role>,
        audit: (&str, &str),
    ) -> Result<MemberChange, DbError> {
        let mut tx = self.pool.begin().await?;
        // Locks the row (PostgreSQL) or takes the write lock (SQLite) before reading.
        sqlx::query("UPDATE authors SET is_org = is_org WHERE id = $1")
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        let before: Option<Role> =
            sqlx::query("SELECT role FROM org_members WHERE org_id = $1 AND member_id = $2")
                .bind(org_id)
                .bind(member_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| role_of(&r))
                .transpose()?;
        if before.is_none() && role.is_none() {
            return Ok(MemberChange::NotMember);
        }
        if before == Some(Role::Owner) && role != Some(Role::Owner) {
            let owners: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM org_members WHERE org_id = $1 AND role = 'owner'",
            )
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
            if owners <= 1 {
                return Ok(MemberChange::LastOwner);
            }
        }
        let (action, detail) = match (before, role) {
            (Some(b), Some(r)) => ("org-set-role", format!("{b} -> {r}")),
            (None, Some(r)) => ("org-add-member", r.to_string()),
            (Some(b), None) => ("org-remove-member", b.to_string()),
            (None, None) => return Ok(MemberChange::NotMember),
        };
        match role {
            Some(r) => {
                sqlx::query(
                    "INSERT INTO org_members (org_id, member_id, role, added_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (org_id, member_id) DO UPDATE SET role = excluded.role",
                )
                .bind(org_id)
                .bind(member_id)
                .bind(r.to_string())
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM org_members WHERE org_id = $1 AND member_id = $2")
                    .bind(org_id)
                    .bind(member_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let (actor, target) = audit;
        sqlx::query("INSERT INTO audit_log (actor, action, target, detail, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(actor)
            .bind(action)
            .bind(target)
            .bind(&detail)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(MemberChange::Done { before })
    }

    /// An organisation's members, by name.
    pub async fn members(&self, org_id: i64) -> Result<Vec<Member>, DbError> {
        let rows = sqlx::query(
            "SELECT a.name, m.role, m.added_at FROM org_members m JOIN authors a ON a.id = m.member_id \
             WHERE m.org_id = $1 ORDER BY a.name",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Member {
                    name: r.try_get("name")?,
                    role: role_of(r)?,
                    added_at: r.try_get("added_at")?,
                })
            })
            .collect()
    }

    /// The organisations `member_id` belongs to, by name.
    pub async fn memberships(&self, member_id: i64) -> Result<Vec<Membership>, DbError> {
        let rows = sqlx::query(
            "SELECT a.name, m.role FROM org_members m JOIN authors a ON a.id = m.org_id \
             WHERE m.member_id = $1 ORDER BY a.name",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Membership {
                    org: r.try_get("name")?,
                    role: role_of(r)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_sees_public_skills_and_its_own_namespaces() {
        let anon = Viewer::default();
        assert_eq!(anon.condition(), "s.visibility = 'public'");
        assert!(anon.sees(7, "public"));
        assert!(!anon.sees(7, "private"));
        let member = Viewer {
            namespaces: vec![3, 9],
            all: false,
        };
        assert_eq!(
            member.condition(),
            "(s.visibility = 'public' OR s.author_id IN (3, 9))"
        );
        assert!(member.sees(9, "private"));
        assert!(!member.sees(4, "private"));
        assert!(Viewer::everything().sees(4, "private"));
    }

    #[test]
    fn roles_order_and_parse() {
        assert!(Role::Owner > Role::Publisher && Role::Publisher > Role::Reader);
        assert_eq!("publisher".parse::<Role>(), Ok(Role::Publisher));
        assert!(
            "admin"
                .parse::<Role>()
                .unwrap_err()
                .contains("owner, publisher or reader")
        );
    }
}
