//! Safe Markdown for exercise texts: headings, paragraphs, lists, code, emphasis and http(s) links,
//! rendered as yew nodes. No raw HTML ever reaches the page: every character of the source ends up
//! in a text node or an attribute value that yew escapes.
//!
//! Parsing gives a small tree ([`Block`], [`Inline`]) that is tested natively; [`render`] only maps
//! it to `html!`. What is not understood stays text (`<b>` shows as the characters `<b>`).

use yew::prelude::*;

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `#`…`####` heading (level 1–4; deeper levels count as 4).
    Heading(u8, Vec<Inline>),
    /// A paragraph (consecutive non-blank lines).
    Paragraph(Vec<Inline>),
    /// A bulleted (`-`, `*`, `+`) or numbered (`1.`) list; each item is its inline text.
    List {
        /// Numbered or not.
        ordered: bool,
        /// The items.
        items: Vec<Vec<Inline>>,
    },
    /// A fenced code block (```), verbatim.
    Code(String),
    /// A `>` quote.
    Quote(Vec<Inline>),
}

/// Inline text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `` `code` ``.
    Code(String),
    /// `**strong**`.
    Strong(Vec<Inline>),
    /// `*emphasis*` or `_emphasis_`.
    Emphasis(Vec<Inline>),
    /// `[text](https://…)`; other schemes (javascript:, data:) stay text.
    Link(Vec<Inline>, String),
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some((false, rest));
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = t.get(digits..)?;
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, rest));
        }
    }
    None
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = line.get(hashes..)?;
    let text = rest.strip_prefix(' ')?;
    Some((hashes.min(4) as u8, text.trim()))
}

/// Parses a document into blocks.
pub fn parse(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = source.lines().peekable();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut paragraph, &mut blocks);
            let mut code = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some((level, text)) = heading(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(level, inline(text)));
        } else if let Some(text) = trimmed.strip_prefix('>') {
            flush(&mut paragraph, &mut blocks);
            let mut quote = vec![text.trim()];
            while let Some(next) = lines.peek().and_then(|l| l.trim().strip_prefix('>')) {
                quote.push(next.trim());
                lines.next();
            }
            blocks.push(Block::Quote(inline(&quote.join(" "))));
        } else if let Some((ordered, first)) = list_item(line) {
            flush(&mut paragraph, &mut blocks);
            let mut items = vec![first.trim().to_owned()];
            while let Some(next) = lines.peek() {
                if let Some((_, text)) = list_item(next).filter(|(o, _)| *o == ordered) {
                    items.push(text.trim().to_owned());
                } else if !next.trim().is_empty() && next.starts_with(' ') {
                    // An indented continuation line belongs to the item above.
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(next.trim());
                    }
                } else {
                    break;
                }
                lines.next();
            }
            blocks.push(Block::List {
                ordered,
                items: items.iter().map(|i| inline(i)).collect(),
            });
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// Whether a link target may become an `href`: absolute http(s) only.
fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Parses inline markup.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    let push_text = |plain: &mut String, out: &mut Vec<Inline>| {
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(plain)));
        }
    };
    while let Some(c) = rest.chars().next() {
        let after = rest.get(c.len_utf8()..).unwrap_or_default();
        // `snake_case` words are not emphasis.
        let in_word = c == '_' && plain.chars().last().is_some_and(char::is_alphanumeric);
        match markup(c, after).filter(|_| !in_word) {
            Some((node, remaining)) => {
                push_text(&mut plain, &mut out);
                out.push(node);
                rest = remaining;
            }
            None => {
                plain.push(c);
                rest = after;
            }
        }
    }
    push_text(&mut plain, &mut out);
    out
}

/// The markup opened by `c` (with `after` following it): the node and the text after it.
fn markup(c: char, after: &str) -> Option<(Inline, &str)> {
    match c {
        '`' => {
            let end = after.find('`')?;
            Some((
                Inline::Code(after.get(..end)?.to_owned()),
                after.get(end + 1..)?,
            ))
        }
        '*' if after.starts_with('*') => {
            let inner = after.get(1..)?;
            let end = inner.find("**").filter(|end| *end > 0)?;
            Some((
                Inline::Strong(inline(inner.get(..end)?)),
                inner.get(end + 2..)?,
            ))
        }
        '*' | '_' => {
            if after.starts_with(' ') {
                return None;
            }
            let end = after.find(c).filter(|end| *end > 0)?;
            Some((
                Inline::Emphasis(inline(after.get(..end)?)),
                after.get(end + 1..)?,
            ))
        }
        '[' => link(after),
        _ => None,
    }
}

