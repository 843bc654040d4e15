//! Names of the generated mock's items (`mock.rs`): per group a handle type
//! and an accessor on `MockServer`, per operation a marker type and the type
//! of its decoded parameters.

use crate::ir::{Group, MockNames};
use crate::naming::reserved::MOCK_SERVER_METHODS;
use crate::naming::{Namer, type_name};

/// Names `group`'s mock items. Markers and parameter types share the
/// group's mock module; accessors are named around `MockServer`'s own methods.
pub(crate) fn names(group: &Group, accessors: &mut Namer) -> MockNames {
    let mut namer = Namer::default();
    let markers: Vec<String> = group
        .operations
        .iter()
        .map(|op| namer.unique(&type_name(&op.method_name)))
        .collect();
    let markers = markers
        .into_iter()
        .map(|marker| {
            // Cased as one name: a keyword's escape (`Self_`) stays out of it.
            let params = namer.unique(&type_name(&format!("{marker} params")));
            (marker, params)
        })
        .collect();
    let accessor = if MOCK_SERVER_METHODS.contains(&group.module.as_str()) {
        accessors.unique(&format!("{}_group", group.module))
    } else {
        accessors.unique(&group.module)
    };
    MockNames {
        handle: type_name(&format!("{} mock", group.handle)),
        accessor,
        markers,
    }
}

/// Names the mock items of every group.
pub(crate) fn name_all(groups: &mut std::collections::BTreeMap<String, Group>) {
    let mut accessors = Namer::with_reserved(MOCK_SERVER_METHODS.iter().copied());
    for group in groups.values_mut() {
        group.mock = names(group, &mut accessors);
    }
}
