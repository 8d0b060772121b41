//! Layout timing by machine size: `cargo run --release -p statebridge-engine --example layout_bench`.
//! Prints the time per layout for 10, 50, 100 and 400 states and each as a ratio to 10 states, so
//! the growth is visible whatever the machine's speed.
//!
//! `… --example layout_bench -- svg STATES SEED` instead prints the generated machine's layout as a
//! plain SVG drawing (boxes, groups, edges by kind), to look at a layout without the app;
//! `… -- machine STATES SEED` prints the generated machine's definition;
//! `… -- example FILE MACHINE` prints the SVG of machine MACHINE of a workspace file (as
//! `www/examples/*.json` are).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use statebridge_engine::layout::{EdgeKind, Layout, generate_machine, layout};

/// Average time of one layout of `states` states, over several seeds and enough rounds to last
/// about half a second.
fn time(states: usize) -> Duration {
    let machines: Vec<_> = (0..4).map(|seed| generate_machine(states, seed)).collect();
    let mut rounds = 0u32;
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(500) || rounds < 2 {
        for m in &machines {
            std::hint::black_box(layout(std::hint::black_box(m)));
        }
        rounds += 1;
    }
    start.elapsed() / (rounds * machines.len() as u32)
}

/// A bare SVG of `l`: enough to judge a layout by eye.
fn svg(l: &Layout) -> String {
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{:.0}' height='{:.0}' font-family='sans-serif' font-size='11'>\n<rect width='100%' height='100%' fill='white'/>\n",
        l.width, l.height
    );
    for g in &l.groups {
        let _ = writeln!(
            s,
            "<rect x='{:.1}' y='{:.1}' width='{:.1}' height='{:.1}' rx='8' fill='#f2f4f8' stroke='#99a'/>",
            g.x, g.y, g.width, g.height
        );
    }
    for e in &l.edges {
        let (colour, dash) = match e.kind {
            EdgeKind::Next => ("#555", ""),
            EdgeKind::Choice => ("#2a6", ""),
            EdgeKind::Default => ("#2a6", " stroke-dasharray='2 3'"),
            EdgeKind::Catch => ("#d60", " stroke-dasharray='6 4'"),
        };
        let pts: Vec<String> = e
            .points
            .iter()
            .map(|p| format!("{:.1},{:.1}", p.0, p.1))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points='{}' fill='none' stroke='{colour}'{dash}/>",
            pts.join(" ")
        );
        if let (Some(t), Some((x, y))) = (&e.label, e.label_at) {
            let _ = writeln!(
                s,
                "<text x='{x:.1}' y='{:.1}' text-anchor='middle' fill='{colour}'>{}</text>",
                y + 4.0,
                t.replace('&', "&amp;").replace('<', "&lt;")
            );
        }
    }
    for n in &l.nodes {
        if let Some(r) = &n.retry {
            let _ = writeln!(
                s,
                "<rect x='{:.1}' y='{:.1}' width='{:.1}' height='{:.1}' fill='#fff3e0' stroke='#fb8'/><text x='{:.1}' y='{:.1}'>{}</text>",
                r.x,
                r.y,
                r.width,
                r.height,
                r.x + 4.0,
                r.y + 16.0,
                r.label
            );
        }
        let _ = writeln!(
            s,
            "<rect x='{:.1}' y='{:.1}' width='{:.1}' height='{:.1}' rx='6' fill='#fff' stroke='#333'/><text x='{:.1}' y='{:.1}'>{} {}</text>",
            n.x,
            n.y,
            n.width,
            n.height.min(40.0),
            n.x + 6.0,
            n.y + 16.0,
            n.kind,
            n.state
        );
    }
    s + "</svg>\n"
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, default: u64| {
        args.get(i)
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(default)
    };
    match args.first().map(String::as_str) {
        Some("svg") => {
            let def = generate_machine(num(1, 100) as usize, num(2, 7));
            print!("{}", svg(&layout(&def)));
            return;
        }
        Some("example") => {
            let (Some(file), Some(name)) = (args.get(1), args.get(2)) else {
                eprintln!("usage: example FILE MACHINE");
                std::process::exit(2);
            };
            let ws: serde_json::Value = std::fs::read_to_string(file)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            print!("{}", svg(&layout(&ws["machines"][name])));
            return;
        }
        Some("machine") => {
            let def = generate_machine(num(1, 100) as usize, num(2, 7));
            println!("{def:#}");
            return;
        }
        _ => {}
    }
    let sizes = [10, 50, 100, 400];
    let base = time(sizes[0]);
    println!(
        "{:>7}  {:>12}  {:>9}  {:>6}  {:>15}",
        "states", "per layout", "vs 10", "nodes", "drawing (px)"
    );
    for n in sizes {
        let t = if n == sizes[0] { base } else { time(n) };
        let l = layout(&generate_machine(n, 0));
        let ratio = t.as_secs_f64() / base.as_secs_f64();
        println!(
            "{n:>7}  {:>9.3} ms  {ratio:>8.1}x  {:>6}  {:>7.0}×{:<7.0}",
            t.as_secs_f64() * 1e3,
            l.nodes.len(),
            l.width,
            l.height
        );
    }
}
