//! Reading a spec file: YAML syntax, OpenAPI structure, and a map from JSON pointers back to
//! source lines so that every later diagnostic can name a line.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::spec::vocabulary::METHODS;

/// A spec that parsed as YAML and as OpenAPI 3.0.x (checked with openapiv3's types, which
/// codegen then has no further use for: `plan` reads the JSON, where every node has a pointer
/// and so a line for its errors).
#[derive(Clone)]
pub struct Spec {
    /// The file it was read from (as given, for messages).
    pub path: PathBuf,
    /// The file's exact text.
    pub source: String,
    /// Hex SHA-256 of `source`; recorded in every generated file's header.
    pub sha256: String,
    /// The document as plain JSON.
    pub json: Value,
    /// The YAML tree with source positions, to turn JSON pointers into lines.
    positions: marked_yaml::Node,
}

/// Why a spec could not be loaded or generated from. It names the file; syntax errors name
/// the line and column, errors about a node the JSON pointer and its line.
#[derive(Debug)]
pub struct SpecError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub pointer: Option<String>,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(pointer) = &self.pointer {
            write!(f, " (at {pointer})")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

impl SpecError {
    /// A generation error about the node at `pointer`.
    pub(crate) fn at(spec: &Spec, pointer: &str, message: String) -> Self {
        SpecError {
            file: spec.path.clone(),
            line: spec.line_of(pointer),
            column: None,
            pointer: Some(pointer.to_string()),
            message: format!("cannot generate: {message}"),
        }
    }
}

/// Reads and parses `path`.
pub fn load(path: &Path) -> Result<Spec, SpecError> {
    let source = std::fs::read_to_string(path).map_err(|e| SpecError {
        file: path.to_path_buf(),
        line: None,
        column: None,
        pointer: None,
        message: format!("cannot read the spec: {e}"),
    })?;
    parse(path, source)
}

/// Parses `source`, reporting errors against `path`.
pub fn parse(path: &Path, source: String) -> Result<Spec, SpecError> {
    let error = |line: Option<usize>, column: Option<usize>, pointer: Option<String>, message: String| SpecError {
        file: path.to_path_buf(),
        line,
        column,
        pointer,
        message,
    };

    let yaml_error = |e: &serde_yaml::Error| {
        let location = e.location();
        error(
            location.as_ref().map(|l| l.line()),
            location.as_ref().map(|l| l.column()),
            None,
            format!("invalid YAML: {e}"),
        )
    };

    if source.trim().is_empty() {
        return Err(error(None, None, None, "the spec is empty".into()));
    }

    check_shape(&source).map_err(|(line, column, message)| error(Some(line), Some(column), None, message))?;

    // marked-yaml first: it keeps positions, names the exact line of a duplicate key, and
    // rejects duplicates that serde_yaml would only report at the enclosing mapping.
    let options = marked_yaml::LoaderOptions::default().error_on_duplicate_keys(true);
    let positions = marked_yaml::parse_yaml_with_options(0, &source, options).map_err(|e| {
        let (line, column, message) = describe_marked_error(&e);
        error(line, column, None, message)
    })?;

    let yaml: serde_yaml::Value = serde_yaml::from_str(&source).map_err(|e| yaml_error(&e))?;

    let json = yaml_to_json(yaml, "").map_err(|(pointer, message)| {
        let line = line_in(&positions, &pointer);
        error(line, None, Some(pointer), message)
    })?;

    let Some(version) = json.get("openapi").and_then(Value::as_str) else {
        return Err(error(
            Some(1),
            None,
            Some("#/openapi".into()),
            "not an OpenAPI document: there is no `openapi` version field".into(),
        ));
    };
    if !version.starts_with("3.0.") {
        let pointer = "#/openapi".to_string();
        return Err(error(
            line_in(&positions, &pointer),
            None,
            Some(pointer),
            format!("OpenAPI {version} is not supported: progenitor reads OpenAPI 3.0.x only"),
        ));
    }

    // Structure only: the typed value is dropped (see `Spec`).
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&json).map_err(|e| {
        // openapiv3's untagged enums hide where inside them decoding failed; look again, one
        // path item, operation and component at a time.
        let (pointer, message) =
            locate_structure_error(&json).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        error(
            line_in(&positions, &pointer),
            None,
            Some(pointer),
            format!("not a valid OpenAPI 3.0 document: {message}"),
        )
    })?;

