//! Support code shared by the workspace tests.
