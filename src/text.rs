//! An editor's text as the app keeps it: shared, not copied.
//!
//! The reducer clones its `State` on every action and components compare their props on every
//! render; with the workspace's texts as `String`s, a 2 MB event was copied and compared byte by
//! byte each time (26–35 ms a copy on the page). A [`Text`] is an `Rc<str>`: a clone is a pointer
//! copy, and two clones of one text compare equal without reading it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

/// A shared, immutable text (an editor's content).
#[derive(Clone, Default, Eq)]
pub struct Text(Rc<str>);

impl Text {
    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Rc::from(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Rc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(Rc::from(s.as_str()))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.to_string()
    }
}

/// Into a yew attribute or prop (a pointer copy: both are an `Rc<str>`).
impl From<Text> for yew::AttrValue {
    fn from(t: Text) -> yew::AttrValue {
        yew::AttrValue::Rc(t.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn clones_share_and_compare_without_reading() {
        let a = Text::from("x".repeat(1 << 20));
        let b = a.clone();
        assert!(std::ptr::eq(a.as_ptr(), b.as_ptr()));
        assert_eq!(a, b);
        assert_eq!(a, Text::from("x".repeat(1 << 20)));
        assert_ne!(a, Text::from("y"));
        assert_eq!(Text::from("{}"), "{}");
        let json = serde_json::to_string(&Text::from("a\"b")).unwrap();
        assert_eq!(json, r#""a\"b""#);
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), "a\"b");
    }
}
