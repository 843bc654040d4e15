//! Which file of `types/` each type is emitted into.
//!
//! Types share files. A new file costs far more than formatting a few
//! hundred lines: an inode, a directory entry and a write, a millisecond
//! each on some filesystems, and the generator writes a whole crate. So
//! `types/` holds one file per initial letter of the types' snake-case
//! names (`types/c.rs` holds `CardDetails` and `CountryCode`). A letter
//! whose types would pass [`FILE_BUDGET`] lines is split by the next letter
//! (`types/ca.rs`, `types/co.rs`), and so on.
//!
//! The layout depends only on names and sizes, never on order, so adding a
//! type changes the files of its own letter and no other. File paths are
//! not public: `types` re-exports every type, so the layout can change
//! without breaking a user.

use crate::ir::{TypeDef, TypeKind};
use crate::naming::reserved::TYPE_MODULES;
use crate::naming::{Namer, file_module_name, snake_name};
use std::collections::BTreeMap;

/// The most lines a file of `types/` should hold, estimated (see
/// [`estimated_lines`]); a file of one large type may hold more.
const FILE_BUDGET: usize = 3_000;

/// Sets every type's `module` to the file it is emitted into.
pub(super) fn assign_files(types: &mut [TypeDef]) {
    let keyed: Vec<(String, usize, usize)> = types
        .iter()
        .enumerate()
        .map(|(id, t)| (snake_name(&t.name), estimated_lines(&t.kind), id))
        .collect();
    let mut leaves: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    split(keyed, 1, &mut leaves);
    let mut names = Namer::with_reserved(TYPE_MODULES.iter().copied());
    for (prefix, ids) in leaves {
        let module = names.unique(&file_module_name(&prefix));
        for id in ids {
            if let Some(def) = types.get_mut(id) {
                def.module = module.clone();
            }
        }
    }
}

/// Groups `keyed` (snake name, estimated lines, id) by their first `depth`
/// characters; a group over budget with names longer than `depth` is split
/// one character deeper. Leaves are recorded under their prefix.
///
/// Depth grows with each call, and a group is only split while some name in
/// it is longer than the prefix, so the recursion ends at the longest
/// name's length (identifiers, so short) and never on equal names.
fn split(
    keyed: Vec<(String, usize, usize)>,
    depth: usize,
    leaves: &mut BTreeMap<String, Vec<usize>>,
) {
    let mut groups: BTreeMap<String, Vec<(String, usize, usize)>> = BTreeMap::new();
    for entry in keyed {
        let prefix: String = entry.0.chars().take(depth).collect();
        groups.entry(prefix).or_default().push(entry);
    }
    for (prefix, group) in groups {
        let lines: usize = group.iter().map(|(_, lines, _)| lines).sum();
        let deeper = group
            .iter()
            .any(|(name, _, _)| name.chars().count() > depth);
        if lines > FILE_BUDGET && group.len() > 1 && deeper {
            split(group, depth + 1, leaves);
        } else {
            leaves
                .entry(prefix)
                .or_default()
                .extend(group.into_iter().map(|(_, _, id)| id));
        }
    }
}

/// About how many formatted lines a type takes (measured on the generated
/// crates: a field with its doc, serde attribute, builder setter and
/// decoding arm; an enum value with its `as_str` and `From` arms).
fn estimated_lines(kind: &TypeKind) -> usize {
    match kind {
        TypeKind::Struct(s) => 40 + 12 * s.fields.len(),
        TypeKind::Enum(e) => 20 + 4 * e.values.len(),
        TypeKind::Tagged(t) => 40 + 12 * t.variants.len(),
        TypeKind::Untagged(u) => 40 + 10 * u.variants.len(),
        TypeKind::Alias(_) => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Enum, NameOrigin};

    /// A string enum of `values` values, named `name`.
    fn enum_def(name: &str, values: usize) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            module: String::new(),
            doc: None,
            pointer: String::from("#"),
            kind: TypeKind::Enum(Enum {
                values: (0..values)
                    .map(|i| (format!("V{i}"), format!("V{i}")))
                    .collect(),
                other: String::from("UnknownValue"),
            }),
            origin: NameOrigin::Numbered,
        }
    }

    fn modules(types: &[TypeDef]) -> Vec<(&str, &str)> {
        types
            .iter()
            .map(|t| (t.name.as_str(), t.module.as_str()))
            .collect()
    }

    #[test]
    fn types_share_a_file_per_initial_letter() {
        let mut types = vec![
            enum_def("CardStatus", 3),
            enum_def("CountryCode", 3),
            enum_def("Amount", 3),
        ];
        assign_files(&mut types);
        assert_eq!(
            modules(&types),
            [("CardStatus", "c"), ("CountryCode", "c"), ("Amount", "a")]
        );
    }

    #[test]
    fn a_letter_over_budget_is_split_by_the_next_letters() {
        // Each about 1,220 lines: three `A…` types pass the budget together.
        let mut types = vec![
            enum_def("Asset", 300),
            enum_def("Ask", 300),
            enum_def("Account", 300),
            enum_def("Bank", 300),
        ];
        assign_files(&mut types);
        // `Asset` and `Ask` fit together under `as`, a keyword: `as_`.
        assert_eq!(
            modules(&types),
            [
                ("Asset", "as_"),
                ("Ask", "as_"),
                ("Account", "ac"),
                ("Bank", "b")
            ]
        );
    }

    #[test]
    fn equal_prefixes_end_the_split() {
        // One type per file would need names to differ; `Mod` and `Mode`
        // differ only past `mod`, a keyword the namer reserves for the folder.
        let mut types = vec![enum_def("Mod", 400), enum_def("Mode", 400)];
        assign_files(&mut types);
        let files = modules(&types);
        assert_ne!(files[0].1, files[1].1, "{files:?}");
        assert!(files.iter().all(|(_, m)| *m != "mod"), "{files:?}");
    }
}
