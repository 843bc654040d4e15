//! Compares `spec/flagright.yaml` with `api-surface.json`, the facts of the
//! current API taken from the newest official SDK, and prints what is covered.
//!
//! ```text
//! cargo run -q -p flagright-tests --bin spec-coverage -- ../shared/reference/api-surface.json spec/flagright.yaml
//! ```
//!
//! Exits non-zero unless every endpoint, alias, union and enum value set is
//! covered and every model matches (or is listed in the spec's
//! `x-coverage-exceptions` with a reason). Two recorded disagreements with the
//! facts are accepted and counted: `x-unix-millis` integers where the facts say
//! `number`, and error responses marked `x-not-in-official-error-tables` (see
//! `spec/README.md`). Not part of `cargo test`: CI runs it where `../shared` exists.

#[path = "../coverage_notation.rs"]
mod notation;

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use notation::{Notation, Shape, literal_sets, parse};
use serde_json::Value;

const SCHEMAS: &str = "#/components/schemas/";
/// Marks an error response the API gives but the official error table of its
/// endpoint does not list.
const NOT_IN_OFFICIAL_TABLES: &str = "x-not-in-official-error-tables";
const VARIANT_SUFFIXES: [&str; 11] = [
    "Card",
    "GenericBankAccount",
    "Iban",
    "Ach",
    "Swift",
    "Mpesa",
    "Upi",
    "Wallet",
    "Check",
    "Cash",
    "Npp",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [surface_path, spec_path] = args.as_slice() else {
        eprintln!("usage: spec-coverage <api-surface.json> <spec.yaml>");
        return ExitCode::from(2);
    };
    let surface: Value =
        match std::fs::read_to_string(surface_path).map(|t| serde_json::from_str(&t)) {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => return fail(&format!("{surface_path}: not JSON: {e}")),
            Err(e) => return fail(&format!("{surface_path}: {e}")),
        };
    let spec: Value = match std::fs::read_to_string(spec_path).map(|t| serde_yaml::from_str(&t)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return fail(&format!("{spec_path}: not YAML: {e}")),
        Err(e) => return fail(&format!("{spec_path}: {e}")),
    };
    match Coverage::new(&surface, &spec).map(|c| c.run()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("spec-coverage: {message}");
    ExitCode::from(2)
}

/// How an SDK model name was matched to a spec schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MatchKind {
    Exact,
    CaseInsensitive,
    InlinedVariant,
    Duplicate,
}

impl MatchKind {
    fn label(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact name",
            MatchKind::CaseInsensitive => "case-insensitive name",
            MatchKind::InlinedVariant => "inlined union variant -> variant schema (with `method`)",
            MatchKind::Duplicate => "SDK-only name -> schema with the identical wire-field set",
        }
    }
}

struct Coverage<'a> {
    surface: &'a Value,
    spec: &'a Value,
    schemas: &'a serde_json::Map<String, Value>,
    /// SDK model name -> (spec schema name, how).
    model_names: BTreeMap<String, (String, MatchKind)>,
    /// SDK alias name -> parsed alias type.
    aliases: BTreeMap<String, Notation>,
    exceptions: BTreeMap<String, String>,
}

impl<'a> Coverage<'a> {
    fn new(surface: &'a Value, spec: &'a Value) -> Result<Self, String> {
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .ok_or("the spec has no components/schemas")?;
        let mut aliases = BTreeMap::new();
        for (name, t) in surface["aliases"]
            .as_object()
            .ok_or("api-surface has no aliases")?
        {
            let t = t
                .as_str()
                .ok_or_else(|| format!("alias {name} is not a string"))?;
            aliases.insert(
                name.clone(),
                parse(t).map_err(|e| format!("alias {name}: {e}"))?,
            );
        }
        let mut exceptions = BTreeMap::new();
        for (i, e) in spec["x-coverage-exceptions"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let model = e["model"]
                .as_str()
                .ok_or_else(|| format!("x-coverage-exceptions/{i}: no `model`"))?;
            let reason = e["reason"].as_str().filter(|r| !r.trim().is_empty());
            let reason = reason
                .ok_or_else(|| format!("x-coverage-exceptions/{i} ({model}): no `reason`"))?;
            exceptions.insert(model.to_owned(), reason.to_owned());
        }
        let mut coverage = Coverage {
            surface,
            spec,
            schemas,
            model_names: BTreeMap::new(),
            aliases,
            exceptions,
        };
        coverage.match_model_names();
        Ok(coverage)
    }

