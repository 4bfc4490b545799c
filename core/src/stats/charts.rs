//! The statistics' charts, drawn by plotters into SVG strings in Rust: the UI shows each as an
//! image (a data: URL), so no drawing code and no markup from data runs in the window. Labels are
//! in the UI's language; the figures are those of [`Statistics`].

use plotters::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::stats::Statistics;

/// One chart: its title and the SVG document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
}

const W: u32 = 640;
const H: u32 = 300;
const BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const ORANGE: RGBColor = RGBColor(0xe0, 0x7a, 0x1f);
const GREEN: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
const FONT: &str = "sans-serif";

fn draw_error<E: std::fmt::Debug>(e: E) -> Error {
    Error::Internal(format!("chart: {e:?}"))
}

fn month_label(m: &str, en: bool) -> String {
    // yyyy-mm → mm.yy (et) or mm/yy (en): short enough for 12 or more bars.
    let (y, mm) = m.split_at(4);
    let mm = mm.trim_start_matches('-');
    let yy = y.get(2..).unwrap_or(y);
    if en {
        format!("{mm}/{yy}")
    } else {
        format!("{mm}.{yy}")
    }
}

/// Every chart of the statistics, in `lang` ("et" or "en").
pub fn all(s: &Statistics, lang: &str) -> Result<Vec<Chart>> {
    let en = lang == "en";
    let t = |et: &str, e: &str| if en { e.to_string() } else { et.to_string() };
    let months: Vec<String> = s.months.iter().map(|m| month_label(&m.month, en)).collect();
    let mut out = vec![
        Chart {
            id: "cases".into(),
            title: t(
                "Taotlused ja otsused kuude kaupa",
                "Applications and decisions by month",
            ),
            svg: bars(
                &months,
                &[
                    (
                        t("taotlusi", "applications"),
                        BLUE,
                        s.months.iter().map(|m| m.received as f64).collect(),
                    ),
                    (
                        t("otsuseid", "decisions"),
                        ORANGE,
                        s.months.iter().map(|m| m.decided as f64).collect(),
                    ),
                ],
                "",
            )?,
        },
        Chart {
            id: "money".into(),
            title: t("Raha kuude kaupa (eurot)", "Money by month (euros)"),
            svg: bars(
                &months,
                &[
                    (
                        t("määratud", "granted"),
                        BLUE,
                        s.months
                            .iter()
                            .map(|m| m.granted_cents as f64 / 100.0)
                            .collect(),
                    ),
                    (
                        t("arveldatud", "invoiced"),
                        ORANGE,
                        s.months
                            .iter()
                            .map(|m| m.invoiced_cents as f64 / 100.0)
                            .collect(),
                    ),
                    (
                        t("aktsepteeritud", "accepted"),
                        GREEN,
                        s.months
                            .iter()
                            .map(|m| m.accepted_cents as f64 / 100.0)
                            .collect(),
                    ),
                ],
                "€",
            )?,
        },
    ];
    if !s.groups.is_empty() {
        let labels: Vec<String> = s
            .groups
            .iter()
            .map(|g| {
                let l: String = g.label.chars().take(24).collect();
                if g.label.chars().count() > 24 {
                    format!("{l}…")
                } else {
                    l
                }
            })
            .collect();
        out.push(Chart {
            id: "groups".into(),
            title: t(
                "Taotlused ja ootel lapsed jaotuse järgi",
                "Applications and children waiting by group",
            ),
            svg: horizontal_bars(
                &labels,
                &[
                    (
                        t("taotlusi", "applications"),
                        BLUE,
                        s.groups.iter().map(|g| g.figures.received as f64).collect(),
                    ),
                    (
                        t("ootel", "waiting"),
                        ORANGE,
                        s.groups.iter().map(|g| g.figures.waiting as f64).collect(),
                    ),
                ],
            )?,
        });
    }
    if s.feedback.questions.iter().any(|q| q.count > 0) {
        let labels: Vec<String> = s
            .feedback
            .questions
            .iter()
            .enumerate()
            .map(|(i, _)| format!("{}{}", t("K", "Q"), i + 1))
            .collect();
        out.push(Chart {
            id: "feedback".into(),
            title: t(
                "Tagasiside: keskmine hinne küsimuste kaupa (1–5)",
                "Feedback: average score by question (1–5)",
            ),
            svg: bars(
                &labels,
                &[(
                    t("keskmine", "average"),
                    GREEN,
                    s.feedback
                        .questions
                        .iter()
                        .map(|q| q.average.unwrap_or(0.0))
                        .collect(),
                )],
                "",
            )?,
        });
    }
    Ok(out)
}

