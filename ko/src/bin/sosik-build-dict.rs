//! `sosik-build-dict SOURCE_DIR OUT_DIR`: compiles mecab-ko-dic sources (CSV + .def) into lindera's
//! binary dictionary format. Run by `scripts/setup/dict.sh`; nothing here touches the network.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: sosik-build-dict SOURCE_DIR OUT_DIR");
        return ExitCode::from(2);
    }
    let (src, out) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let started = Instant::now();
    match sosik_ko::build_dictionary(&src, &out) {
        Ok(()) => {
            eprintln!("ko-dic: {} -> {} in {:.1?}", src.display(), out.display(), started.elapsed());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
