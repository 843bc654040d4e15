//! `cargo xtask`: project automation.
//!
//! `cargo xtask generate` regenerates `flagright-api/src/generated` from
//! `spec/flagright.yaml`; `--check` fails, naming the stale files, when the
//! committed output differs; `--spec FILE --out DIR` writes a standalone crate
//! (runtime plus generated code) for any OpenAPI 3.0 document. `cargo xtask
//! bench [--build]` runs the benchmarks (`bench/`) in release mode.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use xtask::{SPEC, project_root, standalone, sync_sdk};

/// Generation allocates many small token trees on every core; glibc's
/// allocator spent a third of the run in malloc, free and page clearing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  cargo xtask generate [--check]              regenerate flagright-api from spec/
  cargo xtask generate --spec FILE --out DIR  write a standalone crate for any spec
                      [--strict]              (--strict: refuse what would only be a warning)
                      [--runtime-version V]   depend on openapi-client-rt version V
                      [--runtime-git URL]     ... or on its git repository (default: this
                                              workspace's runtime/ folder, by path)
  cargo xtask bench [--build]                 ratios against raw reqwest, plain serde and progenitor
                                              (release build; --build adds crate build times, minutes)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("no command given\n{USAGE}"));
    };
    match command.as_str() {
        "generate" => generate(rest),
        "bench" => bench(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}

/// What `generate` was asked to do.
enum Command {
    /// Regenerate (or, with `check`, check) the SDK from `spec/`.
    Sdk { check: bool },
    /// Write a standalone crate for another spec; with `strict`, warnings
    /// are errors.
    Standalone {
        spec: PathBuf,
        out: PathBuf,
        strict: bool,
        /// Where the crate gets the runtime; `None`: this workspace's, by path.
        runtime: Option<standalone::Runtime>,
    },
}

fn parse(args: &[String]) -> Result<Command, String> {
    let (mut check, mut strict, mut spec, mut out) = (false, false, None, None);
    let mut runtime = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--strict" => strict = true,
            "--spec" => spec = Some(PathBuf::from(iter.next().ok_or("--spec needs a file")?)),
            "--out" => out = Some(PathBuf::from(iter.next().ok_or("--out needs a directory")?)),
            "--runtime-version" => {
                let version = iter.next().ok_or("--runtime-version needs a version")?;
                runtime = Some(standalone::Runtime::Version(version.clone()));
            }
            "--runtime-git" => {
                let url = iter.next().ok_or("--runtime-git needs a URL")?;
                runtime = Some(standalone::Runtime::Git(url.clone()));
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    match (spec, out) {
        (None, None) if strict || runtime.is_some() => Err(String::from(
            "--strict and --runtime-* are for --spec FILE --out DIR; spec/ is always generated \
             strictly, and flagright-api uses this workspace's runtime",
        )),
        (None, None) => Ok(Command::Sdk { check }),
        _ if check => Err(String::from(
            "--check only checks the SDK generated from spec/; drop --spec and --out",
        )),
        (Some(spec), Some(out)) => Ok(Command::Standalone {
            spec,
            out,
            strict,
            runtime,
        }),
        (Some(spec), None) => Err(format!(
            "--spec {} needs --out DIR: a standalone crate is written to its own folder, \
             never over flagright-api (add `--out DIR`)\n{USAGE}",
            spec.display()
        )),
        (None, Some(_)) => Err(format!(
            "--out needs --spec FILE, the spec to generate the crate from\n{USAGE}"
        )),
    }
}

/// Builds `xtask` (whose generation is timed as a whole process) and the
/// benchmark binary in release mode, then runs the benchmark from the project root.
fn bench(args: &[String]) -> Result<(), String> {
    let build = match args {
        [] => false,
        [flag] if flag == "--build" => true,
        [arg, ..] => return Err(format!("unknown argument `{arg}`\n{USAGE}")),
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let root = project_root();
    let run = |args: &[&str]| -> Result<(), String> {
        let status = std::process::Command::new(&cargo)
            .current_dir(&root)
            .args(args)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`cargo {}` failed ({status})", args.join(" ")))
        }
    };
    run(&["build", "--release", "-q", "-p", "xtask"])?;
    let mut bench = vec!["run", "--release", "-q", "-p", "flagright-bench"];
    if build {
        bench.extend(["--", "--build"]);
    }
    run(&bench)
}

fn generate(args: &[String]) -> Result<(), String> {
    let root = project_root();
    match parse(args)? {
        Command::Sdk { check } => sdk(&root, check),
        Command::Standalone {
            spec,
            out,
            strict,
            runtime,
        } => {
            let runtime = runtime.unwrap_or_else(|| standalone::Runtime::in_workspace(&root));
            standalone_crate(&spec, &out, strict, &runtime)
        }
    }
}

fn sdk(root: &Path, check: bool) -> Result<(), String> {
    let started = Instant::now();
    let sync = sync_sdk(root, check)?;
    let report = sync.report;
    if !check {
        println!(
            "generated {} files from {SPEC} in {:.0?} ({} updated, {} removed)",
            sync.files,
            started.elapsed(),
            report.written.len(),
            report.removed.len()
        );
        return Ok(());
    }
    if report.stale.is_empty() {
        println!("generated code is up to date ({} files)", sync.files);
        return Ok(());
    }
    Err(format!(
        "generated code is stale; run `cargo xtask generate` and commit the result:\n{}",
        report
            .stale
            .iter()
            .map(|p| format!("  {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

fn standalone_crate(
    spec_path: &Path,
    out: &Path,
    strict: bool,
    runtime: &standalone::Runtime,
) -> Result<(), String> {
    let text = std::fs::read_to_string(spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let started = Instant::now();
    let module =
        codegen::generate_module(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let elapsed = started.elapsed();
    for warning in &module.warnings {
        eprintln!("warning: {}: {warning}", spec_path.display());
    }
    if strict && !module.warnings.is_empty() {
        return Err(format!(
            "{} warning(s) in {} and --strict refuses them",
            module.warnings.len(),
            spec_path.display()
        ));
    }
    println!("{}", names_line(&module.type_names));
    let files = module.files;
    standalone::write(out, &files, &module.features, runtime)?;
    println!(
        "wrote a standalone crate for {} to {} ({} generated files, generated in {:.0?})",
        spec_path.display(),
        out.display(),
        files.len(),
        elapsed
    );
    Ok(())
}

/// The names report: how many types, and every name that ends in a digit
/// with where the digit came from (the schema's own name, or a number added
/// because nothing else told two types apart).
fn names_line(names: &[codegen::TypeName]) -> String {
    let numbered: Vec<String> = names
        .iter()
        .filter(|t| t.name.ends_with(|c: char| c.is_ascii_digit()) || t.numbered)
        .map(|t| match (&t.schema, t.numbered) {
            (Some(wire), _) => format!("{} (schema `{wire}`)", t.name),
            (None, true) => format!("{} (no other context)", t.name),
            (None, false) => format!("{} (from its uses)", t.name),
        })
        .collect();
    let list = match numbered.is_empty() {
        true => String::from("none"),
        false => numbered.join(", "),
    };
    format!("{} types; numbered names: {list}", names.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_line_says_where_each_digit_came_from() {
        let name = |name: &str, schema: Option<&str>, numbered| codegen::TypeName {
            name: name.to_owned(),
            schema: schema.map(str::to_owned),
            numbered,
        };
        assert_eq!(
            names_line(&[name("Pet", Some("Pet"), false)]),
            "1 types; numbered names: none"
        );
        assert_eq!(
            names_line(&[
                name("Ipv4", Some("Ipv4"), false),
                name("Request2", None, true),
                name("Pet", None, false),
            ]),
            "3 types; numbered names: Ipv4 (schema `Ipv4`), Request2 (no other context)"
        );
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn spec_without_out_is_an_error_that_names_the_fix() {
        let Err(message) = parse(&args(&["--spec", "x.yaml"])) else {
            panic!("--spec without --out was accepted");
        };
        assert!(message.contains("add `--out DIR`"), "{message}");
    }

    #[test]
    fn the_two_forms_parse() {
        assert!(matches!(
            parse(&args(&["--check"])),
            Ok(Command::Sdk { check: true })
        ));
        assert!(matches!(
            parse(&args(&["--spec", "x.yaml", "--out", "dir"])),
            Ok(Command::Standalone { .. })
        ));
        assert!(parse(&args(&["--out", "dir"])).is_err());
    }

    #[test]
    fn the_runtime_comes_from_the_workspace_unless_told() {
        let Ok(Command::Standalone { runtime, .. }) =
            parse(&args(&["--spec", "x.yaml", "--out", "dir"]))
        else {
            panic!("a standalone command");
        };
        assert_eq!(runtime, None);
        let Ok(Command::Standalone { runtime, .. }) = parse(&args(&[
            "--spec",
            "x.yaml",
            "--out",
            "dir",
            "--runtime-version",
            "0.1",
        ])) else {
            panic!("a standalone command");
        };
        assert_eq!(runtime, Some(standalone::Runtime::Version("0.1".into())));
        let manifest =
            standalone::manifest(&[], &standalone::Runtime::Git("https://x.example/r".into()));
        assert!(
            manifest.contains(
                r#"openapi-client-rt = { git = "https://x.example/r", default-features = false }"#
            ),
            "{manifest}"
        );
        assert!(parse(&args(&["--runtime-git", "u"])).is_err());
    }
}
