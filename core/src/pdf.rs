//! Small, reusable PDF writer on genpdf: A4 pages with margins and a footer "lk 1 / N",
//! headings, paragraphs, bullet lists, framed boxes and tables, in the shipped subset of
//! Liberation Sans (Latin, Latin-1, Latin Extended-A, Cyrillic, general punctuation, €; see
//! core/assets/fonts/README.md). A document is described as a list of [`Block`]s and rendered in
//! two passes: genpdf cannot tell the page count in advance, so the first pass counts pages and
//! the second writes "lk n / N".

use std::cell::Cell;
use std::rc::Rc;

use genpdf::elements::{
    Break, FrameCellDecorator, FramedElement, LinearLayout, PaddedElement, PageBreak, Paragraph,
    TableLayout,
};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::{Color, Style};
use genpdf::{Alignment, Element, Margins, Mm, Position};

use crate::error::{Error, Result};

static REGULAR: &[u8] = include_bytes!("../assets/fonts/SrtDeskSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/SrtDeskSans-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../assets/fonts/SrtDeskSans-Italic.ttf");
static BOLD_ITALIC: &[u8] = include_bytes!("../assets/fonts/SrtDeskSans-BoldItalic.ttf");

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Weight {
    #[default]
    Normal,
    Bold,
    Italic,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub weight: Weight,
}

impl Span {
    pub fn normal(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            weight: Weight::Normal,
        }
    }
    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            weight: Weight::Bold,
        }
    }
    pub fn italic(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            weight: Weight::Italic,
        }
    }
}

/// Horizontal alignment of a paragraph or a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Right,
    Center,
}

/// A table: relative column widths, a bold header row, body rows and an optional bold total row.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub widths: Vec<usize>,
    pub align: Vec<Align>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub footer: Vec<Vec<String>>,
    pub font_size: u8,
}

/// One part of a document, top to bottom.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading; level 1 is the largest.
    Heading {
        text: String,
        level: u8,
    },
    /// Text; a line break in it starts a new line, an empty line leaves a gap.
    Paragraph {
        spans: Vec<Span>,
        align: Align,
        size: Option<u8>,
    },
    /// Items with bullets.
    Bullets(Vec<String>),
    /// Blocks inside a thin frame with padding.
    Framed(Vec<Block>),
    Table(Table),
    /// Blocks of text side by side without lines (e.g. the addressee left, number and date
    /// right), with relative widths.
    Columns {
        widths: Vec<usize>,
        align: Vec<Align>,
        texts: Vec<String>,
    },
    /// Vertical space, in lines.
    Space(f64),
    PageBreak,
    /// Blocks that stay on one page (e.g. a signature with the lines before it): when they do
    /// not fit in what is left of a page they start the next one. Taller than a page, they
    /// break as usual.
    KeepTogether(Vec<Block>),
}

impl Block {
    pub fn heading(text: impl Into<String>, level: u8) -> Self {
        Block::Heading {
            text: text.into(),
            level,
        }
    }
    pub fn text(text: impl Into<String>) -> Self {
        Block::Paragraph {
            spans: vec![Span::normal(text)],
            align: Align::Left,
            size: None,
        }
    }
    pub fn small(text: impl Into<String>) -> Self {
        Block::Paragraph {
            spans: vec![Span::normal(text)],
            align: Align::Left,
            size: Some(8),
        }
    }
    pub fn spans(spans: Vec<Span>) -> Self {
        Block::Paragraph {
            spans,
            align: Align::Left,
            size: None,
        }
    }
}

/// A whole document.
#[derive(Debug, Clone)]
pub struct PdfDocument {
    pub title: String,
    pub blocks: Vec<Block>,
    /// Left part of the footer on every page (e.g. the decision number).
    pub footer_left: String,
    /// The page number text; gets (page, total). Default: "lk 1 / 2".
    pub page_label: fn(usize, usize) -> String,
    pub font_size: u8,
    /// A line at the top of every page: "NÄIDISANDMED" on a demo desk's documents, so a printout
    /// can never pass for a real one. Empty: none.
    pub stamp: String,
}

fn estonian_page_label(page: usize, total: usize) -> String {
    format!("lk {page} / {total}")
}

impl PdfDocument {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            blocks: Vec::new(),
            footer_left: String::new(),
            page_label: estonian_page_label,
            font_size: 10,
            stamp: String::new(),
        }
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }
}

