//! Doc comments from spec text, made safe for rustdoc.
//!
//! Spec descriptions are Markdown written for a web page. Rustdoc would run
//! their code blocks as doctests, take `[x]` for intra-doc links and warn on
//! bare URLs and unknown HTML tags, so the text is adjusted here first.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for the given paragraphs (empty ones skipped).
pub(crate) fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let text = paragraphs
        .into_iter()
        .map(sanitize)
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    lines_to_attrs(&text)
}

/// Inner `#![doc = "..."]` attributes, for module docs.
pub(crate) fn inner_doc_attrs(text: &str) -> TokenStream {
    let text = sanitize(text);
    let lines: Vec<String> = text
        .lines()
        .map(|l| format!(" {l}").trim_end().to_owned())
        .collect();
    quote! { #(#![doc = #lines])* }
}

fn lines_to_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .lines()
        .map(|l| format!(" {l}").trim_end().to_owned())
        .collect();
    quote! { #(#[doc = #lines])* }
}

/// Makes Markdown from a spec safe for rustdoc.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.replace("\r\n", "\n").lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push(String::from("```"));
            } else {
                // Code in descriptions is never Rust: fence it as plain text.
                out.push(String::from("```text"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
        } else {
            // Indentation would make an (untested, un-fenced) code block.
            out.push(escape_inline(trimmed.trim_end()));
        }
    }
    if in_fence {
        out.push(String::from("```"));
    }
    out.join("\n")
}

/// Escapes brackets that are not Markdown links, angle brackets, and wraps bare URLs.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                // Keep `[text](target)` links; escape everything else.
                if let Some(close) = chars[i + 1..].iter().position(|&x| x == ']') {
                    let end = i + 1 + close;
                    if chars.get(end + 1) == Some(&'(') {
                        let text: String = chars[i + 1..end].iter().collect();
                        out.push('[');
                        out.push_str(&escape_inline(&text));
                        out.push(']');
                        // Copy the target verbatim up to its closing parenthesis.
                        let mut j = end + 1;
                        while j < chars.len() {
                            out.push(chars[j]);
                            if chars[j] == ')' {
                                break;
                            }
                            j += 1;
                        }
                        i = j + 1;
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            'h' if starts_url(&chars[i..]) => {
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '<' | '>'))
                    .map_or(chars.len(), |p| i + p);
                let mut url: String = chars[i..end].iter().collect();
                let mut tail = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    if let Some(last) = url.pop() {
                        tail.insert(0, last);
                    }
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&tail);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("http://") || head.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_become_text_and_indent_is_dropped() {
        let out = sanitize("Intro\n```\nlet x = 1;\n```\n    indented");
        assert_eq!(out, "Intro\n```text\nlet x = 1;\n```\nindented");
    }

    #[test]
    fn brackets_urls_and_tags_are_escaped() {
        assert_eq!(
            sanitize("see [docs](https://x.io/a) and [CARD]"),
            "see [docs](https://x.io/a) and \\[CARD\\]"
        );
        assert_eq!(sanitize("go to https://x.io/a."), "go to <https://x.io/a>.");
        assert_eq!(sanitize("a <b> `<c>`"), "a &lt;b&gt; `<c>`");
    }
}
