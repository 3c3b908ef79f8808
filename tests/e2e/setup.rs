//! The offline tool-chain setup (scripts/setup/rust-web.sh): which rustc-web version it picks, what
//! it fetches besides, and how it reports a library the unpacked binaries cannot find (issue #11).
//!
//! The functions run in bash as the setup runs them, against stand-ins for `apt-cache` and `apt-get`
//! on PATH (package lists are the machine's state, which a test must not change) and real
//! `dpkg-deb`, `dpkg-query`, `ldd` and `gcc`. Each case takes well under a second.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sosik_tests::repo_root;

const PIN: &str = "1.96.0+dfsg1-1~deb12u2";
const OLD: &str = "1.85.0+dfsg3-1~deb12u3";

/// A scratch folder with a fake `apt-cache madison` whose answer is `lists/stale` until the fake
/// `apt-get update` has run, `lists/fresh` after; `apt-get download` takes .debs from `repo/`.
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(name: &str, stale: &[&str], fresh: &[&str]) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("sosik-setup-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["bin", "lists", "repo", "home"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let madison = |versions: &[&str]| -> String {
            versions
                .iter()
                .map(|v| format!(" rustc-web | {v} | http://deb.debian.org/debian x/main amd64 Packages\n"))
                .collect()
        };
        std::fs::write(dir.join("lists/stale"), madison(stale)).unwrap();
        std::fs::write(dir.join("lists/fresh"), madison(fresh)).unwrap();
        let d = dir.display();
        script(
            &dir.join("bin/apt-cache"),
            &format!(
                "[ \"$1\" = madison ] || exit 2\n\
                 [ -f {d}/calls/no-apt-cache ] && {{ echo 'apt-cache must not be asked' >&2; exit 3; }}\n\
                 if [ -f {d}/updated ]; then cat {d}/lists/fresh; else cat {d}/lists/stale; fi\n"
            ),
        );
        script(
            &dir.join("bin/apt-get"),
            &format!(
                "case \"$*\" in\n\
                 *update*) touch {d}/updated ;;\n\
                 *download*) for a in \"$@\"; do case \"$a\" in -*|download|APT::*) continue ;; esac\n\
                   n=${{a%%=*}}; f=$(ls {d}/repo/${{n}}_*.deb 2>/dev/null | head -1)\n\
                   [ -n \"$f\" ] || {{ echo \"E: no $a\" >&2; exit 100; }}; cp \"$f\" .; done ;;\n\
                 *) exit 2 ;;\n\
                 esac\n"
            ),
        );
        Sandbox { dir }
    }

    /// Runs `body` in bash with the setup's functions loaded; returns (status ok, stdout, stderr).
    fn run(&self, env: &[(&str, &str)], body: &str) -> (bool, String, String) {
        let repo = repo_root();
        let prelude = format!(
            "set -euo pipefail\n. {}/scripts/setup/common.sh\n. {}/scripts/setup/rust-web.sh\n\
             DEBS=$SOSIK_DOWNLOADS/debs; TC=$SOSIK_HOME/wasm/rust-web; mkdir -p \"$DEBS\"\n",
            repo.display(),
            repo.display()
        );
        let path = format!("{}:{}", self.dir.join("bin").display(), std::env::var("PATH").unwrap_or_default());
        let out: Output = Command::new("bash")
            .arg("-c")
            .arg(format!("{prelude}{body}"))
            .env("PATH", path)
            .env("SOSIK_HOME", self.dir.join("home"))
            .env_remove("SOSIK_RUST_WEB_VERSION")
            .env_remove("SOSIK_NO_APT_UPDATE")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn updated(&self) -> bool {
        self.dir.join("updated").exists()
    }

    /// A real (tiny) .deb named PKG in the fake archive, depending on `depends`.
    fn deb(&self, pkg: &str, version: &str, depends: &str) {
        let root = self.dir.join(format!("build-{pkg}"));
        std::fs::create_dir_all(root.join("DEBIAN")).unwrap();
        let mut control = format!(
            "Package: {pkg}\nVersion: {version}\nArchitecture: amd64\nMaintainer: t <t@example.com>\nDescription: test\n"
        );
        if !depends.is_empty() {
            control.push_str(&format!("Depends: {depends}\n"));
        }
        std::fs::write(root.join("DEBIAN/control"), control).unwrap();
        let deb = self.dir.join("repo").join(format!("{pkg}_{version}_amd64.deb"));
        let out =
            Command::new("dpkg-deb").args(["--build", "--root-owner-group"]).arg(&root).arg(&deb).output().unwrap();
        assert!(out.status.success(), "dpkg-deb --build: {}", String::from_utf8_lossy(&out.stderr));
    }
}

