// The web UI is compiled into the server (src/web.rs, rust-embed). A proc macro cannot tell
// cargo which files it read, so this says it: rebuild the server when anything under web/dist
// changes (cargo scans a directory named here recursively), including when it first appears.
fn main() {
    println!("cargo:rerun-if-changed=../web/dist");
    println!("cargo:rerun-if-changed=build.rs");
}