    fn models(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.surface["models"].as_object().into_iter().flatten()
    }

    fn wire_set(model: &Value) -> BTreeSet<String> {
        model["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["wire"].as_str().map(str::to_owned))
            .collect()
    }

    fn spec_wire_set(schema: &Value) -> Option<BTreeSet<String>> {
        Some(
            schema
                .get("properties")?
                .as_object()?
                .keys()
                .cloned()
                .collect(),
        )
    }

    fn is_variant_name(name: &str) -> bool {
        name.rsplit_once('_')
            .is_some_and(|(_, suffix)| VARIANT_SUFFIXES.contains(&suffix))
    }

    fn match_model_names(&mut self) {
        let lower: BTreeMap<String, &String> =
            self.schemas.keys().map(|k| (k.to_lowercase(), k)).collect();
        let mut names = BTreeMap::new();
        for (name, model) in self.models() {
            let wires = Self::wire_set(model);
            let found = if self.schemas.contains_key(name) {
                Some((name.clone(), MatchKind::Exact))
            } else if let Some(spec_name) = lower.get(&name.to_lowercase()) {
                Some(((*spec_name).clone(), MatchKind::CaseInsensitive))
            } else {
                let kind = if Self::is_variant_name(name) {
                    MatchKind::InlinedVariant
                } else {
                    MatchKind::Duplicate
                };
                let same: Vec<&String> = self
                    .schemas
                    .iter()
                    .filter(|(_, s)| Self::spec_wire_set(s).as_ref() == Some(&wires))
                    .map(|(n, _)| n)
                    .collect();
                (same.len() == 1).then(|| (same[0].clone(), kind))
            };
            if let Some(found) = found {
                names.insert(name.clone(), found);
            }
        }
        self.model_names = names;
    }

    /// The spec name an SDK model or union alias stands for.
    fn spec_name_of(&self, sdk: &str) -> Option<String> {
        if let Some((name, _)) = self.model_names.get(sdk) {
            return Some(name.clone());
        }
        if self.schemas.contains_key(sdk) {
            return Some(sdk.to_owned());
        }
        let lower = sdk.to_lowercase();
        self.schemas
            .keys()
            .find(|k| k.to_lowercase() == lower)
            .cloned()
    }

    /// Normalizes an api-surface type.
    fn surface_shape(&self, t: &Notation) -> Shape {
        match t {
            Notation::Name(n) => match n.as_str() {
                "string" | "number" | "integer" | "boolean" => Shape::Primitive(n.clone()),
                "any" => Shape::Any,
                _ if self.surface["models"].get(n).is_some() => {
                    Shape::Model(self.spec_name_of(n).unwrap_or_else(|| format!("?{n}")))
                }
                _ => match self.aliases.get(n) {
                    Some(alias) => self.surface_shape(alias),
                    None => Shape::Unknown(n.clone()),
                },
            },
            Notation::Literal(values) => Shape::Enum(values.iter().cloned().collect()),
            Notation::List(item) => Shape::List(Box::new(self.surface_shape(item))),
            Notation::Map(_, value) => Shape::Map(Box::new(self.surface_shape(value))),
            Notation::Union(items) => {
                let items: Vec<&Notation> = items
                    .iter()
                    .filter(|i| **i != Notation::Name("null".into()))
                    .collect();
                match items.as_slice() {
                    [one] => self.surface_shape(one),
                    [Notation::Literal(values), Notation::Name(any)] if any == "any" => {
                        Shape::Enum(values.iter().cloned().collect())
                    }
                    _ => {
                        let mut names = BTreeSet::new();
                        for item in items {
                            match self.surface_shape(item) {
                                Shape::Model(n) => names.insert(n),
                                other => return Shape::Unknown(format!("union member {other}")),
                            };
                        }
                        Shape::Union(names)
                    }
                }
            }
        }
    }

    /// Normalizes a spec schema node.
    fn spec_shape(&self, node: &Value) -> Shape {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let Some(name) = r.strip_prefix(SCHEMAS) else {
                return Shape::Unknown(r.to_owned());
            };
            let Some(target) = self.schemas.get(name) else {
                return Shape::Unknown(r.to_owned());
            };
            if target.get("properties").is_some() {
                return Shape::Model(name.to_owned());
            }
            return self.spec_shape(target);
        }
        // `{description, allOf: [X]}`: a reference with a description of its own,
        // the OpenAPI 3.0 way (siblings of `$ref` are ignored); its shape is X's.
        if let Some([member]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            && node
                .as_object()
                .is_some_and(|m| m.keys().all(|k| k == "allOf" || k == "description"))
        {
            return self.spec_shape(member);
        }
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            return Shape::Enum(
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            );
        }
        if let Some(variants) = node.get("oneOf").and_then(Value::as_array) {
            let names = variants
                .iter()
                .filter_map(|v| v["$ref"].as_str()?.strip_prefix(SCHEMAS).map(str::to_owned))
                .collect();
            return Shape::Union(names);
        }
        match node.get("type").and_then(Value::as_str) {
            Some("array") => Shape::List(Box::new(self.spec_shape(&node["items"]))),
            Some("object") if node.get("properties").is_none() => {
                match node.get("additionalProperties") {
                    Some(Value::Bool(true)) => Shape::Map(Box::new(Shape::Any)),
                    Some(v @ Value::Object(_)) => Shape::Map(Box::new(self.spec_shape(v))),
                    _ => Shape::Unknown("object without properties".into()),
                }
            }
            Some("object") => Shape::Unknown("inline object".into()),
            Some(p) => Shape::Primitive(p.to_owned()),
            None if node
                .as_object()
                .is_some_and(|m| m.keys().all(|k| k == "description")) =>
            {
                Shape::Any
            }
            None => Shape::Unknown(node.to_string().chars().take(60).collect()),
        }
    }

