//! No-panic fuzzing of the intrinsic parser and evaluator: mutated calls must give a value or an
//! error, never a panic or a hang.

use serde_json::{Map, json};
use statebridge_engine::intrinsics::{Rng, evaluate, parse};
use statebridge_engine::jsonpath::Scope;

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
    "States.Format('Hello {} \\{\\} it\\'s', $.s)",
    "States.StringToJson($.j)",
    "States.JsonToString($.o)",
    "States.Array(1, 'a', null, true, States.Array())",
    "States.ArrayPartition($.a, 2)",
    "States.ArrayContains($.a, 3)",
    "States.ArrayRange(1, 9, 2)",
    "States.ArrayGetItem($.a, 1)",
    "States.ArrayLength($.a)",
    "States.ArrayUnique($.a)",
    "States.Base64Encode($.s)",
    "States.Base64Decode('YWI=')",
    "States.Hash($.s, 'SHA-256')",
    "States.JsonMerge($.o, $.o, false)",
    "States.MathRandom(1, 100, 7)",
    "States.MathAdd($.n, -1.5)",
    "States.StringSplit($.s, ', ')",
    "States.UUID()",
    "States.Format($v, $$.Execution.Id, $.a[?(@ > 1)])",
];

const PIECES: &[&str] = &[
    "(",
    ")",
    "'",
    "\\",
    ",",
    "$",
    "$$",
    "States.",
    "States.Array(",
    "{}",
    "{",
    "}",
    "-",
    "1e999",
    "99999999999999999999",
    "null",
    "é",
    "🆗",
    " ",
    "[",
    "]",
    "States.MathAdd(",
    "0",
    "-1",
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
                let other: Vec<char> = SEEDS[g.below(SEEDS.len())].chars().collect();
                chars.splice(at..at, other);
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn intrinsics_never_panic() {
    let input = json!({"s": "a, b", "j": "{\"k\": [1]}", "o": {"k": 1}, "a": [1, 2, 3], "n": 2});
    let mut vars = Map::new();
    vars.insert("v".into(), json!("{} {}"));
    let context = json!({"Execution": {"Id": "x"}});
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &vars,
    };
    let mut rng = Rng::new(3);
    let mut g = Gen(0xDEAD_BEEF_CAFE_F00D);
    let mut parsed = 0;
    for i in 0..20_000 {
        let text = mutate(&mut g, SEEDS[i % SEEDS.len()]);
        let Ok(call) = parse(&text) else { continue };
        parsed += 1;
        let _ = call.to_string();
        match evaluate(&call, &scope, &mut rng) {
            Ok(_) => {}
            Err(e) => {
                let _ = (e.to_string(), e.error_name());
            }
        }
    }
    assert!(
        parsed > 500,
        "the mutations should leave many calls valid ({parsed})"
    );
}

#[test]
fn hostile_calls_are_refused() {
    let deep = format!("{}1{}", "States.Array(".repeat(5000), ")".repeat(5000));
    assert!(parse(&deep).is_err());
    let input = json!({});
    let (vars, context) = (Map::new(), json!({}));
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &vars,
    };
    let huge = parse("States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)").unwrap();
    assert!(evaluate(&huge, &scope, &mut Rng::new(1)).is_err());
    let odd = parse("States.ArrayRange(9223372036854775807, -9223372036854775808, -1)").unwrap();
    assert!(evaluate(&odd, &scope, &mut Rng::new(1)).is_err());
    let rnd = parse("States.MathRandom(-2147483648, 2147483647, -1)").unwrap();
    assert!(evaluate(&rnd, &scope, &mut Rng::new(1)).is_ok());
}
