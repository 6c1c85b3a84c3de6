//! Links the `debrief` binary at a fixed address on Linux.
//!
//! The binary holds about 68,000 pointers in its read-only data, most of
//! them in the time-zone database that RRULE expansion needs (every zone's
//! every offset names its abbreviation). A position-independent executable
//! has the loader rewrite each of them at every start, copying some 400
//! pages: about a third of a short command's time (`debrief --version` 2.4 ms
//! against 1.8 ms; BENCHMARKS.md, "Message and transcript review"). Linked
//! at a fixed address, those pages are read from the file as they are.
//! Shared libraries, the stack and the heap are still placed at random.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
