//! The workspace tests, as one test binary: one link instead of one per file, and the tests of
//! all files run in parallel threads (the slow ones, Prism and the other-language generators,
//! overlap). Each file is a module; a new test file goes here too (see DEVELOPERS.md).

mod cli;
mod client_nullable;
mod client_operations;
mod client_options;
mod client_paging;
mod client_properties;
mod client_resilience;
mod client_security;
mod client_tracing;
mod docs_check;
mod e2e_prism;
mod first_five_minutes;
mod forward_compatible_clients;
mod fuzz;
mod generation;
mod load_faults;
mod mcp;
mod mock_spec;
mod msrv;
mod other_languages;
mod package;
mod reference_docs;
mod release;
mod spec_conformance;
mod spec_diff;
mod typed_mocks;

use opentact_tests::workspace_root;

/// Every `.rs` file of tests/tests/it is a module above (a file that is not would silently
/// never run), and no test file sits outside it (it would be a test binary of its own).
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = workspace_root().join("tests/tests");
    let main = include_str!("main.rs");
    for entry in std::fs::read_dir(dir.join("it")).expect("tests/tests/it is readable") {
        let path = entry.expect("a directory entry").path();
        let Some(module) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        if path.extension().is_some_and(|e| e == "rs") && module != "main" {
            assert!(main.contains(&format!("\nmod {module};\n")), "tests/tests/it/main.rs lacks `mod {module};`");
        }
        // A module split into files (`fuzz/`): main.rs declares it, its mod.rs each file.
        if path.is_dir() {
            assert!(main.contains(&format!("\nmod {module};\n")), "tests/tests/it/main.rs lacks `mod {module};`");
            let parent = std::fs::read_to_string(path.join("mod.rs")).expect("a module directory has a mod.rs");
            for entry in std::fs::read_dir(&path).expect("the module directory is readable") {
                let file = entry.expect("a directory entry").path();
                let Some(child) = file.file_stem().and_then(|s| s.to_str()) else { continue };
                if file.extension().is_some_and(|e| e == "rs") && child != "mod" {
                    assert!(parent.contains(&format!("\nmod {child};\n")), "{module}/mod.rs lacks `mod {child};`");
                }
            }
        }
    }
    for entry in std::fs::read_dir(&dir).expect("tests/tests is readable") {
        let path = entry.expect("a directory entry").path();
        assert!(
            path.extension().is_none_or(|e| e != "rs"),
            "{} is a test binary of its own; move it to tests/tests/it/ and add it to main.rs",
            path.display()
        );
    }
}