/// Grouped vertical bars: one group per label, one bar per series, with a legend.
fn bars(labels: &[String], series: &[(String, RGBColor, Vec<f64>)], unit: &str) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let max = series
            .iter()
            .flat_map(|(_, _, v)| v.iter().copied())
            .fold(0.0_f64, f64::max);
        // Headroom above the tallest bar keeps the legend clear of the bars.
        let top = if max <= 0.0 { 10.0 } else { max * 1.45 };
        let n = labels.len().max(1);
        // At most about 12 labels under the axis, so that they never overlap.
        let step = n.div_ceil(12);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..n as f64, 0.0..top)
            .map_err(draw_error)?;
        let label_of = |x: &f64| -> String {
            let i = x.floor() as usize;
            if (x - i as f64 - 0.5).abs() < 1e-6 && i % step == 0 {
                labels.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let integer = unit.is_empty()
            && series
                .iter()
                .all(|(_, _, v)| v.iter().all(|x| x.fract() == 0.0));
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(BLACK.mix(0.12))
            .x_labels(n * 2 + 1)
            .x_label_formatter(&label_of)
            .x_label_style((FONT, 13).into_font())
            .y_label_style((FONT, 13).into_font())
            .y_labels(6)
            .y_label_formatter(&|y: &f64| {
                if integer {
                    if y.fract().abs() < 1e-9 {
                        format!("{y:.0}")
                    } else {
                        String::new()
                    }
                } else if y.fract().abs() < 1e-9 && *y < 10_000.0 {
                    format!("{y:.0}")
                } else if *y >= 10_000.0 {
                    format!("{:.0}k", y / 1000.0)
                } else if *y >= 10.0 {
                    format!("{y:.0}")
                } else {
                    format!("{y:.1}")
                }
            })
            .draw()
            .map_err(draw_error)?;
        let k = series.len() as f64;
        let width = 0.8 / k;
        for (si, (name, color, values)) in series.iter().enumerate() {
            let c = *color;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    let x0 = i as f64 + 0.1 + si as f64 * width;
                    Rectangle::new([(x0, 0.0), (x0 + width * 0.92, *v)], c.filled())
                }))
                .map_err(draw_error)?
                .label(name.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], c.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 13).into_font())
            .draw()
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// Horizontal bars, one row per group with its name on the left: long names stay readable.
fn horizontal_bars(labels: &[String], series: &[(String, RGBColor, Vec<f64>)]) -> Result<String> {
    let n = labels.len().max(1);
    let height = (60 + n as u32 * (10 + 12 * series.len() as u32)).max(H);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let max = series
            .iter()
            .flat_map(|(_, _, v)| v.iter().copied())
            .fold(0.0_f64, f64::max);
        let right = if max <= 0.0 { 10.0 } else { max * 1.3 };
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(190)
            .build_cartesian_2d(0.0..right, 0.0..n as f64)
            .map_err(draw_error)?;
        // Row i is drawn from the top: y = n - i - 1.
        let label_of = |y: &f64| -> String {
            let row = y.floor() as usize;
            if (y - row as f64 - 0.5).abs() < 1e-6 && row < n {
                labels.get(n - 1 - row).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(BLACK.mix(0.12))
            .y_labels(n * 2 + 1)
            .y_label_formatter(&label_of)
            .x_labels(6)
            .x_label_formatter(&|x: &f64| {
                if x.fract().abs() < 1e-9 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .x_label_style((FONT, 13).into_font())
            .y_label_style((FONT, 13).into_font())
            .draw()
            .map_err(draw_error)?;
        let k = series.len() as f64;
        let band = 0.8 / k;
        for (si, (name, color, values)) in series.iter().enumerate() {
            let c = *color;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    let y1 = (n - 1 - i) as f64 + 0.9 - si as f64 * band;
                    Rectangle::new([(0.0, y1 - band * 0.92), (*v, y1)], c.filled())
                }))
                .map_err(draw_error)?
                .label(name.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], c.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 13).into_font())
            .draw()
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{compute, fixture, PeriodInput, StatsFilter, StatsQuery};

    #[test]
    fn the_charts_are_svg_with_their_labels_in_the_ui_language() {
        let conn = fixture::march_2026();
        let catalog = crate::providers::Catalog::load(&conn).expect("catalog");
        let s = compute(
            &conn,
            &catalog,
            &StatsQuery {
                period: PeriodInput {
                    kind: "year".into(),
                    year: 2026,
                    ..Default::default()
                },
                breakdown: "county".into(),
                filter: StatsFilter::default(),
            },
            chrono::NaiveDate::from_ymd_opt(2026, 4, 15).expect("date"),
        )
        .expect("stats");
        let et = all(&s, "et").expect("charts");
        let ids: Vec<&str> = et.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["cases", "money", "groups", "feedback"]);
        for c in &et {
            assert!(c.svg.starts_with("<svg"), "{}", c.id);
            assert!(!c.svg.contains("NaN"), "{}", c.id);
        }
        assert!(et[0].svg.contains("taotlusi"));
        assert!(et[0].svg.contains("03.26"), "month labels");
        assert!(
            et[2].svg.contains("Harju maakond"),
            "group names on the axis"
        );
        let en = all(&s, "en").expect("charts");
        assert!(en[0].svg.contains("applications"));
        assert!(en[1].svg.contains("accepted"));
        assert!(en[3].title.starts_with("Feedback"));
    }
}