    let sha256 = hex(&Sha256::digest(source.as_bytes()));
    Ok(Spec { path: path.to_path_buf(), source, sha256, json, positions })
}

impl Spec {
    /// The same file with another reading of its document (see `spec::flatten`): lines are
    /// still found for every pointer both readings share.
    pub fn with_json(&self, json: Value) -> Spec {
        Spec { json, ..self.clone() }
    }

    /// The 1-based source line of the node a JSON pointer (`#/paths/~1sip~1app/post`) names,
    /// or of its nearest existing ancestor.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        line_in(&self.positions, pointer)
    }

    /// Looks up a local `$ref` (`#/components/schemas/X`) in the document.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        let pointer = reference.strip_prefix('#')?;
        self.json.pointer(pointer)
    }

    /// Follows a local `$ref` once (parameters, responses and bodies may be references); any
    /// other value, or a dangling reference (lint reports those), is returned as it is.
    pub(crate) fn deref<'v>(&'v self, value: &'v Value) -> &'v Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(r).unwrap_or(value),
            None => value,
        }
    }
}

/// Deepest nesting of mappings and sequences a spec may have (this one needs about 15).
const MAX_DEPTH: usize = 128;

/// Checks what marked-yaml does not, before it runs: the nesting depth (it builds and drops
/// its tree recursively, and overflows the stack on a document nested a few thousand levels
/// deep), and that there is one document (it stops after the first, and serde_yaml rejects a
/// second without saying where). Walks the parser's events, without recursion; a syntax error
/// is reported as marked-yaml reports it (the same parser).
fn check_shape(source: &str) -> Result<(), (usize, usize, String)> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(source);
    let (mut depth, mut documents) = (0usize, 0usize);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let mark = e.marker();
            (mark.line(), mark.col() + 1, format!("invalid YAML: {e}"))
        })?;
        let at = |message: String| Err((mark.line(), mark.col() + 1, message));
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return at(format!("invalid YAML: nested deeper than {MAX_DEPTH} levels"));
                }
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return at("invalid YAML: a second document starts here; a spec is one document".into());
                }
            }
            Event::StreamEnd => return Ok(()),
            _ => {}
        }
    }
}

/// Escapes one JSON-pointer token.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn line_in(root: &marked_yaml::Node, pointer: &str) -> Option<usize> {
    let mut node = root;
    let mut line = node_line(node);
    let tokens = pointer.trim_start_matches('#').split('/').filter(|t| !t.is_empty());
    for token in tokens {
        let token = unescape_token(token);
        // A mapping member's line is its key's line; a list item's is its own.
        let next = match node {
            marked_yaml::Node::Mapping(map) => map
                .iter()
                .find(|(key, _)| key.as_str() == token)
                .map(|(key, value)| (key.span().start().map(|m| m.line()), value)),
            marked_yaml::Node::Sequence(seq) => {
                token.parse().ok().and_then(|i| seq.get_node(i)).map(|v| (node_line(v), v))
            }
            marked_yaml::Node::Scalar(_) => None,
        };
        match next {
            Some((child_line, child)) => {
                node = child;
                line = child_line.or(line);
            }
            None => break,
        }
    }
    line
}