fn pdf_error(e: genpdf::error::Error) -> Error {
    Error::Pdf(e.to_string())
}

/// Which faces a document draws with: [regular, bold, italic, bold italic].
pub type Faces = [bool; 4];

/// The shipped font family with every face embedded.
pub fn font_family() -> Result<FontFamily<FontData>> {
    font_family_embedding([true; 4])
}

/// The shipped font family, from the bytes built into the program. A face marked false is not
/// embedded: it keeps its metrics (layout is the same) but stands in as a built-in PDF font.
/// printpdf scans every Unicode code point of each embedded face when it writes the file, so
/// embedding only the faces a document draws with is what keeps a letter under 100 ms (and
/// ~40 KB smaller per face left out).
pub fn font_family_embedding(embed: Faces) -> Result<FontFamily<FontData>> {
    use genpdf::fonts::FontData as Data;
    use printpdf::BuiltinFont as B;
    let load = |b: &'static [u8], on: bool, stand_in: B| {
        Data::new(b.to_vec(), (!on).then_some(stand_in)).map_err(pdf_error)
    };
    Ok(FontFamily {
        regular: load(REGULAR, embed[0], B::Helvetica)?,
        bold: load(BOLD, embed[1], B::HelveticaBold)?,
        italic: load(ITALIC, embed[2], B::HelveticaOblique)?,
        bold_italic: load(BOLD_ITALIC, embed[3], B::HelveticaBoldOblique)?,
    })
}

/// The faces the blocks draw with (the footer is always regular).
fn faces(blocks: &[Block]) -> Faces {
    let mut used = [true, false, false, false];
    fn walk(blocks: &[Block], used: &mut Faces) {
        for b in blocks {
            match b {
                Block::Heading { .. } => used[1] = true,
                Block::Paragraph { spans, .. } => {
                    for s in spans {
                        match s.weight {
                            Weight::Normal => used[0] = true,
                            Weight::Bold => used[1] = true,
                            Weight::Italic => used[2] = true,
                        }
                    }
                }
                Block::Table(t) => {
                    if !t.header.is_empty() || !t.footer.is_empty() {
                        used[1] = true;
                    }
                }
                Block::Framed(inner) | Block::KeepTogether(inner) => walk(inner, used),
                Block::Columns { .. } => used[0] = true,
                Block::Bullets(_) | Block::Space(_) | Block::PageBreak => {}
            }
        }
    }
    walk(blocks, &mut used);
    used
}

const MARGIN_TOP: f64 = 15.0;
const MARGIN_SIDE: f64 = 20.0;
const MARGIN_BOTTOM: f64 = 12.0;
const FOOTER_HEIGHT: f64 = 10.0;
const GREY: Color = Color::Greyscale(90);
/// The demo stamp's colour: a dark red that prints legibly in black and white too.
const STAMP_RED: Color = Color::Rgb(170, 20, 20);

/// Margins, a footer line with the page number, and the count of pages seen.
struct Pages {
    page: usize,
    total: Option<usize>,
    seen: Rc<Cell<usize>>,
    left: String,
    label: fn(usize, usize) -> String,
    stamp: String,
}

/// The height the stamp line takes at the top of a page, in mm.
const STAMP_HEIGHT: f64 = 7.0;

impl genpdf::PageDecorator for Pages {
    fn decorate_page<'a>(
        &mut self,
        context: &genpdf::Context,
        mut area: genpdf::render::Area<'a>,
        style: Style,
    ) -> std::result::Result<genpdf::render::Area<'a>, genpdf::error::Error> {
        self.page += 1;
        self.seen.set(self.page);
        area.add_margins(Margins::trbl(
            MARGIN_TOP,
            MARGIN_SIDE,
            MARGIN_BOTTOM,
            MARGIN_SIDE,
        ));
        let height = area.size().height;
        let mut footer = area.clone();
        footer.add_offset(Position::new(0, height - Mm::from(FOOTER_HEIGHT as f32)));
        footer.set_height(Mm::from(FOOTER_HEIGHT as f32));
        let width = footer.size().width;
        footer.draw_line(
            vec![Position::new(0, 0), Position::new(width, 0)],
            Style::new().with_color(GREY),
        );
        footer.add_offset(Position::new(0, 2));
        let small = style.with_font_size(8).with_color(GREY);
        let total = self.total.unwrap_or(self.page);
        let mut left = Paragraph::new(genpdf::style::StyledString::new(self.left.clone(), small));
        left.set_alignment(Alignment::Left);
        left.render(context, footer.clone(), style)?;
        let mut right = Paragraph::new(genpdf::style::StyledString::new(
            (self.label)(self.page, total),
            small,
        ));
        right.set_alignment(Alignment::Right);
        right.render(context, footer, style)?;
        area.set_height(height - Mm::from((FOOTER_HEIGHT + 2.0) as f32));
        if !self.stamp.is_empty() {
            // In the regular face: a document embeds only the faces its blocks use.
            let mark = style.with_font_size(9).with_color(STAMP_RED);
            let mut line = Paragraph::new(genpdf::style::StyledString::new(
                format!("{0} · {0} · {0}", self.stamp),
                mark,
            ));
            line.set_alignment(Alignment::Center);
            line.render(context, area.clone(), style)?;
            area.add_offset(Position::new(0, Mm::from(STAMP_HEIGHT as f32)));
        }
        Ok(area)
    }
}

