//! `sosik-indexer pack --index DIR --out NAME.tar.zst` and `sosik-indexer verify PATH`.

use std::path::PathBuf;

use sosik_engine::format::{archive, verify};

use super::CommandResult;

#[derive(clap::Args)]
pub struct PackArgs {
    /// The built index (the path given to `build --index`).
    #[arg(long)]
    pub index: PathBuf,
    /// The archive to write, `NAME.tar.zst`; `NAME.tar.zst.sha256` is written beside it.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn pack(args: PackArgs) -> CommandResult {
    let packed = archive::pack(&args.index, &args.out)?;
    let digest = packed.manifest.content_digest.as_deref().unwrap_or("");
    println!(
        "packed {} items from {} posts into {} ({:.1} MB, {} files)\ncontent digest {digest}\nsha256 {}  ({})",
        packed.manifest.items,
        packed.manifest.posts,
        packed.archive.display(),
        packed.bytes as f64 / 1e6,
        packed.manifest.files.len() + 1,
        packed.sha256,
        packed.checksum_file.display(),
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// An index directory (or the link a build publishes) or a `.tar.zst` archive.
    pub path: PathBuf,
    /// The embedding model the index must be built with (default: the installed model's
    /// `MODEL_ID`, under $SOSIK_HOME/e5).
    #[arg(long)]
    pub model_id: Option<String>,
}

pub fn verify(args: VerifyArgs) -> CommandResult {
    let model_id = match args.model_id {
        Some(id) => id,
        None => sosik_embed::Assets::locate().model_id()?,
    };
    let (manifest, what) = if archive::is_archive(&args.path) {
        // an archive is checked by unpacking it (every entry is read and checked on the way)
        // into a folder of this run's own beside it, removed afterwards
        let name = args.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let scratch = args.path.with_file_name(format!(".{name}.verify-{}", std::process::id()));
        let unpacked = archive::unpack_to(&args.path, &model_id, &scratch);
        let _ = std::fs::remove_dir_all(&scratch);
        (unpacked?.manifest, "archive".to_string())
    } else {
        (verify::verify_dir(&args.path, &model_id)?, "index directory".to_string())
    };
    println!(
        "ok: {} is a complete {what}: {} items from {} posts, format {}, model {}, {} files checked\ncontent digest {}",
        args.path.display(),
        manifest.items,
        manifest.posts,
        manifest.format_version,
        manifest.model_id,
        manifest.files.len(),
        manifest.content_digest.as_deref().unwrap_or(""),
    );
    Ok(())
}
