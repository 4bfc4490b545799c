//! Confirming a stored B-level signature later: the container filed while the desk was offline
//! is extended to LT (an RFC 3161 time-stamp over its SignatureValue, the signer certificate's
//! OCSP answer and the issuer certificates) when the services answer.
//!
//! The `xades` crate extends only a signature it has just built, so the stored one is built again
//! from what it holds (the files, the signer's certificate, the algorithm, the claimed signing
//! time and the signature value): the XML that comes out must be byte for byte the stored one,
//! or the container was not made by this desk (DigiDoc4's, say) and is left as it is.

use base64::Engine;
use chrono::{DateTime, Utc};

use super::container::{self, DataFile};
use super::Problem;

fn cannot_extend(detail: impl Into<String>) -> Problem {
    Problem::new(
        "signing.cannot_extend",
        "Seda allkirja ei saa siin kinnitada: konteiner ei ole selle töölaua tehtud. Kinnita see DigiDoc4-s ja lisa uuesti.",
        "This signature cannot be confirmed here: the container was not made by this desk. Confirm it in DigiDoc4 and add it again.",
    )
    .with_detail(detail)
}

/// The text of the first element named `local` (any namespace prefix, any attributes); none
/// when that element holds other elements.
fn element_text<'a>(xml: &'a str, local: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(at) = xml[from..].find(local) {
        let name_at = from + at;
        from = name_at + local.len();
        let before = xml[..name_at].rfind('<')?;
        let prefix = &xml[before + 1..name_at];
        let ok_prefix = prefix.is_empty()
            || (prefix.ends_with(':')
                && prefix[..prefix.len() - 1]
                    .chars()
                    .all(char::is_alphanumeric));
        let after = xml[from..].chars().next()?;
        if !ok_prefix || !(after == '>' || after == ' ') {
            continue;
        }
        let open_end = from + xml[from..].find('>')?;
        if xml[..open_end].ends_with('/') {
            return None;
        }
        let text = &xml[open_end + 1..];
        let text = &text[..text.find("</")?];
        return (!text.contains('<')).then_some(text);
    }
    None
}

fn attribute<'a>(xml: &'a str, element: &str, attr: &str) -> Option<&'a str> {
    let at = xml.find(&format!("{element} {attr}=\""))?;
    let rest = &xml[at + element.len() + attr.len() + 3..];
    Some(&rest[..rest.find('"')?])
}

fn base64_of(text: &str) -> Option<Vec<u8>> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

/// Where to extend a fresh signature to LT: the time-stamp service and the signer's issuer
/// certificates (DER; the OCSP responder comes from the certificate).
#[derive(Debug, Clone)]
pub struct LtServices {
    pub tsa_url: String,
    pub issuer_certs_der: Vec<Vec<u8>>,
    /// The OCSP responder to ask instead of the one the certificate names (confirmation only).
    pub ocsp_url: Option<String>,
}

/// The stored B-level `container` extended to LT with `lt`'s services.
pub fn extend_to_lt(bytes: &[u8], lt: &LtServices) -> Result<Vec<u8>, Problem> {
    let (c, problems) = container::read(bytes)?;
    if let Some(p) = problems.into_iter().next() {
        return Err(p);
    }
    let [(_, xml)] = c.signatures.as_slice() else {
        return Err(cannot_extend("not one signature"));
    };
    let cert = element_text(xml, "X509Certificate")
        .and_then(base64_of)
        .ok_or_else(|| cannot_extend("no signer certificate"))?;
    let value = element_text(xml, "SignatureValue")
        .and_then(base64_of)
        .ok_or_else(|| cannot_extend("no signature value"))?;
    let time: DateTime<Utc> = element_text(xml, "SigningTime")
        .and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| cannot_extend("no signing time"))?;
    let algorithm =
        attribute(xml, "SignatureMethod", "Algorithm").ok_or_else(|| cannot_extend("no method"))?;
    let files: Vec<DataFile> = c.files;
    let (objects, options) = container::xades_input(&files, time);
    let rebuilt = xades::prepare_signature(&objects, &cert, algorithm, &options)
        .and_then(|p| p.finalize(&value))
        .map_err(|e| cannot_extend(e.to_string()))?;
    if rebuilt.xml() != xml {
        return Err(cannot_extend("the stored signature is not this desk's"));
    }
    let extended = extend_created(rebuilt, lt)?;
    container::write(&files, extended.xml()).map_err(|e| {
        Problem::new(
            "signing.failed",
            "Allkirja konteinerit ei saanud koostada.",
            "The signature container could not be made.",
        )
        .with_detail(e.to_string())
    })
}

