//! Author accounts.

use sqlx::Row;

use super::{Db, DbError, now};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub id: i64,
    pub name: String,
    pub is_admin: bool,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Author, sqlx::Error> {
    Ok(Author {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        is_admin: r.try_get::<i64, _>("is_admin")? != 0,
    })
}

impl Db {
    /// Creates an account; `Ok(None)` when the name is taken.
    pub async fn create_author(
        &self,
        name: &str,
        github: Option<&str>,
        is_admin: bool,
    ) -> Result<Option<Author>, DbError> {
        self.insert_author(name, github, None, is_admin).await
    }

    /// Creates an account linked to a verified GitHub account; `Ok(None)` when the name is taken.
    pub async fn create_github_author(
        &self,
        name: &str,
        login: &str,
        github_id: i64,
    ) -> Result<Option<Author>, DbError> {
        self.insert_author(name, Some(login), Some(github_id), false)
            .await
    }

    async fn insert_author(
        &self,
        name: &str,
        github: Option<&str>,
        github_id: Option<i64>,
        is_admin: bool,
    ) -> Result<Option<Author>, DbError> {
        let res = sqlx::query(
            "INSERT INTO authors (name, github_username, github_id, is_admin, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(github)
        .bind(github_id)
        .bind(i64::from(is_admin))
        .bind(now())
        .fetch_one(&self.pool)
        .await;
        match res {
            Ok(row) => Ok(Some(Author {
                id: row.try_get("id")?,
                name: name.to_string(),
                is_admin,
            })),
            Err(e) if super::is_unique_violation(&e) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The author who signed in with GitHub account `github_id`.
    pub async fn author_by_github_id(&self, github_id: i64) -> Result<Option<Author>, DbError> {
        let row = sqlx::query("SELECT id, name, is_admin FROM authors WHERE github_id = $1")
            .bind(github_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn author_by_name(&self, name: &str) -> Result<Option<Author>, DbError> {
        let row = sqlx::query("SELECT id, name, is_admin FROM authors WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn author_by_id(&self, id: i64) -> Result<Option<Author>, DbError> {
        let row = sqlx::query("SELECT id, name, is_admin FROM authors WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn set_admin(&self, id: i64, is_admin: bool) -> Result<(), DbError> {
        sqlx::query("UPDATE authors SET is_admin = $1 WHERE id = $2")
            .bind(i64::from(is_admin))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
