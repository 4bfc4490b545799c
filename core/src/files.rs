//! Files the coordinator picks: a path checked before anything is written, a chosen file read
//! as text (size limit, encodings, a plain message when it cannot be), CSV as spreadsheets write
//! it, and CSV written for Excel. No domain part is imported here.

use std::path::Path;

use crate::error::{Error, Localized, Result};

/// The largest file read as text (a provider list, an invoice, feedback answers).
const MAX_BYTES: u64 = 5 * 1024 * 1024;

/// No file was given.
pub fn no_path() -> Error {
    Error::field(
        "path",
        "required",
        "Kirjuta faili asukoht või vali fail nupuga „Vali…”.",
        "Type the file's path or pick the file with “Choose…”.",
    )
}

/// A path typed or chosen for a file to read or write: given, and whole. A relative path
/// ("aruanne.xlsx") would be read from or written into the app's working folder, where the
/// coordinator would never find it ("Salvestatud: aruanne.xlsx" and no such file in sight).
pub fn check_path(path: &Path) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Err(no_path());
    }
    if !path.is_absolute() {
        return Err(Error::field(
            "path",
            "path.relative",
            "Kirjuta faili terve asukoht (nt /home/mari/Dokumendid/aruanne.xlsx) või vali see nupuga „Vali…”.",
            "Type the file's whole path (e.g. /home/mari/Documents/report.xlsx) or pick it with “Choose…”.",
        ));
    }
    Ok(())
}

/// A file that cannot be read as a provider list at all.
pub fn file_error(et: impl Into<String>, en: impl Into<String>) -> Error {
    Error::ImportFile(Localized::new(et, en))
}

/// The delimiter a spreadsheet wrote: ';' when the header line has more of them than commas
/// (Estonian Excel), else ','.
pub fn csv_delimiter(text: &str) -> u8 {
    let header_line = text.lines().next().unwrap_or_default();
    if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// A CSV file as spreadsheets and providers' systems write it: `;` or `,` (whichever the header
/// line has more of), ragged rows allowed, cells trimmed. The reader and the header names in
/// lower case; a header that cannot be read is a message for the user.
pub fn csv_reader(text: &str) -> std::result::Result<(csv::Reader<&[u8]>, Vec<String>), Localized> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(csv_delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            Localized::new(
                format!("Faili päist ei saa lugeda: {e}"),
                format!("The file's header cannot be read: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    Ok((reader, headers))
}

/// The records of a [`csv_reader`] with their line numbers in the file (the header is line 1),
/// blank rows skipped; a row that cannot be read, or more than `max_rows` rows, is a message for
/// the user.
pub fn csv_records(
    reader: &mut csv::Reader<&[u8]>,
    max_rows: usize,
) -> std::result::Result<Vec<(usize, csv::StringRecord)>, Localized> {
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| {
            Localized::new(
                format!("Rida {line} ei ole loetav: {e}"),
                format!("Line {line} cannot be read: {e}"),
            )
        })?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() >= max_rows {
            return Err(Localized::new(
                format!("Failis on üle {max_rows} rea."),
                format!("The file has more than {max_rows} rows."),
            ));
        }
        rows.push((line, record));
    }
    Ok(rows)
}

/// Read a file the user chose, with a size limit, as text.
pub fn read_file(path: &Path) -> Result<String> {
    check_path(path)?;
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
    if meta.is_dir() {
        return Err(unreadable(
            path,
            &std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ));
    }
    if meta.len() > MAX_BYTES {
        return Err(file_error(
            "Fail on liiga suur (kuni 5 MB).",
            "The file is too large (at most 5 MB).",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, &e))?;
    // Text never holds a NUL byte; a spreadsheet (.xlsx, .xls), a PDF or an image does.
    if bytes.contains(&0) {
        return Err(file_error(
            format!(
                "Fail {} ei ole tekstifail: salvesta see tabelarvutuses CSV-vormingus ja vali uuesti.",
                path.display()
            ),
            format!(
                "The file {} is not a text file: save it as CSV in the spreadsheet program and choose it again.",
                path.display()
            ),
        ));
    }
    Ok(decode(&bytes))
}

/// A plain message for a file that cannot be read, by what went wrong, with its path (the
/// operating system's own text is English and technical: "os error 2").
pub fn unreadable(path: &Path, e: &std::io::Error) -> Error {
    let p = path.display();
    match e.kind() {
        std::io::ErrorKind::NotFound => file_error(
            format!("Faili {p} ei ole: kontrolli asukohta või vali fail nupuga „Vali…”."),
            format!("There is no file {p}: check the path or pick the file with “Choose…”."),
        ),
        std::io::ErrorKind::PermissionDenied => file_error(
            format!("Faili {p} lugemiseks ei ole õigust: kopeeri fail näiteks oma kausta ja vali uuesti."),
            format!("You are not allowed to read the file {p}: copy it, e.g. into your own folder, and choose it again."),
        ),
        std::io::ErrorKind::IsADirectory => file_error(
            format!("{p} on kaust, mitte fail: vali CSV-fail."),
            format!("{p} is a folder, not a file: choose a CSV file."),
        ),
        _ => file_error(
            format!("Faili {p} ei saa lugeda: kontrolli, et fail on olemas ja avatav."),
            format!("The file {p} cannot be read: check that it exists and opens."),
        ),
    }
}

/// Bytes as text: UTF-8 (with or without BOM), else Windows-1252 as Excel writes it on Windows.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80 => '€',
                0x8A => 'Š',
                0x8E => 'Ž',
                0x9A => 'š',
                0x9E => 'ž',
                0x96 => '–',
                0x97 => '—',
                0x84 => '„',
                0x93 => '“',
                0x94 => '”',
                b => char::from(b),
            })
            .collect(),
    }
}

/// Write a CSV file for spreadsheets: UTF-8 with a byte-order mark, so that Excel shows õ, ä, ö,
/// ü right; `rows` are written by `builder`'s settings (delimiter, flexible rows).
pub fn write_excel_csv<R, F>(path: &Path, builder: &csv::WriterBuilder, rows: R) -> Result<()>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = builder.from_writer(&mut out);
        for row in rows {
            w.write_record(row)
                .map_err(|e| Error::Internal(e.to_string()))?;
        }
        w.flush()?;
    }
    std::fs::write(path, out)?;
    Ok(())
}