fn script(path: &Path, body: &str) {
    std::fs::write(path, format!("#!/usr/bin/env bash\n{body}")).unwrap();
    let status = Command::new("chmod").arg("+x").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn stale_package_lists_are_refreshed_once_and_the_pin_is_taken() {
    // The lists of a fresh bookworm image: only bookworm main's 1.85, whose cargo needs libpcre.so.3.
    let sb = Sandbox::new("stale", &[OLD], &[PIN, OLD]);
    let (ok, out, err) = sb.run(&[], "resolve_rust_web_version");
    assert!(ok, "{err}");
    assert_eq!(out, PIN);
    assert!(sb.updated(), "apt-get update was not run: {err}");
}

#[test]
fn a_cached_deb_of_another_version_does_not_decide() {
    // A failed earlier attempt left 1.85's .debs behind; they must not win over the pin.
    let sb = Sandbox::new("cached", &[PIN, OLD], &[PIN, OLD]);
    let (ok, out, err) = sb.run(
        &[],
        &format!("for p in rustc-web cargo-web libstd-rust-web-dev rust-web-src; do : > \"$DEBS/${{p}}_{OLD}_amd64.deb\"; done\nresolve_rust_web_version"),
    );
    assert!(ok, "{err}");
    assert_eq!(out, PIN);
    assert!(!sb.updated(), "fresh lists need no update");
}

#[test]
fn a_newer_revision_is_taken_with_a_warning_when_the_pin_is_gone() {
    let newer = "1.96.1+dfsg1-1~deb12u1";
    let sb = Sandbox::new("newer", &[newer, OLD], &[newer, OLD]);
    let (ok, out, err) = sb.run(&[], "resolve_rust_web_version");
    assert!(ok, "{err}");
    assert_eq!(out, newer);
    assert!(err.contains("warning") && err.contains(PIN), "{err}");
}

#[test]
fn no_acceptable_version_is_a_clear_error() {
    let sb = Sandbox::new("none", &[OLD], &[OLD]);
    let (ok, _, err) = sb.run(&[], "resolve_rust_web_version");
    assert!(!ok);
    assert!(sb.updated(), "it should have refreshed the lists before giving up");
    assert!(err.contains("no rustc-web >= 1.96") && err.contains("bookworm-security") && err.contains(PIN), "{err}");

    // Told not to touch the package lists, it says so instead of updating them.
    let sb = Sandbox::new("none-no-update", &[OLD], &[PIN]);
    let (ok, _, err) = sb.run(&[("SOSIK_NO_APT_UPDATE", "1")], "resolve_rust_web_version");
    assert!(!ok && !sb.updated(), "{err}");
    assert!(err.contains("no rustc-web >= 1.96"), "{err}");

    // An explicit version older than the minimum is refused by name.
    let (ok, _, err) = sb.run(&[("SOSIK_RUST_WEB_VERSION", OLD)], "resolve_rust_web_version");
    assert!(!ok);
    assert!(err.contains(&format!("SOSIK_RUST_WEB_VERSION={OLD}")), "{err}");
}

#[test]
fn an_unpacked_tool_chain_is_kept_without_asking_apt() {
    let sb = Sandbox::new("installed", &[], &[]);
    std::fs::create_dir_all(sb.dir.join("calls")).unwrap();
    std::fs::write(sb.dir.join("calls/no-apt-cache"), "").unwrap();
    let (ok, out, err) =
        sb.run(&[], &format!("mkdir -p \"$TC\"; echo {PIN} > \"$TC/.version\"; resolve_rust_web_version"));
    assert!(ok, "{err}");
    assert_eq!(out, PIN);
}

#[test]
fn the_closure_fetches_every_dependency_the_machine_lacks() {
    let sb = Sandbox::new("closure", &[PIN], &[PIN]);
    // libc6 and gcc are installed on every machine that runs this; the sosik-t-* packages are not.
    sb.deb("rustc-web", PIN, "libc6 (>= 2.34), sosik-t-libgit (>= 1.5), gcc | c-compiler");
    sb.deb("sosik-t-libgit", "1.5.1", "sosik-t-libpcre, libc6");
    sb.deb("sosik-t-libpcre", "8.39", "sosik-t-libgit");
    let (ok, out, err) = sb.run(&[], &format!("deb_closure rustc-web={PIN}"));
    assert!(ok, "{err}");
    assert_eq!(out.lines().collect::<Vec<_>>(), ["rustc-web", "sosik-t-libgit", "sosik-t-libpcre"], "{err}");
    // Downloads went through a staging folder that is gone again: only whole .debs are kept.
    let debs: Vec<String> = std::fs::read_dir(sb.dir.join("home/downloads/debs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(debs.len(), 3, "{debs:?}");
    assert!(debs.iter().all(|d| d.ends_with(".deb")), "{debs:?}");

    // A dependency no archive has stops the setup with its name, and leaves no partial download.
    sb.deb("cargo-web", PIN, "sosik-t-nowhere");
    let (ok, _, err) = sb.run(&[], &format!("deb_closure cargo-web={PIN}"));
    assert!(!ok);
    assert!(err.contains("sosik-t-nowhere"), "{err}");
    let leftovers = std::fs::read_dir(sb.dir.join("home/downloads/debs"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".download"))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_library_the_loader_cannot_find_is_named() {
    let sb = Sandbox::new("ldd", &[], &[]);
    let d = sb.dir.display();
    // A program linked against a library of ours, then the library moved out of the loader's way.
    let (ok, out, err) = sb.run(
        &[],
        &format!(
            "cd {d}; printf 'int sosik_t(void){{return 7;}}\\n' > l.c; printf 'int sosik_t(void);int main(void){{return sosik_t();}}\\n' > m.c\n\
             mkdir -p lib; gcc -shared -fPIC -Wl,-soname,libsosikt.so.1 -o lib/libsosikt.so.1 l.c; ln -sf libsosikt.so.1 lib/libsosikt.so\n\
             gcc -o prog m.c -Llib -lsosikt\n\
             echo \"with:$(missing_libs {d}/lib {d}/prog)\"; echo \"without:$(missing_libs {d}/nowhere {d}/prog)\""
        ),
    );
    assert!(ok, "{err}");
    assert!(out.contains("with:\n") || out.lines().any(|l| l == "with:"), "{out}");
    assert!(out.contains("without:prog: libsosikt.so.1"), "{out}");
}