/// A signature just built (or built again) extended to LT: the time-stamp first (it must predate
/// the OCSP answer), then the signer certificate's OCSP answer and the issuer certificates. The
/// requests are the desk's own: the crate's clients refuse hosts on private networks, where a
/// Board's own services may well be.
pub(crate) fn extend_created(
    signature: xades::CreatedSignature,
    lt: &LtServices,
) -> Result<xades::CreatedSignature, Problem> {
    let unavailable = |detail: String| {
        Problem::new(
            "signing.lt_unavailable",
            "Allkirja ei saanud kinnitada (ajatempel ja kehtivuskinnitus): teenused ei ole kättesaadavad. Allkiri on alles ja ootab kinnitamist.",
            "The signature could not be confirmed (time-stamp and validity): the services are not reachable. The signature is kept and waits for confirmation.",
        )
        .with_detail(detail)
    };
    let input = signature
        .timestamp_input()
        .map_err(|e| unavailable(e.to_string()))?;
    let token = time_stamp(&lt.tsa_url, &input).map_err(unavailable)?;
    let cert = element_text(signature.xml(), "X509Certificate")
        .and_then(base64_of)
        .ok_or_else(|| unavailable("no signer certificate".into()))?;
    let ocsp = certificate_status(&cert, &lt.issuer_certs_der, lt.ocsp_url.as_deref())
        .map_err(unavailable)?;
    signature
        .extend_to_lt_with(token, vec![ocsp], lt.issuer_certs_der.clone())
        .map_err(|e| unavailable(e.to_string()))
}

fn post(url: &str, content_type: &str, body: Vec<u8>) -> Result<Vec<u8>, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let resp = client
        .post(url)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .map_err(|e| format!("{url}: {e}"))?;
    if !resp.status().is_success() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    resp.bytes()
        .map(|b| b.to_vec())
        .map_err(|e| format!("{url}: {e}"))
}

/// An RFC 3161 time-stamp token over SHA-256 of `input`, from the service the settings name.
fn time_stamp(url: &str, input: &[u8]) -> Result<Vec<u8>, String> {
    use sha2::Digest;
    use tsp_ltv::crypto::algorithm::DigestAlgorithm;
    let hash = sha2::Sha256::digest(input);
    let request = tsp_ltv::tsp::token::build_timestamp_request(
        DigestAlgorithm::Sha256,
        &hash,
        None,
        Some(tsp_ltv::tsp::token::generate_nonce()),
        true,
    )
    .map_err(|e| e.to_string())?;
    let answer = post(url, "application/timestamp-query", request)?;
    let resp = tsp_ltv::tsp::token::parse_timestamp_response(&answer).map_err(|e| e.to_string())?;
    resp.token_der
        .ok_or_else(|| format!("{url}: the time-stamp was refused ({:?})", resp.status))
}

/// The signer certificate's OCSP answer (good), from `url` or the responder its certificate
/// names.
fn certificate_status(
    cert_der: &[u8],
    issuers_der: &[Vec<u8>],
    url: Option<&str>,
) -> Result<Vec<u8>, String> {
    use tsp_ltv::ltv::ocsp;
    use x509_cert::der::Decode;
    let leaf = x509_cert::Certificate::from_der(cert_der).map_err(|e| e.to_string())?;
    let issuer = issuers_der
        .iter()
        .filter_map(|d| x509_cert::Certificate::from_der(d).ok())
        .find(|c| c.tbs_certificate.subject == leaf.tbs_certificate.issuer)
        .ok_or("the signer's issuer is not among the trusted certificates")?;
    let url = match url {
        Some(u) => u.to_string(),
        None => ocsp::OcspClient::extract_ocsp_urls(&leaf)
            .into_iter()
            .next()
            .ok_or("the signer's certificate names no OCSP responder")?,
    };
    let (request, nonce) =
        ocsp::build_ocsp_request_with_nonce(&leaf, &issuer).map_err(|e| e.to_string())?;
    let answer = post(&url, "application/ocsp-request", request)?;
    match tsp_ltv::ltv::ocsp_check_revocation(&answer, &leaf, &issuer, Some(&nonce), None) {
        Ok(tsp_ltv::ltv::ValidationStatus::Valid { .. }) => Ok(answer),
        Ok(other) => Err(format!("{url}: the certificate is not good: {other:?}")),
        Err(e) => Err(format!("{url}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_found_whatever_their_prefix() {
        let xml = "<a:Root><ds:SignatureValue Id=\"x\">QUJD</ds:SignatureValue>\
                   <SigningTime>2026-12-06T10:00:00Z</SigningTime></a:Root>";
        assert_eq!(
            element_text(xml, "SigningTime"),
            Some("2026-12-06T10:00:00Z")
        );
        assert_eq!(
            element_text(xml, "Root"),
            None,
            "an element with children has no text"
        );
        assert_eq!(
            element_text(
                "<ds:SignatureValue>QUJD</ds:SignatureValue>",
                "SignatureValue"
            ),
            Some("QUJD")
        );
    }
}
