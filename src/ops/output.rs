//! Writing a job's files: all or nothing.
//!
//! Every file goes first into a temporary folder beside the output folder (on the same file
//! system); only when every file is complete are they moved into place, each by a rename. On a
//! write failure (a full disk, a read-only folder) the temporary folder is removed and the
//! output folder is left as it was. Files already in the output folder that the job does not
//! make are kept.

use std::path::{Path, PathBuf};

use crate::report::NamedFile;

/// A job's files could not be written; the output folder is as it was.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A folder could not be made or a file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file name would leave the output folder.
    #[error("file name {name:?} would be written outside the output folder")]
    BadName {
        /// The name.
        name: String,
    },
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes every file into `dir` (created if needed), all or nothing; returns the paths
/// written, in order.
pub fn write_atomically(dir: &Path, files: &[NamedFile]) -> Result<Vec<PathBuf>, OutputError> {
    for NamedFile { name, .. } in files {
        let path = Path::new(name);
        let inside = path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside || name.is_empty() {
            return Err(OutputError::BadName { name: name.clone() });
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let leaf = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    std::fs::create_dir_all(&parent).map_err(write_error(&parent))?;
    let staging = parent.join(format!(".{leaf}.wxmod-partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let staged = stage(&staging, files).and_then(|()| move_into_place(&staging, dir, files));
    let _ = std::fs::remove_dir_all(&staging);
    staged?;
    Ok(files.iter().map(|f| dir.join(&f.name)).collect())
}

/// Writes one file by streaming into it (an export too large to hold in memory), all or
/// nothing: `fill` writes into a partial file beside `path`, which replaces `path` by a rename
/// only when `fill` succeeded and every byte is on disk; on any failure the partial file is
/// removed and `path` is as it was.
pub fn stream_atomically<T, E: From<OutputError>>(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T, E>,
) -> Result<T, E> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let partial = path.with_file_name(format!(".{name}.wxmod-partial-{}", std::process::id()));
    let file = std::fs::File::create(&partial).map_err(write_error(path))?;
    let mut sink = std::io::BufWriter::new(file);
    let done = fill(&mut sink).and_then(|value| {
        use std::io::Write as _;
        sink.flush().map_err(write_error(path))?;
        sink.get_ref().sync_all().map_err(write_error(path))?;
        std::fs::rename(&partial, path).map_err(write_error(path))?;
        Ok(value)
    });
    if done.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    done
}

/// Writes every file under `staging`.
fn stage(staging: &Path, files: &[NamedFile]) -> Result<(), OutputError> {
    std::fs::create_dir_all(staging).map_err(write_error(staging))?;
    for NamedFile { name, bytes } in files {
        let path = staging.join(name);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(write_error(folder))?;
        }
        std::fs::write(&path, bytes).map_err(write_error(&path))?;
    }
    Ok(())
}

/// Moves the staged files into `dir`: the whole folder at once when `dir` does not exist yet,
/// else file by file.
fn move_into_place(staging: &Path, dir: &Path, files: &[NamedFile]) -> Result<(), OutputError> {
    if !dir.exists() {
        return std::fs::rename(staging, dir).map_err(write_error(dir));
    }
    for NamedFile { name, .. } in files {
        let target = dir.join(name);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(write_error(folder))?;
        }
        std::fs::rename(staging.join(name), &target).map_err(write_error(&target))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<NamedFile> {
        vec![
            NamedFile::new("a.txt", b"one".to_vec()),
            NamedFile::new("maps/b.svg", b"<svg/>".to_vec()),
        ]
    }

    #[test]
    fn writes_a_new_folder_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let written = write_atomically(&out, &files()).unwrap();
        assert_eq!(written, vec![out.join("a.txt"), out.join("maps/b.svg")]);
        assert_eq!(std::fs::read(out.join("maps/b.svg")).unwrap(), b"<svg/>");
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the output folder remains");
    }

    #[test]
    fn keeps_other_files_of_an_existing_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("keep.txt"), b"mine").unwrap();
        write_atomically(&out, &files()).unwrap();
        assert_eq!(std::fs::read(out.join("keep.txt")).unwrap(), b"mine");
        assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"one");
    }

    #[test]
    fn a_failed_write_leaves_the_folder_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a.txt"), b"old").unwrap();
        // A file and a folder of the same name cannot both be staged: the second write fails.
        let clash = vec![
            NamedFile::new("a.txt", b"new".to_vec()),
            NamedFile::new("x", b"file".to_vec()),
            NamedFile::new("x/y", b"under a file".to_vec()),
        ];
        assert!(write_atomically(&out, &clash).is_err());
        assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"old");
        assert!(!out.join("x").exists());
        let entries: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "no staging folder is left behind");
    }

    #[test]
    fn refuses_names_that_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let bad = vec![NamedFile::new("../escape", Vec::new())];
        assert!(matches!(
            write_atomically(&tmp.path().join("out"), &bad),
            Err(OutputError::BadName { .. })
        ));
    }
}