/// Deserialises the parts of the document one by one to find the innermost failing node.
fn locate_structure_error(json: &Value) -> Option<(String, String)> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value, base: &str) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value).err().map(|e| {
            let inner = path_to_pointer(e.path());
            (format!("{base}{}", inner.trim_start_matches('#')), e.inner().to_string())
        })
    }
    let mut found = None;
    if let Some(paths) = json.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let base = format!("#/paths/{}", escape_token(path));
            if let Some(item_map) = item.as_object() {
                for (method, op) in item_map {
                    if METHODS.contains(&method.as_str()) {
                        found = found.or_else(|| check::<openapiv3::Operation>(op, &format!("{base}/{method}")));
                    }
                }
            }
            found = found.or_else(|| check::<openapiv3::PathItem>(item, &base));
        }
    }
    if let Some(components) = json.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            for (name, entry) in entries.as_object().into_iter().flatten() {
                let base = format!("#/components/{kind}/{}", escape_token(name));
                found = found.or_else(|| match kind.as_str() {
                    "schemas" => check::<openapiv3::ReferenceOr<openapiv3::Schema>>(entry, &base),
                    "responses" => check::<openapiv3::ReferenceOr<openapiv3::Response>>(entry, &base),
                    "parameters" => check::<openapiv3::ReferenceOr<openapiv3::Parameter>>(entry, &base),
                    "requestBodies" => check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(entry, &base),
                    "examples" => check::<openapiv3::ReferenceOr<openapiv3::Example>>(entry, &base),
                    _ => None,
                });
            }
        }
    }
    found
}

fn node_line(node: &marked_yaml::Node) -> Option<usize> {
    node.span().start().map(|m| m.line())
}

fn describe_marked_error(e: &marked_yaml::LoadError) -> (Option<usize>, Option<usize>, String) {
    use marked_yaml::LoadError::*;
    let at = |m: &marked_yaml::Marker| (Some(m.line()), Some(m.column()));
    let ((line, column), message) = match e {
        DuplicateKey(inner) => {
            let first = inner.prev_key.span().start().map(|m| m.line()).unwrap_or(0);
            let at_key = inner.key.span().start().map(at).unwrap_or((None, None));
            (at_key, format!("duplicate key `{}` (first defined on line {first})", inner.key.as_str()))
        }
        UnexpectedAnchor(m) => (at(m), "YAML anchors and aliases are not supported; write the value out".into()),
        UnexpectedTag(m) => (at(m), "YAML tags are not supported".into()),
        MappingKeyMustBeScalar(m) => (at(m), "mapping keys must be plain scalars".into()),
        TopLevelMustBeMapping(m) | TopLevelMustBeSequence(m) => {
            (at(m), "not an OpenAPI document: the top level must be a mapping".into())
        }
        ScanError(m, scan) => (at(m), format!("invalid YAML: {scan}")),
    };
    (line, column, message)
}

/// YAML to JSON, turning mapping keys into strings (`200:` and `'200':` are the same
/// response code). Returns the pointer of anything that has no JSON form.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| (format!("#{pointer}"), format!("the number {n} has no JSON form")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            format!("#{pointer}"),
                            format!("a mapping key must be a string, found {other:?}"),
                        ));
                    }
                };
                let child = format!("{pointer}/{}", escape_token(&key));
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err((format!("#{pointer}"), format!("YAML tags are not supported ({})", tagged.tag)));
        }
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_token(key));
            }
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_error(source: &str) -> (usize, usize, String) {
        check_shape(source).unwrap_err()
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error_at_its_line() {
        let deep = format!("openapi: 3.0.3\nx-deep:\n  {}1\n", "- ".repeat(20_000));
        let (line, column, message) = shape_error(&deep);
        assert_eq!((line, column), (3, 2 + 2 * MAX_DEPTH - 1), "{message}");
        assert!(message.contains("deeper than 128"), "{message}");
        let fine = format!("x: {}1{}\n", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert_eq!(check_shape(&fine), Ok(()));
    }

    #[test]
    fn a_second_document_is_an_error_at_its_line() {
        let (line, _, message) = shape_error("openapi: 3.0.3\n---\nopenapi: 3.0.3\n");
        assert_eq!(line, 2, "{message}");
        assert!(message.contains("second document"), "{message}");
        // JSON followed by YAML: the parser wants a document start there.
        let (line, column, message) = shape_error("{\"openapi\": \"3.0.3\"}\nx-more:\n  a: 1\n");
        assert_eq!((line, column), (2, 7), "{message}");
    }
}