fn style_of(weight: Weight) -> Style {
    match weight {
        Weight::Normal => Style::new(),
        Weight::Bold => Style::new().bold(),
        Weight::Italic => Style::new().italic(),
    }
}

fn align_of(a: Align) -> Alignment {
    match a {
        Align::Left => Alignment::Left,
        Align::Right => Alignment::Right,
        Align::Center => Alignment::Center,
    }
}

/// genpdf paragraphs do not break lines at "\n": each line becomes its own paragraph.
fn paragraph_lines(spans: &[Span], align: Align, size: Option<u8>) -> LinearLayout {
    let mut lines: Vec<Vec<(String, Weight)>> = vec![Vec::new()];
    for span in spans {
        for (i, part) in span.text.split('\n').enumerate() {
            if i > 0 {
                lines.push(Vec::new());
            }
            if !part.is_empty() {
                if let Some(line) = lines.last_mut() {
                    line.push((part.replace('\t', "    "), span.weight));
                }
            }
        }
    }
    let mut layout = LinearLayout::vertical();
    for line in lines {
        if line.iter().all(|(t, _)| t.trim().is_empty()) {
            layout.push(Break::new(0.5));
            continue;
        }
        let runs = line
            .into_iter()
            .map(|(text, weight)| {
                let mut st = style_of(weight);
                if let Some(s) = size {
                    st = st.with_font_size(s);
                }
                (text, st)
            })
            .collect();
        layout.push(BreakingParagraph::new(runs, align_of(align)));
    }
    layout
}

/// Characters after which an over-long word (an e-mail address, a web address, a long
/// compound) is best broken.
const BREAK_AFTER: &[char] = &['.', '@', '-', '/', '_', ',', ';', ':', '?', '&', '='];

/// A paragraph whose words never disappear: genpdf drops a word wider than the column, so
/// before the first line is laid out every such word is cut into pieces that fit (after a
/// dot, @, hyphen or slash where it can, else between letters); genpdf then puts pieces
/// without a space between them side by side as far as the line allows.
struct BreakingParagraph {
    runs: Vec<(String, Style)>,
    align: Alignment,
    inner: Option<Paragraph>,
}

impl BreakingParagraph {
    fn new(runs: Vec<(String, Style)>, align: Alignment) -> Self {
        Self {
            runs,
            align,
            inner: None,
        }
    }
}

