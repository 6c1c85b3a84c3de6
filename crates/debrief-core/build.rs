//! Makes a table of each learned model's committed weights file (see
//! `src/learn/file.rs`): the program then finds an input's weights in place,
//! with nothing to read or parse when it starts.

#[allow(dead_code, reason = "the build uses the writing half of the module")]
#[path = "src/learn/file.rs"]
mod file;

/// Each weights file, the table made of it, and its number of classes.
const MODELS: [(&str, &str, usize); 3] = [
    ("data/sentences/weights.tsv", "sentences.table", 3),
    ("data/apology/weights.tsv", "apology.table", 2),
    ("data/reasons/model.tsv", "reasons.table", 44),
];

#[allow(clippy::disallowed_methods, reason = "a build script reads the weights files and writes their tables")]
fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (source, table, classes) in MODELS {
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let bytes = match classes {
            3 => file::compile::<3>(&text),
            2 => file::compile::<2>(&text),
            44 => file::compile::<44>(&text),
            n => panic!("{source}: no table for {n} classes"),
        };
        std::fs::write(out.join(table), bytes).unwrap_or_else(|e| panic!("{table}: {e}"));
    }
    println!("cargo:rerun-if-changed=src/learn/file.rs");
    println!("cargo:rerun-if-changed=build.rs");
}