    fn run(&self) -> bool {
        let mut failures: Vec<String> = Vec::new();
        println!(
            "spec coverage against {}",
            self.surface["source"]
                .as_str()
                .unwrap_or("api-surface.json")
        );
        println!();

        let (endpoints_ok, endpoints_total, extra_statuses) = self.check_endpoints(&mut failures);
        let model_report = self.check_models(&mut failures);
        let (aliases_ok, aliases_total) = self.check_aliases(&mut failures);
        let (enums_ok, enums_total) = self.check_enum_sets(&mut failures);

        println!("models matched, by how:");
        for (kind, names) in &model_report.by_kind {
            println!("  {:>4}  {}", names.len(), kind.label());
            if *kind != MatchKind::Exact {
                let mut shown: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
                for (sdk, spec) in names {
                    shown.entry(spec.as_str()).or_default().push(sdk.as_str());
                }
                for (spec, sdks) in shown {
                    let list = if sdks.len() > 3 {
                        format!("{}, {} and {} more", sdks[0], sdks[1], sdks.len() - 2)
                    } else {
                        sdks.join(", ")
                    };
                    println!("          {spec} <- {list}");
                }
            }
        }
        for (model, reason) in &model_report.excepted {
            println!("  excepted: {model}: {reason}");
        }
        println!();

        let rows = [
            (
                "endpoints (path, method, query, errors, SDK names, response)",
                endpoints_ok,
                endpoints_total,
            ),
            (
                "models (wire-field set)",
                model_report.matched,
                model_report.total,
            ),
            (
                "model fields (required-ness and type)",
                model_report.fields_ok,
                model_report.fields_total,
            ),
            ("aliases and unions", aliases_ok, aliases_total),
            ("enum value sets", enums_ok, enums_total),
        ];
        println!("{:<64} {:>8} {:>7}", "area", "covered", "pct");
        println!("{}", "-".repeat(81));
        for (area, ok, total) in rows {
            println!(
                "{area:<64} {:>8} {:>6.1}%",
                format!("{ok}/{total}"),
                pct(ok, total)
            );
        }
        if model_report.integer_timestamps > 0 {
            println!(
                "({} timestamp field(s) are integers where the facts say number; see spec/README.md)",
                model_report.integer_timestamps
            );
        }
        if !extra_statuses.is_empty() {
            println!(
                "({} error status(es) beyond the official error tables, marked {NOT_IN_OFFICIAL_TABLES}; see spec/README.md)",
                extra_statuses.len()
            );
            for status in &extra_statuses {
                println!("  {status}");
            }
        }
        if !model_report.excepted.is_empty() {
            println!(
                "({} model(s) excepted via x-coverage-exceptions)",
                model_report.excepted.len()
            );
        }
        println!();
        if failures.is_empty() {
            println!("OK: the spec covers the whole API surface.");
            true
        } else {
            println!("{} problem(s):", failures.len());
            for f in &failures {
                println!("  - {f}");
            }
            false
        }
    }

