//! `GET /api/openapi.json`: the OpenAPI document of the whole REST API, generated from the
//! handlers' annotations so it cannot drift from the code.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("an spm API token"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "spm registry API", description = "Publish, search and download AI-agent skills."),
    paths(
        super::auth::register, super::auth::create_token, super::auth::list_tokens, super::auth::revoke_token,
        super::skills::publish, super::skills::search, super::skills::mine, super::skills::entry,
        super::skills::versions, super::skills::content, super::skills::download, super::skills::yank,
        super::skills::unyank, super::skills::remove_version, super::feedback::feedback, super::blobs::get_blob,
        super::health::healthz, super::health::readyz, super::plugins::list, super::plugins::reload, super::admin::review_list, super::admin::review_decide, super::admin::set_trust, super::admin::audit,
        super::orgs::create, super::orgs::mine, super::orgs::members, super::orgs::set_member, super::orgs::remove_member,
    ),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
