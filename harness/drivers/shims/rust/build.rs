// The helper reports the tokio-postgres it was built with: the version cargo resolved from
// Debian's crates, read from the lock file cargo writes before it compiles.
use std::fs;
use std::path::Path;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let lock = fs::read_to_string(Path::new(&dir).join("Cargo.lock")).unwrap_or_default();
    let mut version = "unknown".to_string();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"tokio-postgres\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                version = v.trim_end_matches('"').to_string();
            }
        }
    }
    println!("cargo:rustc-env=TOKIO_POSTGRES_VERSION={}", version);
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = std::process::Command::new(rustc).arg("--version").output().ok();
    let rustc_version = out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    println!("cargo:rustc-env=HELPER_RUSTC_VERSION={}", rustc_version);
    println!("cargo:rerun-if-changed=Cargo.lock");
}
