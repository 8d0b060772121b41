//! The variables of an evaluation, given by reference: the execution's variables as they are
//! held, and `$states` as its members (the state input, the context, the result…) without
//! building the object. An evaluation copies only what its expression may read of them
//! ([`super::Reads`]).

use serde_json::{Map, Value};

use super::reads::{Read, Reads};

/// What one variable is bound to.
#[derive(Debug, Clone, Copy)]
pub enum Binding<'a> {
    /// A value.
    Value(&'a Value),
    /// A value that stays the same over many evaluations (a state's input): a build without
    /// the engine sends it to the other module once, on first use, and refers to it afterwards
    /// as `kept` says.
    Kept(&'a Value, &'a Kept),
    /// An object made of these members, in this order (`$states`).
    Members(&'a [(&'a str, Binding<'a>)]),
}

impl Binding<'_> {
    /// A copy of the parts of the value that `read` needs.
    pub fn cut(&self, read: &Read) -> Value {
        match self {
            Binding::Value(v) | Binding::Kept(v, _) => read.cut(v),
            Binding::Members(members) => Value::Object(
                members
                    .iter()
                    .filter_map(|(name, b)| Some(((*name).to_owned(), b.cut(read.field(name)?))))
                    .collect(),
            ),
        }
    }
}

/// The variables of an evaluation, by name without `$`: some named [`Binding`]s, then the
/// execution's variables (a named binding hides a variable of the same name).
#[derive(Debug, Clone)]
pub struct Bindings<'a> {
    pub(super) named: Vec<(&'a str, Binding<'a>)>,
    pub(super) vars: &'a Map<String, Value>,
}

impl<'a> Bindings<'a> {
    /// The variables `vars`, by reference.
    pub fn new(vars: &'a Map<String, Value>) -> Self {
        Bindings {
            named: Vec::new(),
            vars,
        }
    }

    /// Binds `name` to `binding` as well, hiding a variable of that name.
    pub fn with(mut self, name: &'a str, binding: Binding<'a>) -> Self {
        self.named.push((name, binding));
        self
    }

    /// What the variable `name` is bound to.
    pub(super) fn get(&self, name: &str) -> Option<Binding<'a>> {
        self.named
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| *b)
            .or_else(|| self.vars.get(name).map(Binding::Value))
    }

    /// Each variable an expression with `reads` may read, with what it needs (whole, for an
    /// expression that may read any variable).
    pub(super) fn needed<'r>(&self, reads: &'r Reads) -> Vec<(&'r str, Binding<'a>, &'r Read)>
    where
        'a: 'r,
    {
        if reads.every_binding() {
            let vars = self
                .vars
                .iter()
                .map(|(k, v)| (k.as_str(), Binding::Value(v)));
            let named = self.named.iter().map(|(k, b)| (*k, *b));
            return vars
                .chain(named)
                .map(|(k, b)| (k, b, &super::reads::WHOLE))
                .collect();
        }
        reads
            .named()
            .filter_map(|(name, read)| Some((name, self.get(name)?, read)))
            .collect()
    }

    /// Each variable an expression with `reads` may read, cut to what it needs.
    #[cfg_attr(not(feature = "jsonata"), allow(dead_code))]
    pub(super) fn cut(&self, reads: &Reads) -> Vec<(String, Value)> {
        self.needed(reads)
            .into_iter()
            .map(|(name, b, read)| (name.to_owned(), b.cut(read)))
            .collect()
    }
}

/// Where the other JSONata module keeps a [`Binding::Kept`] value, once sent (nothing in a
/// build with the engine). The module forgets the value when this is dropped.
#[derive(Debug, Default)]
pub struct Kept {
    /// Its id on the other side, once sent (never set when the engine is built in).
    pub(super) id: std::cell::Cell<Option<u64>>,
}

impl Drop for Kept {
    fn drop(&mut self) {
        if let Some(id) = self.id.get() {
            super::remote::forget_value(id);
        }
    }
}
