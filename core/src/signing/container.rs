//! The ASiC-E container (ETSI EN 319 162, BDOC 2.1): a ZIP whose first entry is `mimetype`,
//! stored uncompressed, then the signed files, `META-INF/manifest.xml` and
//! `META-INF/signatures0.xml`. This file writes and reads the ZIP; it knows nothing of XAdES.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::Problem;

pub const MIMETYPE: &str = "application/vnd.etsi.asic-e+zip";
pub const MANIFEST: &str = "META-INF/manifest.xml";
pub const SIGNATURES: &str = "META-INF/signatures0.xml";

/// One signed file inside a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub name: String,
    pub mime_type: String,
    pub content: Vec<u8>,
}

/// The files as the XAdES signature names them, and the options every signature of this app
/// uses (one signature, "S0", signed at `time`): the same for a new signature and for one
/// rebuilt to be extended.
pub(crate) fn xades_input(
    files: &[DataFile],
    time: chrono::DateTime<chrono::Utc>,
) -> (Vec<xades::DataObject<'_>>, xades::SigningOptions) {
    let objects = files
        .iter()
        .map(|f| xades::DataObject {
            name: &f.name,
            mime_type: &f.mime_type,
            content: &f.content,
        })
        .collect();
    let options = xades::SigningOptions {
        signature_id: Some("S0".into()),
        signing_time: Some(time),
        ..Default::default()
    };
    (objects, options)
}

/// A container as read: its signed files and its signature documents.
#[derive(Debug, Clone)]
pub struct Container {
    pub files: Vec<DataFile>,
    /// `(entry name, XML text)` of each `META-INF/*signatures*.xml`.
    pub signatures: Vec<(String, String)>,
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The OpenDocument manifest BDOC 2.1 asks for: the container itself and each signed file.
pub fn manifest(files: &[DataFile]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\" ?>\n\
         <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\n\
         <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.etsi.asic-e+zip\"/>\n",
    );
    for f in files {
        out.push_str(&format!(
            "<manifest:file-entry manifest:full-path=\"{}\" manifest:media-type=\"{}\"/>\n",
            xml_escape(&f.name),
            xml_escape(&f.mime_type)
        ));
    }
    out.push_str("</manifest:manifest>\n");
    out
}

/// Write a container: `mimetype` first and stored, the files, the manifest, the signature.
pub fn write(files: &[DataFile], signature_xml: &str) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("mimetype", stored)?;
    zip.write_all(MIMETYPE.as_bytes())?;
    for f in files {
        zip.start_file(f.name.as_str(), deflated)?;
        zip.write_all(&f.content)?;
    }
    zip.start_file(MANIFEST, deflated)?;
    zip.write_all(manifest(files).as_bytes())?;
    zip.start_file(SIGNATURES, deflated)?;
    zip.write_all(signature_xml.as_bytes())?;
    let cursor = zip.finish()?;
    Ok(cursor.into_inner())
}

/// The media types the manifest gives, by file name (a light reading: attributes only).
fn manifest_types(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in xml.split("<manifest:file-entry").skip(1) {
        let attr = |name: &str| -> Option<String> {
            let key = format!("{name}=\"");
            let start = entry.find(&key)? + key.len();
            let end = entry[start..].find('"')? + start;
            Some(
                entry[start..end]
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            )
        };
        if let (Some(path), Some(mime)) = (attr("manifest:full-path"), attr("manifest:media-type"))
        {
            if path != "/" {
                out.push((path, mime));
            }
        }
    }
    out
}

/// Read a container and check its structure. Structural problems are returned, not thrown: a
/// verifier reports every problem it finds. `Err` only when the bytes are not a ZIP at all.
pub fn read(bytes: &[u8]) -> Result<(Container, Vec<Problem>), Problem> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Problem::not_a_container())?;
    let mut problems = Vec::new();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|_| Problem::not_a_container())?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_string();
        if i == 0 && name == "mimetype" && f.compression() != CompressionMethod::Stored {
            problems.push(Problem::structure("the mimetype file is compressed"));
        }
        let mut content = Vec::new();
        f.read_to_end(&mut content)
            .map_err(|_| Problem::not_a_container())?;
        entries.push((name, content));
    }
    match entries.first() {
        Some((name, content)) if name == "mimetype" => {
            if content.as_slice() != MIMETYPE.as_bytes() {
                problems.push(Problem::structure("the mimetype is not ASiC-E"));
            }
        }
        _ => problems.push(Problem::structure("mimetype is not the first file")),
    }
    let manifest_xml = entries
        .iter()
        .find(|(n, _)| n == MANIFEST)
        .map(|(_, c)| String::from_utf8_lossy(c).into_owned());
    let types = match &manifest_xml {
        Some(xml) => manifest_types(xml),
        None => {
            problems.push(Problem::structure("META-INF/manifest.xml is missing"));
            Vec::new()
        }
    };
    let mut files = Vec::new();
    let mut signatures = Vec::new();
    for (name, content) in entries {
        if name == "mimetype" || name == MANIFEST {
            continue;
        }
        if let Some(rest) = name.strip_prefix("META-INF/") {
            if rest.contains("signatures") && rest.ends_with(".xml") {
                match String::from_utf8(content) {
                    Ok(xml) => signatures.push((name, xml)),
                    Err(_) => problems.push(Problem::structure("a signature file is not text")),
                }
            }
            continue;
        }
        let mime_type = types
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.clone());
        if mime_type.is_none() && manifest_xml.is_some() {
            problems.push(Problem::structure(&format!(
                "{name} is not listed in the manifest"
            )));
        }
        files.push(DataFile {
            name,
            mime_type: mime_type.unwrap_or_else(|| "application/octet-stream".into()),
            content,
        });
    }
    for (n, _) in &types {
        if !files.iter().any(|f| &f.name == n) {
            problems.push(Problem::structure(&format!(
                "the manifest lists {n}, which is not in the container"
            )));
        }
    }
    if files.is_empty() {
        problems.push(Problem::structure("the container holds no signed file"));
    }
    if signatures.is_empty() {
        problems.push(Problem::new(
            "signing.unsigned",
            "Konteineris ei ole ühtegi allkirja.",
            "The container holds no signature.",
        ));
    }
    Ok((Container { files, signatures }, problems))
}
