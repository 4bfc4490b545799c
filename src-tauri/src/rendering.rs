//! How WebKitGTK paints the window on Linux.
//!
//! WebKitGTK paints the page with Skia on the GPU through OpenGL and composes its layers there.
//! A machine without a GPU driver (a virtual machine, a remote desktop, a laptop whose driver is
//! missing) still gets OpenGL, from Mesa's software rasterizer: the CPU pretends to be a GPU, and
//! the web content process keeps that emulation's buffers and compiled shaders. So when there is
//! no GPU to use, the app asks WebKit to paint on the CPU, which it would do in software anyway
//! (measured on the 100 000-case desk: 368 MB RSS on the dashboard against 261 MB, and after 150
//! case views 530 against 397 MB), and to draw the page straight into one shared picture instead
//! of composing its layers through the emulated GPU (the compositing mode: the frame after each
//! page drawn is the slower part of a screen, and its buffers the larger part of the web process;
//! docs/performance.md, "The calm window, fifth round"). With a GPU, WebKit's own choice stands;
//! and a value the user set is never overridden.

use std::ffi::OsString;
use std::path::Path;

/// WebKitGTK's switch for painting with Skia on the CPU instead of through OpenGL.
pub const CPU_PAINTING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Where Linux lists the GPUs that can render (`renderD128`, ...).
const DRI: &str = "/dev/dri";

/// WebKitGTK's switch for drawing the page without composing layers through OpenGL.
pub const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Sets [`CPU_PAINTING`] and [`NO_COMPOSITING`] for this process when the machine has no GPU
/// render node, each unless it is set already. Call before the first window is created (WebKit
/// reads them then), and before any other thread starts.
pub fn paint_on_cpu_without_gpu() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let set = to_set(has_render_node(Path::new(DRI)), |name| {
        std::env::var_os(name)
    });
    for name in set {
        std::env::set_var(name, "1");
    }
}

/// The switches to set: none with a GPU; without one, each the environment (`var`) lacks.
fn to_set(gpu: bool, var: impl Fn(&str) -> Option<OsString>) -> Vec<&'static str> {
    if gpu {
        return Vec::new();
    }
    [CPU_PAINTING, NO_COMPOSITING]
        .into_iter()
        .filter(|name| var(name).is_none())
        .collect()
}

/// Whether `dir` (normally `/dev/dri`) holds a render node: a GPU that a program can draw with.
/// A missing or unreadable folder means no GPU.
pub fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_is_a_gpu_and_a_card_or_nothing_is_not() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert!(!has_render_node(&dir.path().join("missing")), "no /dev/dri");
        assert!(!has_render_node(dir.path()), "an empty /dev/dri");
        // A display-only device (card0) cannot render for another program.
        std::fs::write(dir.path().join("card0"), b"").expect("a file");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), b"").expect("a file");
        assert!(has_render_node(dir.path()));
    }

    #[test]
    fn without_a_gpu_both_switches_are_set_unless_the_user_set_them() {
        let none = |_: &str| None;
        assert_eq!(to_set(false, none), vec![CPU_PAINTING, NO_COMPOSITING]);
        assert!(to_set(true, none).is_empty(), "with a GPU, WebKit chooses");
        // A value the user set, even "0", stands.
        let user = |name: &str| (name == NO_COMPOSITING).then(|| OsString::from("0"));
        assert_eq!(to_set(false, user), vec![CPU_PAINTING]);
    }
}
