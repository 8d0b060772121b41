//! JSONata expressions, as Step Functions evaluates them: the full language and its standard
//! library (through the `jlens-core` crate, chosen by measurement: see `CHOICE.md` next to this
//! file), plus the six functions AWS adds (`$partition`, `$range`, `$hash`, `$random` with a
//! seed, `$uuid`, `$parse`), without `$eval`, which AWS refuses.
//!
//! Every evaluation is deterministic: `$now()` and `$millis()` read a virtual clock, `$random()`
//! and `$uuid()` draw from a seeded generator kept in [`AwsEnv`], and a step budget (not a wall
//! clock) stops runaway expressions, so the same inputs give the same result on every machine.
//!
//! The engine itself is the cargo feature `jsonata` (on by default). A build without it (the
//! playground's first download, which it makes ~420 KB gzip smaller) reaches a JSONata engine in
//! another module through a [`Backend`] given to [`set_backend`]: requests and answers are JSON
//! text ([`remote`]), and the other side answers them with [`remote::serve`].
//!
//! Variables are given by reference ([`Bindings`]), `$states` as its members; an evaluation
//! copies only the parts its expression may read ([`Reads`], found when it is compiled).
//!
//! ```
//! use statebridge_engine::jsonata::{template_expression, AwsEnv, Expression};
//! use serde_json::{json, Map};
//!
//! let field = "{% $states.input.items[price > 10].name %}";
//! let expr = Expression::parse(template_expression(field).unwrap()).unwrap();
//! let mut bindings = Map::new();
//! bindings.insert("states".into(), json!({"input": {"items": [
//!     {"name": "book", "price": 12}, {"name": "pen", "price": 2}]}}));
//! let mut env = AwsEnv::new(7).with_now(1_700_000_000_000);
//! assert_eq!(expr.evaluate(None, &bindings, &mut env).unwrap(), Some(json!("book")));
//! ```

#[cfg(feature = "jsonata")]
mod aws;
mod bindings;
pub mod reads;
pub mod remote;

pub use bindings::{Binding, Bindings, Kept};
pub use reads::{Read, Reads};

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::str::FromStr;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::intrinsics::Rng;

/// Evaluation depth allowed by default, the same natively and in wasm so that results do not
/// depend on the platform; deep enough for ordinary recursion, shallow enough for wasm's 1 MB
/// stack.
const DEFAULT_MAX_DEPTH: usize = 500;

/// Steps (nodes evaluated, functions called) allowed by default: a few seconds of work at most.
const DEFAULT_MAX_STEPS: u64 = 5_000_000;

/// Why an expression could not be parsed or evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonataError {
    /// The JSONata error code, e.g. `S0201` (syntax), `T2001` (type), `D3030` (dynamic).
    pub code: String,
    /// Where in the expression, in characters from its start, when known.
    pub position: Option<usize>,
    /// What went wrong, in plain words.
    pub message: String,
}

