//! The field path at a position of a JSON document, found without decoding.
//!
//! When a response fails to decode, serde_json says where by line and
//! column: the last byte it read. Scanning the raw bytes up to there gives
//! the path of the value being read (`transactions[1].hitRules[0].ruleAction`).
//! This is one small non-generic function, so no decoding machinery is
//! compiled a second time per response type to track paths.
//!
//! A position on a member's key, its colon or anywhere in its value belongs
//! to that member; a position on a container's own brackets or between its
//! members belongs to the container. The top of the document is `.`.

/// Deepest nesting followed; serde_json stops at 128, so this is only a
/// guard against deep input on a malformed document.
const MAX_DEPTH: usize = 512;

/// One step of a field path (also used by the non-finite number check).
pub(crate) enum Segment {
    /// A property of an object.
    Key(String),
    /// An item of a list.
    Index(usize),
}

/// The path of the value at `line` and `column` (1-based, as serde_json
/// reports them: the column of the last byte read; 0 before the first).
pub(crate) fn path_at(json: &[u8], line: usize, column: usize) -> String {
    let line_start = if line <= 1 {
        0
    } else {
        json.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(json.len(), |(i, _)| i + 1)
    };
    let target = (line_start + column).saturating_sub(1);
    let mut scan = Scan {
        bytes: json,
        pos: 0,
        target,
        path: Vec::new(),
    };
    scan.value(0);
    render(&scan.path)
}

/// A path as errors show it: `a.b[2].c`, `.` for the top.
pub(crate) fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        String::from(".")
    } else {
        out
    }
}

struct Scan<'a> {
    bytes: &'a [u8],
    pos: usize,
    target: usize,
    /// The path to the value being scanned; when the scan stops, the answer.
    path: Vec<Segment>,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Whether the target lies before the current position (scanning stops).
    fn passed(&self) -> bool {
        self.pos > self.target
    }

    /// Scans one value; `true` when the target was found inside it (or the
    /// input ended), leaving its path in `self.path`.
    fn value(&mut self, depth: usize) -> bool {
        self.skip_whitespace();
        match self.peek() {
            None => true,
            Some(_) if depth > MAX_DEPTH => true,
            Some(b'{') => self.container(depth, b'}'),
            Some(b'[') => self.container(depth, b']'),
            Some(b'"') => {
                self.string();
                self.passed()
            }
            Some(_) => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.pos += 1;
                }
                self.passed()
            }
        }
    }

    /// Scans an object or array whose opening bracket is at the position.
    fn container(&mut self, depth: usize, close: u8) -> bool {
        let object = close == b'}';
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_whitespace();
            if self.passed() {
                return true;
            }
            match self.peek() {
                None => return true,
                Some(b) if b == close => {
                    self.pos += 1;
                    return self.passed();
                }
                Some(b',') => {
                    self.pos += 1;
                    index += 1;
                    continue;
                }
                Some(_) => {}
            }
            if object {
                if self.peek() != Some(b'"') {
                    return true;
                }
                let key = self.string();
                self.path.push(Segment::Key(key));
                self.skip_whitespace();
                if self.peek() == Some(b':') {
                    self.pos += 1;
                }
                if self.passed() {
                    return true;
                }
            } else {
                self.path.push(Segment::Index(index));
            }
            if self.value(depth + 1) {
                return true;
            }
            self.path.pop();
        }
    }

    /// Scans a string whose opening quote is at the position; its text
    /// (escapes decoded when they are valid).
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => break,
                _ => {}
            }
        }
        let end = self.pos.min(self.bytes.len());
        let raw = self.bytes.get(start..end).unwrap_or_default();
        serde_json::from_slice::<String>(raw).unwrap_or_else(|_| {
            String::from_utf8_lossy(raw.get(1..).unwrap_or_default())
                .trim_end_matches('"')
                .to_owned()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path serde_json's error position points at, for `T`.
    fn path_of<T: serde::de::DeserializeOwned>(json: &str) -> String {
        match serde_json::from_str::<T>(json) {
            Ok(_) => panic!("{json} decoded"),
            Err(e) => path_at(json.as_bytes(), e.line(), e.column()),
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        a: Option<f64>,
        b: Option<String>,
        c: Option<Vec<u8>>,
        e: Option<Inner>,
        items: Option<Vec<Inner>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        x: u8,
    }

    #[test]
    fn points_at_the_failing_value() {
        assert_eq!(path_of::<Doc>(r#"{"a":"lots","b":"x"}"#), "a");
        assert_eq!(path_of::<Doc>(r#"{"b":"x", "a" : {"k":1}}"#), "a");
        assert_eq!(path_of::<Doc>(r#"{"b":12345}"#), "b");
        assert_eq!(path_of::<Doc>(r#"{"c":[1,"x"]}"#), "c[1]");
        assert_eq!(path_of::<Doc>(r#"{"c":{}}"#), "c");
        assert_eq!(path_of::<Doc>(r#"{"e":{}}"#), "e");
        assert_eq!(path_of::<Doc>(r#"{"e":{"x":300}}"#), "e.x");
        assert_eq!(
            path_of::<Doc>(r#"{"b":"q\"uote", "items":[{"x":1},{"x":"no"}]}"#),
            "items[1].x"
        );
        assert_eq!(
            path_of::<Doc>("{\n  \"items\": [\n    {\"x\": 1},\n    {\"x\": true}\n  ]\n}"),
            "items[1].x"
        );
        assert_eq!(path_of::<Doc>(r#"{"e":{"x":1,"x":2}}"#), "e.x");
        assert_eq!(path_of::<Doc>(r#"[1]"#), ".");
        assert_eq!(path_of::<Doc>(r#"{"e":{"x":1}} x"#), ".");
        assert_eq!(path_of::<Doc>(r#"{"e":{"x":"#), "e.x");
        assert_eq!(path_of::<Vec<Inner>>(r#"[{"x":1}, {"y":2}]"#), "[1]");
    }

    #[test]
    fn odd_input_never_panics() {
        for json in [
            "",
            "{",
            "[",
            "\"",
            "{\"a",
            "{\"a\":",
            "}",
            "]]]",
            "{\"\\",
            "\u{1F600}",
        ] {
            for line in 0..3 {
                for column in 0..8 {
                    let _ = path_at(json.as_bytes(), line, column);
                }
            }
        }
        let deep = "[".repeat(10_000);
        assert!(path_at(deep.as_bytes(), 1, 9_999).starts_with("[0]"));
    }
}
