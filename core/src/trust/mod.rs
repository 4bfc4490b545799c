//! Trust in the desk: data protection (retention, a person's data), automatic backups and the
//! clipboard guard.

pub mod autobackup;
pub mod clipboard;
pub mod privacy;
