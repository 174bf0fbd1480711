//! Rebuilds the binary when the embedded data set changes (include_dir cannot tell cargo).
fn main() {
    println!("cargo:rerun-if-changed=../../data/orebro");
}
