//! Each user's profile: what Get Current User shows and Update Current User changes.
//!
//! A profile is made on first use, its name drawn from the seed and the user. Users come from
//! the tokens the mock accepts, never from callers, so the profiles kept are bounded by the
//! tokens. The spec's `User` has no field for the two visibilities an update sets, so they
//! are checked (the spec's enums) but not kept: nothing could show them.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::catalog::person_name;
use crate::error::ApiError;
use crate::prng::Prng;

#[derive(Debug, Clone)]
struct Profile {
    name: String,
}

/// The profiles of every user.
#[derive(Debug)]
pub(crate) struct Profiles {
    seed: u64,
    users: Mutex<HashMap<String, Profile>>,
}

/// A user's page on Amazon Music.
pub(crate) fn url(user: &str) -> String {
    format!("https://music.amazon.com/profiles/{user}")
}

impl Profiles {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            seed,
            users: Mutex::new(HashMap::new()),
        }
    }

    fn with_profile<T>(&self, user: &str, f: impl FnOnce(&mut Profile) -> T) -> T {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        let profile = users.entry(user.to_owned()).or_insert_with(|| Profile {
            name: person_name(&mut Prng::derived(self.seed, &format!("profile {user}"), 0)),
        });
        f(profile)
    }

    /// The user's display name.
    pub(crate) fn name(&self, user: &str) -> String {
        self.with_profile(user, |p| p.name.clone())
    }

    /// The user as Get Current User returns it.
    pub(crate) fn user_json(&self, user: &str) -> Value {
        self.with_profile(user, |p| json_of(user, p))
    }

    /// Update Current User: the body was checked against the spec (all three fields
    /// required); the user as it now is.
    pub(crate) fn update(&self, user: &str, body: &Value) -> Result<Value, ApiError> {
        let name = body
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::bad_request("request body: name is required"))?
            .to_owned();
        Ok(self.with_profile(user, |p| {
            p.name = name;
            json_of(user, p)
        }))
    }
}

fn json_of(user: &str, profile: &Profile) -> Value {
    json!({
        "id": user,
        "name": profile.name,
        "url": url(user),
        "images": [{
            "height": 0,
            "width": 0,
            "url": "https://images-na.ssl-images-amazon.com/images/profile.png",
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_what_the_user_then_shows_and_only_for_that_user() {
        let profiles = Profiles::new(0);
        let before = profiles.user_json("u");
        assert_eq!(profiles.user_json("u"), before, "a profile is made once");
        let body =
            json!({"name": "New Name", "visibility": "PUBLIC", "playbackVisibility": "PUBLIC"});
        let updated = profiles.update("u", &body).unwrap();
        assert_eq!(updated["name"], "New Name");
        assert_eq!(profiles.user_json("u"), updated);
        assert_ne!(profiles.user_json("v")["name"], "New Name");
        assert_eq!(
            profiles
                .update("u", &json!({"visibility": "PUBLIC"}))
                .unwrap_err()
                .code,
            "BAD_REQUEST"
        );
        assert_eq!(profiles.name("u"), "New Name");
    }

    #[test]
    fn names_come_from_the_seed_and_the_user() {
        let name = |seed: u64, user: &str| Profiles::new(seed).name(user);
        assert_eq!(name(1, "u"), name(1, "u"));
        let names: std::collections::HashSet<String> =
            (0..20).map(|i| name(1, &format!("user{i}"))).collect();
        assert!(names.len() > 5, "{names:?}");
    }
}
