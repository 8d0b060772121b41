//! Layout timing by machine size: `cargo run --release -p statebridge-engine --example layout_bench`.
//! Prints the time per layout for 10, 50, 100 and 400 states and each as a ratio to 10 states, so
//! the growth is visible whatever the machine's speed.

use std::time::{Duration, Instant};

use statebridge_engine::layout::{generate_machine, layout};

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

fn main() {
    let sizes = [10, 50, 100, 400];
    let base = time(sizes[0]);
    println!(
        "{:>7}  {:>12}  {:>9}  {:>6}",
        "states", "per layout", "vs 10", "nodes"
    );
    for n in sizes {
        let t = if n == sizes[0] { base } else { time(n) };
        let nodes = layout(&generate_machine(n, 0)).nodes.len();
        let ratio = t.as_secs_f64() / base.as_secs_f64();
        println!(
            "{n:>7}  {:>9.3} ms  {ratio:>8.1}x  {nodes:>6}",
            t.as_secs_f64() * 1e3
        );
    }
}
