//! Images as the catalog's items carry them.

use serde_json::{Value, json};

/// One picture of an artist, station, show or playlist.
#[derive(Debug, Clone)]
pub(crate) struct Image {
    pub(crate) url: String,
    /// Pixels, where the item gives them.
    pub(crate) size: Option<(u32, u32)>,
    /// What the picture is for (`PROFILE`, `BACKGROUND`, `PRIMARY`), where the pages give it.
    pub(crate) kind: Option<&'static str>,
}

impl Image {
    /// A picture of `width` by `height` pixels.
    pub(crate) fn new(url: impl Into<String>, width: u32, height: u32) -> Self {
        Self {
            url: url.into(),
            size: Some((width, height)),
            kind: None,
        }
    }

    /// A picture of unknown size.
    pub(crate) fn of_unknown_size(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            size: None,
            kind: None,
        }
    }

    pub(crate) fn kind(mut self, kind: &'static str) -> Self {
        self.kind = Some(kind);
        self
    }

    pub(crate) fn json(&self) -> Value {
        let mut image = json!({"url": self.url});
        if let Some((width, height)) = self.size {
            image["width"] = Value::from(width);
            image["height"] = Value::from(height);
        }
        if let Some(kind) = self.kind {
            image["imageType"] = Value::from(kind);
        }
        image
    }
}

/// The JSON array of `images`.
pub(crate) fn images_json(images: &[Image]) -> Vec<Value> {
    images.iter().map(Image::json).collect()
}
