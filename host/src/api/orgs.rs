//! `/api/orgs`: organisations (a namespace like an author's, `acme/name`) and their members.
//!
//! Anyone with a publish token may create one and becomes its first owner; owners add and
//! remove members and set their roles. Every membership change is in the audit log. To
//! anyone outside it, an organisation's member list is a 404.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::api::caller::{Caller, refuse_reserved};
use crate::api::error::{ApiError, ApiResult};
use crate::db::authors::Author;
use crate::db::orgs::{Created, Member, MemberChange, Membership, Role};
use crate::db::tokens::Scope;
use crate::state::AppState;
#[allow(unused_imports)]
use spm_core::api::ErrorBody;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewOrg {
    pub name: String,
}

#[utoipa::path(post, path = "/api/orgs", tag = "orgs", request_body = NewOrg,
    responses((status = 201, description = "{name, role}"), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<NewOrg>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    caller.require(Scope::Publish)?;
    caller.account_wide()?;
    if caller.author.id == 0 {
        return Err(ApiError::forbidden(
            "no_account",
            "the bootstrap token cannot own an organisation; create an account first",
        ));
    }
    let name = req.name.trim();
    spm_core::skill::check_author(name).map_err(|e| {
        ApiError::bad_request(
            "invalid_name",
            format!("`{name}` cannot name an organisation: it {e}"),
        )
    })?;
    refuse_reserved(&state, name)?;
    match state.db.create_org(name, &caller.author).await? {
        Created::Org(_) => {}
        Created::NameTaken => {
            return Err(ApiError::conflict(
                "name_taken",
                format!(
                    "`{name}` is already an account or organisation on this registry; choose another name"
                ),
            ));
        }
    }
    state
        .db
        .audit(&caller.author.name, "org-create", name, "")
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "name": name, "role": Role::Owner })),
    ))
}

#[utoipa::path(get, path = "/api/orgs", tag = "orgs",
    responses((status = 200, body = Vec<Membership>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<Membership>>> {
    caller.require(Scope::Read)?;
    Ok(Json(state.db.memberships(caller.author.id).await?))
}

/// The organisation and the caller's role in it; a 404 for non-members, as for a name
/// that is not an organisation.
async fn org_of(state: &AppState, caller: &Caller, org: &str) -> ApiResult<(Author, Role)> {
    let missing = || ApiError::not_found(format!("no organisation `{org}` that you belong to"));
    let found = state.db.org_by_name(org).await?.ok_or_else(missing)?;
    caller.within(found.id, org)?;
    let role = match state.db.role_in(found.id, caller.author.id).await? {
        Some(r) => r,
        None if caller.author.is_admin => Role::Owner,
        None => return Err(missing()),
    };
    Ok((found, role))
}

#[utoipa::path(get, path = "/api/orgs/{org}/members", tag = "orgs", params(("org" = String, Path)),
    responses((status = 200, body = Vec<Member>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> ApiResult<Json<Vec<Member>>> {
    caller.require(Scope::Read)?;
    let (found, _) = org_of(&state, &caller, &org).await?;
    Ok(Json(state.db.members(found.id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MemberRole {
    /// `owner`, `publisher` or `reader`.
    pub role: String,
}

fn last_owner(member: &str, org: &str) -> ApiError {
    ApiError::conflict(
        "last_owner",
        format!("`{member}` is the last owner of `{org}`; make someone else an owner first"),
    )
}

fn owner_only(role: Role, org: &str) -> ApiResult<()> {
    if role != Role::Owner {
        return Err(ApiError::forbidden(
            "not_owner",
            format!("only an owner of `{org}` can change its members; you are a {role}"),
        ));
    }
    Ok(())
}

#[utoipa::path(put, path = "/api/orgs/{org}/members/{member}", tag = "orgs",
    params(("org" = String, Path), ("member" = String, Path)), request_body = MemberRole,
    responses((status = 200, description = "{org, member, role}"), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
    Json(req): Json<MemberRole>,
) -> ApiResult<Json<serde_json::Value>> {
    caller.require(Scope::Publish)?;
    let role: Role = req
        .role
        .parse()
        .map_err(|e: String| ApiError::bad_request("invalid_role", e))?;
    let (found, mine) = org_of(&state, &caller, &org).await?;
    owner_only(mine, &org)?;
    let who = state
        .db
        .author_by_name(&member)
        .await?
        .filter(|a| a.id != found.id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no account `{member}` on this registry; they must register first"
            ))
        })?;
    if state.db.is_org(who.id).await? {
        return Err(ApiError::bad_request(
            "invalid_member",
            format!("`{member}` is an organisation; members are accounts"),
        ));
    }
    let target = format!("{org}/{member}");
    match state
        .db
        .change_member(found.id, who.id, Some(role), (&caller.author.name, &target))
        .await?
    {
        MemberChange::Done { .. } => {}
        MemberChange::LastOwner | MemberChange::NotMember => return Err(last_owner(&member, &org)),
    }
    Ok(Json(
        serde_json::json!({ "org": org, "member": member, "role": role }),
    ))
}

#[utoipa::path(delete, path = "/api/orgs/{org}/members/{member}", tag = "orgs",
    params(("org" = String, Path), ("member" = String, Path)),
    responses((status = 204, description = "removed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    caller.require(Scope::Publish)?;
    let (found, mine) = org_of(&state, &caller, &org).await?;
    // Anyone may leave; only owners remove others.
    if member != caller.author.name {
        owner_only(mine, &org)?;
    }
    let not_member = || ApiError::not_found(format!("`{member}` is not a member of `{org}`"));
    let who = state
        .db
        .author_by_name(&member)
        .await?
        .ok_or_else(not_member)?;
    let target = format!("{org}/{member}");
    match state
        .db
        .change_member(found.id, who.id, None, (&caller.author.name, &target))
        .await?
    {
        MemberChange::Done { .. } => {}
        MemberChange::LastOwner => return Err(last_owner(&member, &org)),
        MemberChange::NotMember => return Err(not_member()),
    }
    Ok(StatusCode::NO_CONTENT)
}
