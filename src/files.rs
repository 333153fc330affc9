//! Reading the text files users hand wxmod (site lists, boundaries, zones, exclusions,
//! facilities, rules): UTF-8, with or without the byte-order mark that Windows tools such as
//! Excel and Notepad write at the start.

use std::path::Path;

/// The file's text without a leading UTF-8 byte-order mark.
///
/// # Errors
/// The I/O error of reading the file, or `InvalidData` when it is not UTF-8.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("sites.csv");
/// std::fs::write(&path, "\u{feff}id,name\n").unwrap();
/// assert_eq!(wxmod::files::read_text(&path).unwrap(), "id,name\n");
/// ```
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}
