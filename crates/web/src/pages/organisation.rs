//! An organisation: what it is part of, what it leads, what it takes part in.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{Activity, Organisation};

use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage<'a> {
    page: Page,
    model: &'a ReadModel,
    organisation: &'a Organisation,
    members: Vec<&'a Organisation>,
    leads: Vec<&'a Activity>,
    partner_in: Vec<&'a Activity>,
    responsible_for: Vec<&'a Activity>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let organisation = model
        .organisation_by_str(&id)
        .ok_or(AppError::NotFound(lang))?;
    let (leads, partner_in, responsible_for) = model.involvement(&organisation.id);
    let members = model
        .set
        .organisations
        .iter()
        .filter(|o| o.parent.as_ref() == Some(&organisation.id))
        .collect();
    render(
        &OrganisationPage {
            page: Page::new(
                lang,
                organisation.name.clone(),
                &format!("/organisations/{}", organisation.id),
            )
            .with(&viewer)
            .item_tools(
                &viewer,
                "organisation",
                &organisation.id,
                viewer.access().may_administer(),
            ),
            model: &model,
            organisation,
            members,
            leads,
            partner_in,
            responsible_for,
        },
        lang,
    )
}
