//! Images as the catalog's items carry them.

use serde_json::{Value, json};

/// One picture of an artist, station, show or playlist.
#[derive(Debug, Clone)]
pub(crate) struct Image {
    pub(crate) url: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// What the picture is for (`PROFILE`, `BACKGROUND`, `PRIMARY`), where the pages give it.
    pub(crate) kind: Option<&'static str>,
}

impl Image {
    pub(crate) fn new(url: impl Into<String>, width: u32, height: u32) -> Self {
        Self {
            url: url.into(),
            width,
            height,
            kind: None,
        }
    }

    pub(crate) fn kind(mut self, kind: &'static str) -> Self {
        self.kind = Some(kind);
        self
    }

    pub(crate) fn json(&self) -> Value {
        let mut image = json!({"url": self.url, "width": self.width, "height": self.height});
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
