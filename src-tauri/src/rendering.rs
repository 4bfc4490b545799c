//! How WebKitGTK paints the window on Linux.
//!
//! WebKitGTK paints the page with Skia on the GPU through OpenGL. A machine without a GPU driver
//! (a virtual machine, a remote desktop, a laptop whose driver is missing) still gets OpenGL,
//! from Mesa's software rasterizer: the CPU pretends to be a GPU, and the web content process
//! keeps that emulation's buffers and compiled shaders — measured on the 100 000-case desk
//! without a GPU, 368 MB RSS on the dashboard against 261 MB when Skia paints on the CPU
//! directly, and after 150 case views 530 against 397 MB (docs/performance.md). So when there is
//! no GPU to use, the app asks WebKit to paint on the CPU, which it would do in software anyway.
//! With a GPU, WebKit's own choice stands; and a value the user set is never overridden.

use std::path::Path;

/// WebKitGTK's switch for painting with Skia on the CPU instead of through OpenGL.
pub const CPU_PAINTING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Where Linux lists the GPUs that can render (`renderD128`, ...).
const DRI: &str = "/dev/dri";

/// Sets [`CPU_PAINTING`] for this process when the machine has no GPU render node and the
/// variable is not set already. Call before the first window is created (WebKit reads it then),
/// and before any other thread starts.
pub fn paint_on_cpu_without_gpu() {
    if !cfg!(target_os = "linux") || std::env::var_os(CPU_PAINTING).is_some() {
        return;
    }
    if !has_render_node(Path::new(DRI)) {
        std::env::set_var(CPU_PAINTING, "1");
    }
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
}
