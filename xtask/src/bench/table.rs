//! The results of `cargo xtask bench` as rows: built from the benchmarks' JSON figures, printed
//! as the Markdown table and drawn as the ratio bars.

use std::fmt::Write as _;

use serde_json::{Value, json};

/// One row of the table: ours against theirs (and, optionally, before).
pub(super) struct Row {
    pub(super) measure: String,
    pub(super) unit: &'static str,
    /// Whether a larger figure is better.
    pub(super) higher_is_better: bool,
    pub(super) ours: Option<f64>,
    pub(super) theirs: Option<f64>,
    pub(super) theirs_name: &'static str,
    pub(super) before: Option<f64>,
}

impl Row {
    pub(super) fn new(
        measure: impl Into<String>,
        unit: &'static str,
        higher_is_better: bool,
        theirs_name: &'static str,
    ) -> Row {
        Row { measure: measure.into(), unit, higher_is_better, ours: None, theirs: None, theirs_name, before: None }
    }
    pub(super) fn ratio(&self) -> Option<f64> {
        Some(self.ours? / self.theirs?).filter(|r| r.is_finite())
    }
    /// Whether ours is at least as good as theirs.
    fn ours_ahead(&self) -> Option<bool> {
        let ratio = self.ratio()?;
        Some(if self.higher_is_better { ratio >= 1.0 } else { ratio <= 1.0 })
    }
    /// The row as it is written to results.json.
    pub(super) fn to_json(&self) -> Value {
        json!({
            "measure": self.measure,
            "unit": self.unit,
            "higher_is_better": self.higher_is_better,
            "ours": self.ours,
            "theirs": self.theirs,
            "theirs_name": self.theirs_name,
            "before": self.before,
            "ratio": self.ratio(),
        })
    }
}

/// Table rows from the decode figures (`decoder` names as in `support::standard_decoders`).
pub(super) fn decode_rows(figures: &[Value]) -> Vec<Row> {
    let find = |case: &str, decoder: &str, items: Option<u64>| {
        figures
            .iter()
            .filter(|f| f["case"] == case && f["decoder"] == decoder)
            .filter(|f| items.is_none_or(|n| f["items"] == n))
            .max_by_key(|f| f["items"].as_u64())
    };
    let leases = figures.iter().filter(|f| f["case"] == "TNLeases").filter_map(|f| f["items"].as_u64()).max();
    let mut rows = Vec::new();
    let mut add = |measure: String, unit, higher, field: &str, case: &str, items, theirs: &'static str| {
        let value = |decoder: &str| find(case, decoder, items).and_then(|f| f[field].as_f64());
        let mut row = Row::new(measure, unit, higher, theirs);
        row.ours = value("opentact-client");
        row.theirs = value(theirs);
        row.before = value("opentact-client before");
        rows.push(row);
    };
    let n = leases.unwrap_or_default();
    let og = "openapi-generator";
    add(format!("decode {n} TN leases"), "MB/s", true, "mb_per_s", "TNLeases", leases, og);
    add(format!("decode {n} TN leases"), "MB/s", true, "mb_per_s", "TNLeases", leases, "minimal structs");
    add(format!("decode {n} TN leases"), "MB/s", true, "mb_per_s", "TNLeases", leases, "serde_json::Value");
    add("heap allocations per lease".into(), "allocs", false, "allocations_per_item", "TNLeases", leases, og);
    add("bytes allocated per lease".into(), "B", false, "allocated_bytes_per_item", "TNLeases", leases, og);
    add(format!("drop {n} decoded TN leases"), "ms", false, "drop_ms", "TNLeases", leases, og);
    let mut cases: Vec<&str> = figures.iter().filter_map(|f| f["case"].as_str()).filter(|c| *c != "TNLeases").collect();
    cases.dedup();
    for case in cases {
        add(format!("decode {case} (list)"), "MB/s", true, "mb_per_s", case, None, og);
    }
    rows
}

