//! A Login with Amazon emulator, served on the API's port, so that a client signs in against
//! the mock exactly as against LWA and then calls the API with the token it got.
//!
//! | route                            | what                                                   |
//! |----------------------------------|--------------------------------------------------------|
//! | `POST /auth/o2/create/codepair`  | device flow, step 1: a user code and a device code     |
//! | `POST /auth/o2/token`            | every grant: `device_code`, `authorization_code`, `refresh_token` |
//! | `GET /ap/oa`                     | the browser consent page of the authorization code grant |
//! | `GET`/`POST /code`               | the page where a person types in a user code            |
//!
//! The routes skip the API's pipeline (no `x-api-key`, no spec checks, no counters); they go
//! through the request log, which logs paths only, so a code in a query never reaches it.
//! The one configured user consents at once; access tokens are registered with the API's
//! [`Auth`](crate::auth::Auth) with the scopes granted, so the API enforces exactly what was consented to.
//!
//! Where LWA's docs leave room the emulator is strict, to catch client bugs: a parameter given
//! twice is `invalid_request`; an authorization code is spent by any exchange that names it,
//! even a failed one, so a stolen code cannot be tried against many verifiers; a code issued
//! with a PKCE challenge needs its verifier even from a client that also sends its secret.
//!
//! Everything is bounded, since the standalone mock may face untrusted callers: codes are
//! dropped once long expired, live device and authorization codes are capped (beyond the
//! cap, `temporarily_unavailable`), the oldest refresh and access tokens are forgotten
//! beyond theirs, and what a code keeps is bounded in size, so the caps do not multiply:
//! recorded poll times per code and across all codes, the length of a redirect URI.

mod consent;
mod device;
mod oauth;
pub(crate) mod routes;
pub(crate) mod store;
mod token;