/// `word` (which may end with its space) in pieces no wider than `width`.
fn break_word(word: &str, fits: &dyn Fn(&str) -> bool) -> Vec<String> {
    if fits(word) {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut rest = word;
    while !rest.is_empty() {
        if fits(rest) {
            pieces.push(rest.to_string());
            break;
        }
        // The longest prefix that fits, at least one character.
        let ends: Vec<usize> = rest.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        let mut longest = ends[0];
        for &end in &ends {
            if fits(&rest[..end]) {
                longest = end;
            } else {
                break;
            }
        }
        // Prefer to end the piece after a natural break character in its second half.
        let cut = rest[..longest]
            .char_indices()
            .filter(|(i, c)| BREAK_AFTER.contains(c) && *i + c.len_utf8() > longest / 2)
            .map(|(i, c)| i + c.len_utf8())
            .next_back()
            .filter(|&end| end < rest.len())
            .unwrap_or(longest);
        pieces.push(rest[..cut].to_string());
        rest = &rest[cut..];
    }
    pieces
}

impl Element for BreakingParagraph {
    fn render(
        &mut self,
        context: &genpdf::Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> std::result::Result<genpdf::RenderResult, genpdf::error::Error> {
        if self.inner.is_none() {
            let width = area.size().width;
            let mut p = Paragraph::default();
            for (text, own) in std::mem::take(&mut self.runs) {
                let mut st = style;
                st.merge(own);
                let fits = |w: &str| st.str_width(&context.font_cache, w) <= width;
                // Words as genpdf sees them: each with the space that follows it.
                let mut start = 0;
                for (i, c) in text.char_indices() {
                    if c == ' ' {
                        for piece in break_word(&text[start..=i], &fits) {
                            p.push_styled(piece, own);
                        }
                        start = i + 1;
                    }
                }
                if start < text.len() {
                    for piece in break_word(&text[start..], &fits) {
                        p.push_styled(piece, own);
                    }
                }
            }
            p.set_alignment(self.align);
            self.inner = Some(p);
        }
        match self.inner.as_mut() {
            Some(p) => p.render(context, area, style),
            None => Ok(genpdf::RenderResult::default()),
        }
    }
}

/// The usable height of a page: A4 less the margins and the footer (see [`Pages`]).
fn page_body_height() -> Mm {
    Mm::from((297.0 - MARGIN_TOP - MARGIN_BOTTOM - FOOTER_HEIGHT - 2.0) as f32)
}

/// See [`Block::KeepTogether`]. The height is measured by laying the blocks out on a scratch
/// page of the same width that is never written.
struct KeepTogether {
    blocks: Vec<Block>,
    base: u8,
    inner: Option<LinearLayout>,
    moved: bool,
}

impl KeepTogether {
    fn layout(&self) -> LinearLayout {
        let mut layout = LinearLayout::vertical();
        for b in &self.blocks {
            layout.push(BoxedElement(element(b, self.base)));
        }
        layout
    }
}

impl Element for KeepTogether {
    fn render(
        &mut self,
        context: &genpdf::Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> std::result::Result<genpdf::RenderResult, genpdf::error::Error> {
        if self.inner.is_none() && !self.moved {
            let tall = page_body_height() + Mm::from(10.0);
            let scratch =
                genpdf::render::Renderer::new(genpdf::Size::new(area.size().width, tall), "")?;
            let measured =
                self.layout()
                    .render(context, scratch.first_page().first_layer().area(), style)?;
            let fits_a_page = !measured.has_more && measured.size.height <= page_body_height();
            if fits_a_page && measured.size.height > area.size().height {
                // Start the next page with the whole group.
                self.moved = true;
                return Ok(genpdf::RenderResult {
                    size: genpdf::Size::new(0, 0),
                    has_more: true,
                });
            }
        }
        if self.inner.is_none() {
            self.inner = Some(self.layout());
        }
        match self.inner.as_mut() {
            Some(l) => l.render(context, area, style),
            None => Ok(genpdf::RenderResult::default()),
        }
    }
}

fn element(block: &Block, base: u8) -> Box<dyn Element> {
    match block {
        Block::Heading { text, level } => {
            let size = match level {
                1 => base + 6,
                2 => base + 2,
                _ => base + 1,
            };
            let p = BreakingParagraph::new(
                vec![(text.clone(), Style::new().bold().with_font_size(size))],
                Alignment::Left,
            );
            Box::new(PaddedElement::new(p, Margins::trbl(1.5, 0, 0.5, 0)))
        }
        Block::Paragraph { spans, align, size } => Box::new(PaddedElement::new(
            paragraph_lines(spans, *align, *size),
            Margins::trbl(0, 0, 1, 0),
        )),
        Block::Bullets(items) => {
            let mut list = genpdf::elements::UnorderedList::with_bullet("•");
            for item in items {
                list.push(paragraph_lines(
                    &[Span::normal(item.clone())],
                    Align::Left,
                    None,
                ));
            }
            Box::new(PaddedElement::new(list, Margins::trbl(0, 0, 1.5, 0)))
        }
        Block::Framed(blocks) => {
            let mut inner = LinearLayout::vertical();
            for b in blocks {
                inner.push(BoxedElement(element(b, base)));
            }
            Box::new(PaddedElement::new(
                FramedElement::new(PaddedElement::new(inner, Margins::trbl(1, 3, 0.5, 3))),
                Margins::trbl(0, 0, 2, 0),
            ))
        }
        Block::Table(t) => Box::new(PaddedElement::new(
            table(t, base, true),
            Margins::trbl(0, 0, 3, 0),
        )),
        Block::Columns {
            widths,
            align,
            texts,
        } => {
            let t = Table {
                widths: widths.clone(),
                align: align.clone(),
                rows: vec![texts.clone()],
                ..Default::default()
            };
            Box::new(PaddedElement::new(
                table(&t, base, false),
                Margins::trbl(0, 0, 2, 0),
            ))
        }
        Block::Space(lines) => Box::new(Break::new(*lines)),
        Block::PageBreak => Box::new(PageBreak::new()),
        Block::KeepTogether(blocks) => Box::new(KeepTogether {
            blocks: blocks.clone(),
            base,
            inner: None,
            moved: false,
        }),
    }
}

/// Lets a boxed element be pushed where genpdf wants a sized one.
struct BoxedElement(Box<dyn Element>);

impl Element for BoxedElement {
    fn render(
        &mut self,
        context: &genpdf::Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> std::result::Result<genpdf::RenderResult, genpdf::error::Error> {
        self.0.render(context, area, style)
    }
}

fn cell(text: &str, align: Align, bold: bool, size: u8, framed: bool) -> Box<dyn Element> {
    let span = if bold {
        Span::bold(text)
    } else {
        Span::normal(text)
    };
    let lines = paragraph_lines(&[span], align, Some(size));
    let padding = if framed {
        Margins::trbl(1, 1.5, 0.5, 1.5)
    } else {
        Margins::trbl(0, 0, 0, 0)
    };
    Box::new(PaddedElement::new(lines, padding))
}

fn table(t: &Table, base: u8, framed: bool) -> TableLayout {
    let size = if t.font_size == 0 { base } else { t.font_size };
    let mut layout = TableLayout::new(t.widths.clone());
    if framed {
        layout.set_cell_decorator(FrameCellDecorator::new(true, true, false));
    }
    let align = |i: usize| t.align.get(i).copied().unwrap_or_default();
    let mut push = |row: &[String], bold: bool| {
        let cells: Vec<Box<dyn Element>> = (0..t.widths.len())
            .map(|i| {
                cell(
                    row.get(i).map_or("", String::as_str),
                    align(i),
                    bold,
                    size,
                    framed,
                )
            })
            .collect();
        // The number of cells always equals the number of columns.
        let _ = layout.push_row(cells);
    };
    if !t.header.is_empty() {
        push(&t.header, true);
    }
    for row in &t.rows {
        push(row, false);
    }
    for row in &t.footer {
        push(row, true);
    }
    layout
}

fn build(
    doc: &PdfDocument,
    total: Option<usize>,
    seen: Rc<Cell<usize>>,
    embed: Faces,
) -> Result<genpdf::Document> {
    let mut d = genpdf::Document::new(font_family_embedding(embed)?);
    d.set_title(doc.title.clone());
    d.set_minimal_conformance();
    d.set_paper_size(genpdf::PaperSize::A4);
    d.set_font_size(doc.font_size);
    d.set_line_spacing(1.1);
    d.set_page_decorator(Pages {
        page: 0,
        total,
        seen,
        left: if doc.stamp.is_empty() {
            doc.footer_left.clone()
        } else {
            format!("{} · {}", doc.stamp, doc.footer_left)
        },
        label: doc.page_label,
        stamp: doc.stamp.clone(),
    });
    for block in &doc.blocks {
        d.push(BoxedElement(element(block, doc.font_size)));
    }
    Ok(d)
}

const END_OF_LAYOUT: &str = "srt-desk: end of layout";

/// The last element of the counting pass: reaching it means every page is known.
struct EndOfLayout;

impl Element for EndOfLayout {
    fn render(
        &mut self,
        _: &genpdf::Context,
        _: genpdf::render::Area<'_>,
        _: Style,
    ) -> std::result::Result<genpdf::RenderResult, genpdf::error::Error> {
        Err(genpdf::error::Error::new(
            END_OF_LAYOUT,
            genpdf::error::ErrorKind::Internal,
        ))
    }
}

/// Render the document: a first pass counts the pages, the second writes the PDF with "lk n / N".
pub fn render(doc: &PdfDocument) -> Result<Vec<u8>> {
    // The counting pass stops once the last element is laid out, before anything is written:
    // writing is where printpdf spends its time on the fonts.
    let seen = Rc::new(Cell::new(0));
    let mut counting = build(doc, None, seen.clone(), [true, true, true, true])?;
    counting.push(EndOfLayout);
    match counting.render(std::io::sink()) {
        Err(e) if e.to_string() == END_OF_LAYOUT => {}
        Err(e) => return Err(pdf_error(e)),
        Ok(()) => {}
    }
    let total = seen.get().max(1);
    let mut raw = Vec::new();
    build(doc, Some(total), Rc::new(Cell::new(0)), faces(&doc.blocks))?
        .render(&mut raw)
        .map_err(pdf_error)?;
    compress(&raw)
}

/// printpdf writes every stream (fonts included) uncompressed: deflate them, which makes a
/// letter about a third of its size.
fn compress(raw: &[u8]) -> Result<Vec<u8>> {
    let mut pdf = lopdf::Document::load_mem(raw).map_err(|e| Error::Pdf(e.to_string()))?;
    pdf.compress();
    let mut out = Vec::with_capacity(raw.len() / 2);
    pdf.save_to(&mut out)?;
    Ok(out)
}

/// The number of pages of a PDF (0 when it cannot be read).
pub fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf)
        .map(|d| d.get_pages().len())
        .unwrap_or(0)
}

/// Integer euro cents as Estonian money text: 123456 → "1 234,56 €" (no floating point).
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "−" } else { "" };
    let abs = cents.unsigned_abs();
    let grouped = group_thousands(abs / 100, '\u{a0}');
    format!("{sign}{grouped},{:02}\u{a0}€", abs % 100)
}