    fn operations(&self) -> Vec<(String, String, &'a Value)> {
        let mut out = Vec::new();
        for (path, item) in self.spec["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                out.push((method.to_uppercase(), path.clone(), op));
            }
        }
        out
    }

    /// Checks every endpoint; returns how many match, how many there are, and the
    /// error statuses (`GET /path 404`) accepted beyond the official error tables.
    fn check_endpoints(&self, failures: &mut Vec<String>) -> (usize, usize, Vec<String>) {
        let ops = self.operations();
        let mut ok = 0;
        let mut extra_statuses = Vec::new();
        let endpoints = self.surface["endpoints"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for e in &endpoints {
            let http = e["http"].as_str().unwrap_or_default();
            let path = e["path"].as_str().unwrap_or_default();
            let label = format!("{http} {path}");
            let Some((_, spec_path, op)) = ops
                .iter()
                .find(|(m, p, _)| m == http && template(p) == template(path))
            else {
                failures.push(format!("endpoint {label}: not in the spec"));
                continue;
            };
            let mut problems = Vec::new();
            for (key, field) in [
                ("x-fern-sdk-group-name", "group"),
                ("x-fern-sdk-method-name", "method_name"),
            ] {
                if op.get(key) != e.get(field) {
                    problems.push(format!(
                        "{key} is {} but the SDK says {}",
                        op[key], e[field]
                    ));
                }
            }
            let params: Vec<&Value> = op["parameters"].as_array().into_iter().flatten().collect();
            let query: BTreeSet<&str> = params
                .iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str())
                .collect();
            let want: BTreeSet<&str> = e["query"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if query != want {
                problems.push(format!("query parameters {query:?}, expected {want:?}"));
            }
            for p in params.iter().filter(|p| p["in"] == "query") {
                let name = p["name"].as_str().unwrap_or_default();
                let shape = self.spec_shape(&p["schema"]);
                let expected = match name {
                    "page" | "pageSize" => Shape::Primitive("integer".into()),
                    _ => Shape::Enum(["true", "false"].iter().map(|s| s.to_string()).collect()),
                };
                if shape != expected {
                    problems.push(format!(
                        "query parameter {name} is {shape}, expected {expected}"
                    ));
                }
            }
            let want: BTreeSet<&str> = e["error_statuses"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut statuses = BTreeSet::new();
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                // A status the API answers but the official error table leaves out:
                // a recorded disagreement (spec/README.md), counted and reported.
                if response[NOT_IN_OFFICIAL_TABLES] == Value::Bool(true) {
                    if want.contains(status.as_str()) {
                        problems.push(format!(
                            "{status} is marked {NOT_IN_OFFICIAL_TABLES} but the official table lists it"
                        ));
                    } else {
                        extra_statuses.push(format!("{status} {http} {spec_path}"));
                    }
                    continue;
                }
                statuses.insert(status.as_str());
            }
            if statuses != want {
                problems.push(format!("error statuses {statuses:?}, expected {want:?}"));
            }
            let success = if http == "POST" { "201" } else { "200" };
            let returns = e["returns"].as_str().unwrap_or_default();
            let schema = op.pointer(&format!(
                "/responses/{success}/content/application~1json/schema/$ref"
            ));
            let expected = self.spec_name_of(returns).map(|n| format!("{SCHEMAS}{n}"));
            if schema.and_then(Value::as_str) != expected.as_deref() {
                problems.push(format!(
                    "{success} response schema {schema:?}, expected {expected:?} (SDK: {returns})"
                ));
            }
            if problems.is_empty() {
                ok += 1;
            } else {
                failures.push(format!(
                    "endpoint {label} (spec {spec_path}): {}",
                    problems.join("; ")
                ));
            }
        }
        if ops.len() != endpoints.len() {
            failures.push(format!(
                "the spec has {} operations, the API {}",
                ops.len(),
                endpoints.len()
            ));
        }
        (ok, endpoints.len(), extra_statuses)
    }

    fn check_models(&self, failures: &mut Vec<String>) -> ModelReport {
        let mut report = ModelReport::default();
        for (name, model) in self.models() {
            report.total += 1;
            let problems = self.model_problems(name, model, &mut report);
            if problems.is_empty() {
                report.matched += 1;
                let (spec, kind) = &self.model_names[name];
                report
                    .by_kind
                    .entry(*kind)
                    .or_default()
                    .push((name.clone(), spec.clone()));
            } else if let Some(reason) = self.exceptions.get(name) {
                report.excepted.push((name.clone(), reason.clone()));
                report.matched += 1;
            } else {
                failures.push(format!("model {name}: {}", problems.join("; ")));
            }
        }
        report
    }

    fn model_problems(&self, name: &str, model: &Value, report: &mut ModelReport) -> Vec<String> {
        let Some((spec_name, _)) = self.model_names.get(name) else {
            return vec!["no spec schema by name or by identical wire-field set".into()];
        };
        let schema = &self.schemas[spec_name];
        let spec_wires = Self::spec_wire_set(schema).unwrap_or_default();
        let wires = Self::wire_set(model);
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut problems = Vec::new();
        // A payment-details variant carries its `method` tag in the spec; the SDK strips it.
        let extra: Vec<&String> = spec_wires.difference(&wires).collect();
        let tag_only = extra
            .iter()
            .all(|w| *w == "method" && self.is_tag(&schema["properties"]["method"]));
        if !tag_only {
            problems.push(format!("spec {spec_name} has extra fields {extra:?}"));
        }
        let absent: Vec<&String> = wires.difference(&spec_wires).collect();
        if !absent.is_empty() {
            problems.push(format!("spec {spec_name} lacks fields {absent:?}"));
        }
        for field in model["fields"].as_array().into_iter().flatten() {
            let wire = field["wire"].as_str().unwrap_or_default();
            let Some(property) = schema["properties"].get(wire) else {
                continue;
            };
            report.fields_total += 1;
            let mut ok = true;
            let sdk_required = field["required"].as_bool().unwrap_or(false);
            let is_tag = wire == "method" && self.is_tag(property);
            if sdk_required != required.contains(wire) && !(is_tag && required.contains(wire)) {
                problems.push(format!(
                    "{wire}: required is {} in the spec, {sdk_required} in the SDK",
                    !sdk_required
                ));
                ok = false;
            }
            let t = field["type"].as_str().unwrap_or_default();
            let expected = match parse(t) {
                Ok(n) => self.surface_shape(&n),
                Err(e) => Shape::Unknown(e),
            };
            let actual = self.spec_shape(property);
            // Timestamps the API sends as integers, which the SDK facts call `number`:
            // a recorded disagreement (spec/README.md), counted and reported.
            let millis = property["x-unix-millis"] == Value::Bool(true)
                && actual == Shape::Primitive("integer".into())
                && expected == Shape::Primitive("number".into());
            if millis {
                report.integer_timestamps += 1;
            } else if actual != expected {
                problems.push(format!("{wire}: spec type {actual}, SDK type {expected}"));
                ok = false;
            }
            if ok {
                report.fields_ok += 1;
            }
        }
        problems
    }

    /// A `$ref` to a one-value string enum: the tag of a union variant.
    fn is_tag(&self, property: &Value) -> bool {
        matches!(self.spec_shape(property), Shape::Enum(v) if v.len() == 1)
    }

    fn check_aliases(&self, failures: &mut Vec<String>) -> (usize, usize) {
        let unions = self.surface["unions"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut ok = 0;
        for (name, t) in &self.aliases {
            let expected = self.surface_shape(t);
            let problem = if let Some(u) = unions.get(name) {
                self.union_problem(u, &expected)
            } else {
                let by_name = self
                    .spec_name_of(name)
                    .and_then(|n| self.schemas.get(&n).map(|s| (n, s)));
                match by_name {
                    Some((_, s)) if self.spec_shape(s) == expected => None,
                    Some((n, s)) => Some(format!(
                        "spec {n} is {}, expected {expected}",
                        self.spec_shape(s)
                    )),
                    None => Some("no spec schema of that name".into()),
                }
            };
            match problem {
                None => ok += 1,
                Some(p) => failures.push(format!("alias {name}: {p}")),
            }
        }
        (ok, self.aliases.len())
    }

    fn union_problem(&self, union: &Value, expected: &Shape) -> Option<String> {
        let Shape::Union(variants) = expected else {
            return Some(format!("not a union of models: {expected}"));
        };
        let found = self.schemas.iter().find(|(_, s)| {
            self.spec_shape(s) == Shape::Union(variants.clone()) && s.get("oneOf").is_some()
        });
        let Some((spec_name, schema)) = found else {
            return Some(format!("no spec oneOf of {variants:?}"));
        };
        match union["discriminant"].as_str() {
            None => None,
            Some(tag) => {
                if schema
                    .pointer("/discriminator/propertyName")
                    .and_then(Value::as_str)
                    != Some(tag)
                {
                    return Some(format!("spec {spec_name} has no discriminator on `{tag}`"));
                }
                for v in union["variants"].as_array().into_iter().flatten() {
                    let value = v["tag"].as_str().unwrap_or_default();
                    let model = v["model"].as_str().unwrap_or_default();
                    let target = self.spec_name_of(model).map(|n| format!("{SCHEMAS}{n}"));
                    let mapped = schema
                        .pointer(&format!("/discriminator/mapping/{value}"))
                        .and_then(Value::as_str);
                    if mapped != target.as_deref() {
                        return Some(format!(
                            "discriminator maps {value} to {mapped:?}, expected {target:?}"
                        ));
                    }
                }
                None
            }
        }
    }

    fn check_enum_sets(&self, failures: &mut Vec<String>) -> (usize, usize) {
        let mut wanted: BTreeSet<BTreeSet<String>> = BTreeSet::new();
        let mut sets = Vec::new();
        for t in self.aliases.values() {
            literal_sets(t, &mut sets);
        }
        for (_, model) in self.models() {
            for field in model["fields"].as_array().into_iter().flatten() {
                if let Ok(n) = parse(field["type"].as_str().unwrap_or_default()) {
                    literal_sets(&n, &mut sets);
                }
            }
        }
        wanted.extend(sets);
        let mut have = BTreeSet::new();
        collect_enums(self.spec, &mut have);
        let mut ok = 0;
        for set in &wanted {
            if have.contains(set) {
                ok += 1;
            } else {
                let preview: Vec<&String> = set.iter().take(6).collect();
                failures.push(format!(
                    "enum value set of {} values {preview:?}... appears in no spec enum",
                    set.len()
                ));
            }
        }
        (ok, wanted.len())
    }
}

#[derive(Default)]
struct ModelReport {
    total: usize,
    matched: usize,
    fields_total: usize,
    fields_ok: usize,
    /// Fields matched as integer timestamps where the facts say `number`.
    integer_timestamps: usize,
    by_kind: BTreeMap<MatchKind, Vec<(String, String)>>,
    excepted: Vec<(String, String)>,
}

fn collect_enums(node: &Value, out: &mut BTreeSet<BTreeSet<String>>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(values)) = map.get("enum") {
                out.insert(
                    values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                );
            }
            map.values().for_each(|v| collect_enums(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_enums(v, out)),
        _ => {}
    }
}

/// A path with its parameter names blanked: `/a/{x}` and `/a/{y}` are the same endpoint.
fn template(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "{}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn pct(ok: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        ok as f64 * 100.0 / total as f64
    }
}