/// Table rows from the call figures.
pub(super) fn call_rows(figures: &[Value]) -> Vec<Row> {
    let mut rows = Vec::new();
    let modes: Vec<&str> = {
        let mut modes: Vec<&str> = figures.iter().filter_map(|f| f["mode"].as_str()).collect();
        modes.dedup();
        modes
    };
    // (measure, field, unit, our client): "no retries" is the client with `RetryPolicy::none()`,
    // which keeps no copy of the request for another attempt.
    let measures = [
        ("CPU per call", "cpu_us_per_call", "µs", "opentact-client"),
        ("CPU per call, retries off", "cpu_us_per_call", "µs", "opentact, no retries"),
        ("median latency", "median_latency_us", "µs", "opentact-client"),
        ("allocations per call", "allocations_per_call", "allocs", "opentact-client"),
    ];
    for mode in modes {
        for (measure, field, unit, ours) in measures {
            let value = |client: &str| {
                figures.iter().find(|f| f["mode"] == mode && f["client"] == client).and_then(|f| f[field].as_f64())
            };
            let mut row = Row::new(format!("{measure}, {mode}, loopback"), unit, false, "reqwest by hand");
            row.ours = value(ours);
            row.theirs = value("reqwest by hand");
            rows.push(row);
        }
    }
    rows
}

pub(super) fn render_table(rows: &[Row], before: Option<&str>) -> String {
    let figure = |v: Option<f64>| match v {
        None => "–".to_string(),
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) if v >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.2}"),
    };
    let mut out = String::new();
    let before_head = before.map(|rev| format!(" before ({rev}) |")).unwrap_or_default();
    let _ = writeln!(out, "| measure | unit |{before_head} ours | theirs | alternative | ratio ours/theirs | better |");
    let _ = writeln!(out, "|---|---|{}---:|---:|---|---:|---|", if before.is_some() { "---:|" } else { "" });
    for r in rows {
        let before_cell = if before.is_some() { format!(" {} |", figure(r.before)) } else { String::new() };
        let verdict = match r.ours_ahead() {
            Some(true) => "ours",
            Some(false) => "theirs",
            None => "–",
        };
        let _ = writeln!(
            out,
            "| {} | {} |{before_cell} {} | {} | {} | {} | {verdict} |",
            r.measure,
            r.unit,
            figure(r.ours),
            figure(r.theirs),
            r.theirs_name,
            r.ratio().map_or("–".to_string(), |x| format!("{x:.2}×")),
        );
    }
    out
}

/// Ratio bars, one per row: how many times better (green) or worse (orange) ours is, on a log scale.
pub(super) fn render_svg(rows: &[Row]) -> String {
    let rows: Vec<&Row> = rows.iter().filter(|r| r.ratio().is_some()).collect();
    let (label_w, bar_w, row_h) = (430.0, 360.0, 22.0);
    let height = 40.0 + row_h * rows.len() as f64;
    let centre = label_w + bar_w / 2.0;
    let scale = bar_w / 2.0 / 4f64.log2(); // ±4× fills half the bar area
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" font-family="sans-serif" font-size="12">
<text x="{centre}" y="16" text-anchor="middle">how many times better ours is (right) or worse (left), log scale</text>
<line x1="{centre}" y1="24" x2="{centre}" y2="{height}" stroke="black"/>
"#,
        w = label_w + bar_w + 70.0
    );
    for (i, r) in rows.iter().enumerate() {
        let ratio = r.ratio().unwrap_or(1.0);
        let advantage = if r.higher_is_better { ratio } else { 1.0 / ratio };
        let length = (advantage.log2() * scale).clamp(-bar_w / 2.0, bar_w / 2.0);
        let y = 28.0 + row_h * i as f64;
        let (x, colour) = if length >= 0.0 { (centre, "#2e8b57") } else { (centre + length, "#e07b39") };
        let label =
            format!("{} vs {} ({})", r.measure, r.theirs_name, r.unit).replace('&', "&amp;").replace('<', "&lt;");
        let _ = writeln!(
            svg,
            r#"<text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect x="{x:.1}" y="{y}" width="{bw:.1}" height="{bh}" fill="{colour}"/><text x="{vx}" y="{ty}">{ratio:.2}×</text>"#,
            lx = label_w - 6.0,
            ty = y + 13.0,
            bw = length.abs().max(1.0),
            bh = row_h - 6.0,
            vx = label_w + bar_w + 6.0,
        );
    }
    svg.push_str("</svg>\n");
    svg
}
