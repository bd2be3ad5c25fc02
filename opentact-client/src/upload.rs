//! Files sent as `multipart/form-data` fields.

/// A file sent as a `multipart/form-data` field.
#[derive(Clone, Debug)]
pub struct Upload {
    bytes: Vec<u8>,
    file_name: String,
    content_type: String,
}

impl Upload {
    /// An XML document (content type `application/xml`), such as a call flow.
    pub fn xml(document: impl Into<Vec<u8>>) -> Self {
        Upload::new(document, "call_flow.xml", "application/xml")
    }

    /// Any file.
    pub fn new(bytes: impl Into<Vec<u8>>, file_name: impl Into<String>, content_type: impl Into<String>) -> Self {
        Upload { bytes: bytes.into(), file_name: file_name.into(), content_type: content_type.into() }
    }

    pub(crate) fn into_part(self) -> reqwest::Result<reqwest::multipart::Part> {
        reqwest::multipart::Part::bytes(self.bytes).file_name(self.file_name).mime_str(&self.content_type)
    }
}
