//! No-panic fuzzing of the JSONPath parser, evaluator and ResultPath writer: a seeded generator
//! mutates valid paths (truncations, flips, inserted brackets, quotes, operators, unicode) and
//! every result must be a value or an error, never a panic or a hang.

use serde_json::{Map, json};
use statebridge_engine::jsonpath::{Scope, parse, set_result};

/// xorshift64*: tiny and deterministic.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    "$",
    "$.a",
    "$.a.b[0]",
    "$['a b'].c",
    "$..x",
    "$.a[*].b",
    "$.a[0,1]",
    "$.a[1:3]",
    "$.a[::-1]",
    "$.a[?(@.p < 10 && @.q == 'x')]",
    "$.a[?(@.s =~ /a.*b/i)]",
    "$$.Execution.Input",
    "$var.x[2]",
    "$.a[?(@.t in ['a', \"b\"] || !@.u)]",
    "$.a.length()",
    "$['it\\'s']",
    "$.a[?(@.v size 2)]",
    "$.a[?(@.w subsetof [1,{\"k\":[2]}])]",
    "$.a[-1]",
    "$..[?(@.b)]",
    "$.a[?($.lim > @.n)]",
];

const PIECES: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "'",
    "\"",
    ".",
    "..",
    "*",
    "?",
    "@",
    "$",
    "$$",
    ",",
    ":",
    "-",
    "==",
    "!",
    "&&",
    "||",
    "=~",
    "/",
    "\\",
    "é",
    "🆗",
    "\u{0}",
    " ",
    "[?(",
    "0",
    "-9999999999999999999",
    "in",
    "[1:",
    "()",
    "length()",
    "{",
    "}",
];

fn mutate(g: &mut Gen, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=g.below(3) {
        let at = g.below(chars.len() + 1);
        match g.below(4) {
            0 => chars.truncate(at),
            1 if !chars.is_empty() => {
                let i = g.below(chars.len());
                chars[i] = char::from_u32(chars[i] as u32 ^ (1 << g.below(7))).unwrap_or('x');
            }
            2 => {
                let piece = PIECES[g.below(PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            _ => {
                let other: Vec<char> = SEEDS[g.below(SEEDS.len())].chars().skip(1).collect();
                chars.splice(at..at, other);
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn paths_never_panic() {
    let inputs = [
        json!({"a": [{"p": 1, "q": "x", "s": "axb", "t": "a", "v": [1, 2], "n": 3}, 2, null], "b": {"c": "d"}, "lim": 5}),
        json!([1, [2, [3]], {"x": {"x": 1}}]),
        json!("text"),
        json!(null),
    ];
    let mut vars = Map::new();
    vars.insert("var".into(), json!({"x": [1, 2, 3]}));
    let context = json!({"Execution": {"Input": {}}});
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for i in 0..20_000 {
        let seed = SEEDS[i % SEEDS.len()];
        let text = mutate(&mut g, seed);
        let Ok(path) = parse(&text) else { continue };
        parsed += 1;
        let _ = path.to_string();
        let _ = path.normalized();
        let _ = (path.is_reference_path(), path.is_definite(), path.root());
        for input in &inputs {
            let scope = Scope {
                input,
                context: &context,
                variables: &vars,
            };
            if let Err(e) = path.evaluate(&scope) {
                let _ = (e.to_string(), e.error_name());
            }
            let _ = set_result(input, &path, json!(1));
        }
    }
    assert!(
        parsed > 1000,
        "the mutations should leave many paths valid ({parsed})"
    );
}

#[test]
fn hostile_paths_are_refused_quickly() {
    let deep_filter = format!("$.a{}", "[?(@".repeat(500));
    assert!(parse(&deep_filter).is_err());
    let deep_not = format!("$.a[?({}@.b)]", "!".repeat(5000));
    assert!(parse(&deep_not).is_err());
    let deep_parens = format!("$.a[?({}@.b{})]", "(".repeat(5000), ")".repeat(5000));
    assert!(parse(&deep_parens).is_err());
    let deep_literal = format!("$.a[?(@.b in {})]", "[".repeat(5000));
    assert!(parse(&deep_literal).is_err());
    // A pathological regular expression gives up instead of hanging.
    let input = json!({"a": [{"s": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}]});
    let (vars, context) = (Map::new(), json!({}));
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &vars,
    };
    let path = parse("$.a[?(@.s =~ /(a*)*b/)]").unwrap();
    assert_eq!(path.evaluate(&scope), Ok(json!([])));
}
