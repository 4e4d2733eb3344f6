//! Where the emulator's handlers are served.

use axum::Router;
use axum::routing::{get, post};

use super::{consent, device, token};
use crate::state::MockState;

/// The emulator's routes, at the root of the API's router.
pub(crate) fn routes(state: MockState) -> Router {
    Router::new()
        .route("/auth/o2/create/codepair", post(device::create_codepair))
        .route("/auth/o2/token", post(token::token))
        .route("/ap/oa", get(consent::authorize))
        .route("/code", get(device::verification_page).post(device::verify))
        .with_state(state)
}
