//! The window's commands, one file per part of the job (as srt-core's `desk/`). Each command
//! takes typed arguments, calls the desk and maps the error; no logic here.

pub mod cases;
pub mod casework;
pub mod deadlines;
pub mod decisions;
pub mod desk;
pub mod feedback;
pub mod meetings;
pub mod money;
pub mod providers;
pub mod signing;
pub mod stats;
pub mod team;
pub mod team_wake;
pub mod trust;
pub mod view;
pub mod window;
pub mod work;

include!("list.rs");

pub(crate) use app_commands;