/// `text](url)` after a `[`: the link and the text after it.
fn link(after: &str) -> Option<(Inline, &str)> {
    let close = after.find("](")?;
    let label = after.get(..close)?;
    let url_start = close + 2;
    let url_len = after.get(url_start..)?.find(')')?;
    let url = after.get(url_start..url_start + url_len)?;
    if !safe_url(url) || label.contains('[') {
        return None;
    }
    Some((
        Inline::Link(inline(label), url.to_owned()),
        after.get(url_start + url_len + 1..)?,
    ))
}

fn render_inline(nodes: &[Inline]) -> Html {
    nodes
        .iter()
        .map(|n| match n {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(c) => html! { <code>{ c.clone() }</code> },
            Inline::Strong(inner) => html! { <strong>{ render_inline(inner) }</strong> },
            Inline::Emphasis(inner) => html! { <em>{ render_inline(inner) }</em> },
            Inline::Link(label, url) => html! {
                <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ render_inline(label) }</a>
            },
        })
        .collect()
}

/// Renders Markdown as yew nodes.
pub fn render(source: &str) -> Html {
    parse(source)
        .iter()
        .map(|b| match b {
            Block::Heading(1, t) => html! { <h3>{ render_inline(t) }</h3> },
            Block::Heading(2, t) => html! { <h4>{ render_inline(t) }</h4> },
            Block::Heading(_, t) => html! { <h5>{ render_inline(t) }</h5> },
            Block::Paragraph(t) => html! { <p>{ render_inline(t) }</p> },
            Block::Quote(t) => html! { <blockquote>{ render_inline(t) }</blockquote> },
            Block::Code(c) => html! { <pre class="md-code"><code>{ c.clone() }</code></pre> },
            Block::List { ordered, items } => {
                let items: Html = items
                    .iter()
                    .map(|i| html! { <li>{ render_inline(i) }</li> })
                    .collect();
                if *ordered {
                    html! { <ol>{ items }</ol> }
                } else {
                    html! { <ul>{ items }</ul> }
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn t(s: &str) -> Inline {
        Text(s.to_owned())
    }

    #[test]
    fn inline_markup() {
        assert_eq!(
            inline("a **b** *c* _d_ `e*f`"),
            vec![
                t("a "),
                Strong(vec![t("b")]),
                t(" "),
                Emphasis(vec![t("c")]),
                t(" "),
                Emphasis(vec![t("d")]),
                t(" "),
                Code("e*f".into())
            ]
        );
        assert_eq!(inline("2 * 3 and a_b"), vec![t("2 * 3 and a_b")]);
        assert_eq!(
            inline("rule_does_not_match"),
            vec![t("rule_does_not_match")]
        );
        assert_eq!(inline("**unclosed"), vec![t("**unclosed")]);
        assert_eq!(inline("`unclosed"), vec![t("`unclosed")]);
        assert_eq!(
            inline("ünï *cödé* ✓"),
            vec![t("ünï "), Emphasis(vec![t("cödé")]), t(" ✓")]
        );
    }

    #[test]
    fn links_are_http_only() {
        assert_eq!(
            inline("see [the guide](https://example.org/x) now"),
            vec![
                t("see "),
                Link(vec![t("the guide")], "https://example.org/x".into()),
                t(" now")
            ]
        );
        assert_eq!(
            inline("[x](javascript:alert(1))"),
            vec![t("[x](javascript:alert(1))")]
        );
        assert_eq!(
            inline("[x](data:text/html,hi)"),
            vec![t("[x](data:text/html,hi)")]
        );
    }

    #[test]
    fn raw_html_stays_text() {
        assert_eq!(
            parse("<script>alert(1)</script> <b>x</b>"),
            vec![Block::Paragraph(vec![t(
                "<script>alert(1)</script> <b>x</b>"
            )])]
        );
    }

    #[test]
    fn blocks() {
        let doc = "# Title\n\nOne\nparagraph.\n\n1. first\n   more\n2. second\n\n- a\n- b\n\n```\n{\"a\": 1}\n```\n> quoted";
        assert_eq!(
            parse(doc),
            vec![
                Block::Heading(1, vec![t("Title")]),
                Block::Paragraph(vec![t("One paragraph.")]),
                Block::List {
                    ordered: true,
                    items: vec![vec![t("first more")], vec![t("second")]]
                },
                Block::List {
                    ordered: false,
                    items: vec![vec![t("a")], vec![t("b")]]
                },
                Block::Code("{\"a\": 1}".into()),
                Block::Quote(vec![t("quoted")]),
            ]
        );
    }

    #[test]
    fn every_exercise_text_parses_without_losing_words() {
        // Every word of every instruction survives parsing (nothing is dropped as markup).
        let text = "Fix the rule's `EventPattern` so it matches **OrderCreated**; see *Event*.";
        let flat = format!("{:?}", parse(text));
        for word in ["Fix", "EventPattern", "OrderCreated", "Event"] {
            assert!(flat.contains(word), "{word} lost: {flat}");
        }
    }
}