/// Whole euros with a separator between thousands: (1234567, ' ') → "1 234 567".
pub fn group_thousands(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_with_a_comma_and_never_rounded() {
        assert_eq!(money(0), "0,00\u{a0}€");
        assert_eq!(money(5), "0,05\u{a0}€");
        assert_eq!(money(269_500), "2\u{a0}695,00\u{a0}€");
        assert_eq!(money(123_456_789), "1\u{a0}234\u{a0}567,89\u{a0}€");
        assert_eq!(money(-1044), "−10,44\u{a0}€");
    }

    #[test]
    fn a_document_renders_small_with_the_fonts_inside() {
        let mut doc = PdfDocument::new("Test");
        doc.push(Block::heading("Otsus õäöüšž", 1));
        doc.push(Block::text("Решение о направлении\nTeine rida"));
        doc.push(Block::Table(Table {
            widths: vec![3, 1],
            align: vec![Align::Left, Align::Right],
            header: vec!["Tegevus".into(), "2026".into()],
            rows: vec![vec!["Psühholoog".into(), money(29_400)]],
            footer: vec![],
            font_size: 0,
        }));
        let pdf = render(&doc).expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            pdf.len() < 150 * 1024,
            "a short document is small: {} bytes",
            pdf.len()
        );
    }

    /// The text of a PDF as poppler reads it (the same tool a court's clerk might use).
    pub(crate) fn pdftotext(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).expect("write");
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", "-layout"])
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        String::from_utf8(out.stdout).expect("utf-8")
    }

    #[test]
    fn every_page_says_which_of_how_many_it_is_and_glyphs_survive() {
        let mut doc = PdfDocument::new("Kaks lehte");
        doc.footer_left = "K000007".into();
        doc.push(Block::heading("Esimene leht: õäöüšž ÕÄÖÜŠŽ", 1));
        doc.push(Block::text("Мария Иванова – «решение» № 5 … 2 695,00 €"));
        doc.push(Block::PageBreak);
        doc.push(Block::text("Teine leht"));
        let text = pdftotext(&render(&doc).expect("renders"));
        assert!(text.contains("lk 1 / 2"), "{text}");
        assert_eq!(page_count(&render(&doc).expect("renders")), 2);
        assert!(text.contains("lk 2 / 2"), "{text}");
        assert!(
            !text.contains("lk 1 / 1"),
            "the first pass's count is not left over"
        );
        assert!(text.contains("Esimene leht: õäöüšž ÕÄÖÜŠŽ"), "{text}");
        assert!(
            text.contains("Мария Иванова – «решение» № 5 … 2 695,00 €"),
            "{text}"
        );
        assert!(text.contains("K000007"));
    }
}