impl fmt::Display for JsonataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(at) => write!(f, "{} at character {}: {}", self.code, at, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for JsonataError {}

impl JsonataError {
    /// The error of an expression met while no JSONata engine is available (see [`Backend`]).
    fn unavailable() -> Self {
        JsonataError {
            code: "U0000".into(),
            position: None,
            message: "the JSONata engine is still loading; try again in a moment".into(),
        }
    }

    /// Converts the library's error, locating it in `text` in characters.
    #[cfg(feature = "jsonata")]
    fn from_library(error: &jlens_core::Error, text: &str) -> Self {
        let position = error
            .span()
            .and_then(|span| text.get(..span.start))
            .map(|before| before.chars().count());
        JsonataError {
            code: error.code().to_owned(),
            position,
            message: error.message(),
        }
    }
}

/// Whether this build holds the JSONata engine (cargo feature `jsonata`); if not, expressions
/// go to the [`Backend`] given to [`set_backend`].
pub const BUILT_IN: bool = cfg!(feature = "jsonata");

/// A JSONata engine outside this build, e.g. a second wasm module fetched when first needed:
/// it takes a request of [`remote`]'s and gives back the answer of [`remote::serve`].
pub trait Backend {
    /// Answers one request (JSON text in, JSON text out).
    fn call(&self, request: &str) -> String;
}

thread_local! {
    static BACKEND: RefCell<Option<Rc<dyn Backend>>> = const { RefCell::new(None) };
    static ON_DEMAND: Cell<Option<fn()>> = const { Cell::new(None) };
}

/// Sends the expressions of this thread to `backend` (when the engine is not [`BUILT_IN`]).
pub fn set_backend(backend: Rc<dyn Backend>) {
    BACKEND.with(|b| *b.borrow_mut() = Some(backend));
}

/// Calls `hook` whenever an expression is met while no engine is available, so that the
/// embedder can start loading one (it is called again until [`set_backend`]).
pub fn on_demand(hook: fn()) {
    ON_DEMAND.with(|h| h.set(Some(hook)));
}

/// Whether expressions can be parsed and evaluated now: the engine is built in, or a backend
/// was given. When not, parsing and evaluating fail with code `U0000` and validation skips the
/// syntax check of expressions.
pub fn available() -> bool {
    BUILT_IN || BACKEND.with(|b| b.borrow().is_some())
}

/// The backend, if any; without one, asks the embedder for it.
fn backend() -> Option<Rc<dyn Backend>> {
    let found = BACKEND.with(|b| b.borrow().clone());
    if found.is_none() {
        request();
    }
    found
}

/// Tells the embedder (the [`on_demand`] hook) that an engine is wanted, unless one is here.
pub(crate) fn request() {
    if !available()
        && let Some(hook) = ON_DEMAND.with(Cell::get)
    {
        hook();
    }
}

/// A parsed JSONata expression, ready to evaluate any number of times.
#[derive(Debug, Clone)]
pub struct Expression {
    #[cfg(feature = "jsonata")]
    compiled: jlens_core::Expression,
    /// The expression as the other module compiled it (`Arc`: the module frees it when the
    /// last copy is dropped).
    #[cfg(not(feature = "jsonata"))]
    remote: Arc<remote::Compiled>,
    /// What it may read of its variables (found once, here).
    reads: Arc<Reads>,
    /// The expression as a path of field names from a variable, when it is only that
    /// (`$states.input.sku`): followed on the bound values themselves ([`FieldPath`]).
    #[cfg(feature = "jsonata")]
    fields: Option<Arc<FieldPath>>,
}

impl Expression {
    /// Parses `text` (the inside of `{% … %}`), or says where its syntax is wrong.
    ///
    /// ```
    /// use statebridge_engine::jsonata::Expression;
    /// let err = Expression::parse("$states.input.[").unwrap_err();
    /// assert_eq!(err.code, "S0203"); // expected `]` before the end of the expression
    /// assert_eq!(err.position, Some(15));
    /// ```
    pub fn parse(text: &str) -> Result<Expression, JsonataError> {
        #[cfg(feature = "jsonata")]
        return jlens_core::Expression::compile(text)
            .map(|compiled| Expression {
                reads: Arc::new(Reads::of_library(text, &compiled.reads())),
                fields: FieldPath::of(&compiled.ast().root).map(Arc::new),
                compiled,
            })
            .map_err(|e| JsonataError::from_library(&e, text));
        #[cfg(not(feature = "jsonata"))]
        return remote::compile(text).map(|(remote, reads)| Expression {
            remote: Arc::new(remote),
            reads: Arc::new(reads),
        });
    }

    /// What the expression may read of its variables (`$states` and the others).
    pub fn reads(&self) -> &Reads {
        &self.reads
    }

    /// The source text of the expression.
    pub fn text(&self) -> &str {
        #[cfg(feature = "jsonata")]
        return self.compiled.source();
        #[cfg(not(feature = "jsonata"))]
        return &self.remote.text;
    }

    /// Whether the expression's value is a function (a lambda, a partial application, a
    /// transform, or a binding or block ending in one). The engine returns such values as
    /// *undefined*; Step Functions reports them as "an unsupported result type".
    #[cfg(not(feature = "jsonata"))]
    pub fn returns_function(&self) -> bool {
        self.remote.returns_function
    }

    /// Whether the expression's value is a function (a lambda, a partial application, a
    /// transform, or a binding or block ending in one). The engine returns such values as
    /// *undefined*; Step Functions reports them as "an unsupported result type".
    ///
    /// ```
    /// use statebridge_engine::jsonata::Expression;
    /// assert!(Expression::parse("$fn := function($x){$x}").unwrap().returns_function());
    /// assert!(!Expression::parse("$fn := 1").unwrap().returns_function());
    /// ```
    #[cfg(feature = "jsonata")]
    pub fn returns_function(&self) -> bool {
        fn function_valued(node: &jlens_core::ast::Node) -> bool {
            use jlens_core::ast::NodeKind;
            match &node.kind {
                NodeKind::Lambda(_) | NodeKind::Partial { .. } | NodeKind::Transform(_) => true,
                NodeKind::Bind { rhs, .. } => function_valued(rhs),
                NodeKind::Block { exprs, .. } => exprs.last().is_some_and(function_valued),
                _ => false,
            }
        }
        function_valued(&self.compiled.ast().root)
    }

    /// Evaluates the expression. `input` is the context value (`$`; Step Functions gives none,
    /// so pass `None`), `bindings` the variables by name without `$` (`states` and the
    /// execution's variables). `Ok(None)` is JSONata's *undefined*.
    ///
    /// ```
    /// use statebridge_engine::jsonata::{AwsEnv, Expression};
    /// use serde_json::{json, Map};
    /// let expr = Expression::parse("$partition([1, 2, 3], 2)").unwrap();
    /// let result = expr.evaluate(None, &Map::new(), &mut AwsEnv::new(1)).unwrap();
    /// assert_eq!(result, Some(json!([[1, 2], [3]])));
    /// ```
    pub fn evaluate(
        &self,
        input: Option<&Value>,
        bindings: &Map<String, Value>,
        env: &mut AwsEnv,
    ) -> Result<Option<Value>, JsonataError> {
        self.evaluate_in(input, &Bindings::new(bindings), env)
    }

    /// Evaluates the expression with its variables given by reference ([`Bindings`]): only
    /// the parts the expression may read ([`Expression::reads`]) are copied for the
    /// evaluation, so a large `$states.input` costs nothing to an expression that reads
    /// `$states.context` only.
    ///
    /// ```
    /// use statebridge_engine::jsonata::{AwsEnv, Binding, Bindings, Expression};
    /// use serde_json::{json, Map};
    /// let (input, context) = (json!({"n": [1, 2, 3]}), json!({"Map": {"Item": {"Index": 1}}}));
    /// let states = [("input", Binding::Value(&input)), ("context", Binding::Value(&context))];
    /// let vars = Map::new();
    /// let bindings = Bindings::new(&vars).with("states", Binding::Members(&states));
    /// let expr = Expression::parse("$states.input.n[$states.context.Map.Item.Index]").unwrap();
    /// let result = expr.evaluate_in(None, &bindings, &mut AwsEnv::new(1)).unwrap();
    /// assert_eq!(result, Some(json!(2)));
    /// ```
    pub fn evaluate_in(
        &self,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
        env: &mut AwsEnv,
    ) -> Result<Option<Value>, JsonataError> {
        #[cfg(feature = "jsonata")]
        return self.evaluate_here(input, bindings, env);
        #[cfg(not(feature = "jsonata"))]
        return remote::evaluate(&self.remote, &self.reads, input, bindings, env);
    }

    #[cfg(feature = "jsonata")]
    fn evaluate_here(
        &self,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
        env: &mut AwsEnv,
    ) -> Result<Option<Value>, JsonataError> {
        if let Some(path) = &self.fields
            && env.max_result_size.is_none()
            && let Some(value) = path.follow(bindings)
        {
            // The seed an evaluation would have drawn, so that later expressions evaluated
            // with `env` draw the same numbers either way.
            env.rng.next_u64();
            return Ok(Some(value));
        }
        self.evaluate_cut(input, bindings.cut(&self.reads), env)
    }

    /// Evaluates the expression with its variables already cut to what it reads.
    #[cfg(feature = "jsonata")]
    fn evaluate_cut(
        &self,
        input: Option<&Value>,
        vars: Vec<(String, Value)>,
        env: &mut AwsEnv,
    ) -> Result<Option<Value>, JsonataError> {
        let mut options = jlens_core::Options::new()
            .now(env.now)
            .seed(env.rng.next_u64())
            .max_depth(env.max_depth)
            .max_steps(env.max_steps);
        if let Some(bytes) = env.max_result_size {
            options = options.max_result_size(bytes);
        }
        let mut library = if env.aws_functions {
            aws::library()
        } else {
            jlens_core::Bindings::new()
        };
        for (name, value) in vars {
            library = library.var(name, value);
        }
        let result = aws::with_rng(&mut env.rng, || {
            self.compiled.evaluate_with(input, &library, &options)
        });
        result.map_err(|e| JsonataError::from_library(&e, self.text()))
    }
}

/// An expression that is only a path of field names from a variable (`$states.input.sku`,
/// `$order.total`): no predicate, no function, no `[]`, no `@`/`#` binding. Most of a state
/// machine's expressions have this shape; following it on the bound values gives the library's
/// result without copying the variables and converting them for an evaluation.
#[cfg(feature = "jsonata")]
#[derive(Debug)]
struct FieldPath {
    variable: String,
    fields: Vec<String>,
}

/// The deepest nesting and the most bytes a [`FieldPath`]'s result may have: the library fails
/// beyond its limits (1,000 levels, 256 MiB), so a larger result is left to it.
#[cfg(feature = "jsonata")]
const FIELD_PATH_MAX_DEPTH: usize = 500;
#[cfg(feature = "jsonata")]
const FIELD_PATH_MAX_BYTES: usize = 64 << 20;

#[cfg(feature = "jsonata")]
impl FieldPath {
    /// The path `root` is, if it is one.
    fn of(root: &jlens_core::ast::Node) -> Option<FieldPath> {
        use jlens_core::ast::NodeKind;
        let (first, rest) = match &root.kind {
            NodeKind::Path {
                steps,
                keep_singleton_array: false,
            } => steps.split_first()?,
            NodeKind::Variable { .. } => (root, &[][..]),
            _ => return None,
        };
        let NodeKind::Variable { name } = &first.kind else {
            return None;
        };
        // `$` and `$$` are the input, not a variable.
        if name.is_empty() || name == "$" || !plain(root) || !plain(first) {
            return None;
        }
        let fields = rest
            .iter()
            .map(|step| match &step.kind {
                NodeKind::Name { name } if plain(step) => Some(name.clone()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(FieldPath {
            variable: name.clone(),
            fields,
        })
    }

    /// The value at the path, as the library would give it (numbers as it writes them); `None`
    /// when the path meets anything but an object on its way, a missing field or binding, or a
    /// result near the library's limits: the library evaluates those.
    fn follow(&self, bindings: &Bindings<'_>) -> Option<Value> {
        let mut at = bindings.get(&self.variable)?;
        let mut fields = self.fields.iter();
        let mut value = loop {
            match at {
                Binding::Members(members) => {
                    let name = fields.next()?;
                    at = members.iter().rev().find(|(n, _)| *n == name)?.1;
                }
                Binding::Value(v) | Binding::Kept(v, _) => break v,
            }
        };
        for name in fields {
            value = value.as_object()?.get(name)?;
        }
        let mut bytes = 0;
        as_written(value, 0, &mut bytes)
    }
}

/// Whether a step has none of the attributes that make it more than a name or a variable.
#[cfg(feature = "jsonata")]
fn plain(node: &jlens_core::ast::Node) -> bool {
    let a = &node.attrs;
    !a.keep_array
        && !a.cons_array
        && !a.tuple
        && a.focus.is_none()
        && a.index.is_none()
        && a.stages.is_empty()
        && a.predicate.is_empty()
        && a.group.is_none()
        && a.ancestor.is_none()
        && a.ancestor_label.is_none()
        && a.seeking_parent.is_empty()
}

/// `value` as the library writes a result: numbers through `f64`, integers below 2^53 as
/// integers. `None` past [`FIELD_PATH_MAX_DEPTH`] or [`FIELD_PATH_MAX_BYTES`].
#[cfg(feature = "jsonata")]
fn as_written(value: &Value, depth: usize, bytes: &mut usize) -> Option<Value> {
    if depth > FIELD_PATH_MAX_DEPTH || *bytes > FIELD_PATH_MAX_BYTES {
        return None;
    }
    Some(match value {
        Value::Number(n) => {
            *bytes += 24;
            let n = n.as_f64()?;
            if !n.is_finite() {
                Value::Null
            } else if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
                Value::from(n as i64)
            } else {
                serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
            }
        }
        Value::String(s) => {
            *bytes += s.len() + 2;
            value.clone()
        }
        Value::Array(items) => {
            *bytes += 1 + items.len();
            Value::Array(
                items
                    .iter()
                    .map(|v| as_written(v, depth + 1, bytes))
                    .collect::<Option<_>>()?,
            )
        }
        Value::Object(fields) => {
            *bytes += 2;
            let mut out = Map::with_capacity(fields.len());
            for (k, v) in fields {
                *bytes += k.len() + 4;
                out.insert(k.clone(), as_written(v, depth + 1, bytes)?);
            }
            Value::Object(out)
        }
        _ => {
            *bytes += 5;
            value.clone()
        }
    })
}

impl FromStr for Expression {
    type Err = JsonataError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Expression::parse(text)
    }
}

/// The state an execution keeps across JSONata evaluations: the generator behind `$random()`
/// and `$uuid()`, the virtual clock behind `$now()` and `$millis()`, and the limits.
#[derive(Debug, Clone)]
pub struct AwsEnv {
    rng: Rng,
    now: i64,
    max_depth: usize,
    max_steps: u64,
    max_result_size: Option<usize>,
    aws_functions: bool,
}

impl AwsEnv {
    /// An environment whose random numbers and UUIDs follow from `seed`, with the clock at the
    /// epoch (set it with [`AwsEnv::with_now`]).
    pub fn new(seed: u64) -> Self {
        AwsEnv {
            rng: Rng::new(seed),
            now: 0,
            max_depth: DEFAULT_MAX_DEPTH,
            max_steps: DEFAULT_MAX_STEPS,
            max_result_size: None,
            aws_functions: true,
        }
    }

    /// Sets the virtual clock, in milliseconds since the epoch, for `$now()` and `$millis()`.
    pub fn with_now(mut self, millis_since_epoch: i64) -> Self {
        self.now = millis_since_epoch;
        self
    }

    /// Moves the virtual clock (as the execution's time advances between states).
    pub fn set_now(&mut self, millis_since_epoch: i64) {
        self.now = millis_since_epoch;
    }

    /// The virtual clock, in milliseconds since the epoch.
    pub fn now(&self) -> i64 {
        self.now
    }

    /// Sets the deepest nesting of evaluation (recursion) allowed; beyond it, error `D1011`.
    pub fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets the step budget of one evaluation; beyond it, error `U1006`. Steps are counted the
    /// same way on every machine, unlike a timeout.
    pub fn with_max_steps(mut self, steps: u64) -> Self {
        self.max_steps = steps;
        self
    }

    /// Sets the largest result, in bytes of compact JSON text; beyond it, error `U1001`.
    pub fn with_max_result_size(mut self, bytes: usize) -> Self {
        self.max_result_size = Some(bytes);
        self
    }

    /// Plain JSONata, as the reference implementation evaluates it: without AWS's functions and
    /// with `$eval`. For the official test suite, not for state machines.
    pub fn without_aws_functions(mut self) -> Self {
        self.aws_functions = false;
        self
    }
}

/// The expression inside a Step Functions template string `{% … %}`, trimmed, or `None` when
/// the string is a plain literal. AWS wants the delimiters at the very start and end of the
/// string: `" {% 1 %}"` is a literal.
///
/// ```
/// use statebridge_engine::jsonata::template_expression;
/// assert_eq!(template_expression("{% $states.input %}"), Some("$states.input"));
/// assert_eq!(template_expression("$states.input"), None);
/// ```
pub fn template_expression(s: &str) -> Option<&str> {
    s.strip_prefix("{%")?.strip_suffix("%}").map(str::trim)
}

#[cfg(all(test, feature = "jsonata"))]
mod field_path_tests {
    use super::*;
    use serde_json::json;

    /// A path followed directly gives what the library gives, value for value and number for
    /// number, and the seed sequence moves on alike.
    #[test]
    fn field_paths_agree_with_the_library() {
        let input = json!({
            "sku": "SKU-1", "quantity": 3, "price": 129.99, "float_int": 2.0, "neg_zero": -0.0,
            "big": 12345678901234567890u64, "huge": 1e300, "tiny": -5e-324, "neg": -7,
            "empty": [], "one": [1], "nested": [[1, 2], [3]], "objs": [{"a": 1}, {"a": [2, 3]}],
            "obj": {"a": {"b": [1, {"c": 2.50}]}, "n": null, "t": true, "s": ""},
            "null": null, "false": false, "emptyobj": {}
        });
        let context = json!({"Map": {"Item": {"Index": 4, "Value": {"sku": "S", "q": 1.5}}}});
        let mut vars = Map::new();
        vars.insert("x".into(), json!({"y": [1, 2], "z": {"w": 1e21}}));
        vars.insert("arr".into(), json!([{"a": 1}]));
        vars.insert("n".into(), json!(10));
        let states = [
            ("input", Binding::Value(&input)),
            ("context", Binding::Value(&context)),
        ];
        let bindings = Bindings::new(&vars).with("states", Binding::Members(&states));
        let mut followed = 0;
        for text in [
            "$states.input.sku",
            "$states.input.quantity",
            "$states.input.price",
            "$states.input.float_int",
            "$states.input.neg_zero",
            "$states.input.big",
            "$states.input.huge",
            "$states.input.tiny",
            "$states.input.neg",
            "$states.input.empty",
            "$states.input.one",
            "$states.input.nested",
            "$states.input.objs",
            "$states.input.objs.a",
            "$states.input.obj",
            "$states.input.obj.a.b",
            "$states.input.obj.n",
            "$states.input.obj.t",
            "$states.input.obj.s",
            "$states.input.`null`",
            "$states.input.`false`",
            "$states.input.emptyobj",
            "$states.input.missing",
            "$states.input.sku.length",
            "$states.input",
            "$states.context.Map.Item.Value.sku",
            "$states.context.Map.Item.Index",
            "$states.context.Map",
            "$states.context",
            "$states",
            "$states.nothing",
            "$x",
            "$x.y",
            "$x.z.w",
            "$arr",
            "$arr.a",
            "$n",
            "$n.a",
            "$undefinedvar",
            "$states.input.`sku`",
            "$states.input.one[]",
            "$states.input.one[0]",
            "$states.input.objs[a=1]",
        ] {
            let expr = Expression::parse(text).unwrap();
            let mut fast_env = AwsEnv::new(9);
            let fast = expr.evaluate_in(None, &bindings, &mut fast_env);
            let mut slow_env = AwsEnv::new(9);
            let slow = expr.evaluate_cut(None, bindings.cut(&expr.reads), &mut slow_env);
            assert_eq!(fast, slow, "{text}");
            if let (Ok(Some(a)), Ok(Some(b))) = (&fast, &slow) {
                assert_eq!(a.to_string(), b.to_string(), "{text}");
            }
            assert_eq!(fast_env.rng.next_u64(), slow_env.rng.next_u64(), "{text}");
            if expr
                .fields
                .as_ref()
                .is_some_and(|p| p.follow(&bindings).is_some())
            {
                followed += 1;
            }
        }
        // Most of these are followed directly (the rest fall back to the library).
        assert!(followed >= 25, "{followed}");
    }
}
