//! Safe Markdown for exercise texts: headings, paragraphs, lists, code, emphasis and http(s) links,
//! rendered as yew nodes. No raw HTML ever reaches the page: every character of the source ends up
//! in a text node or an attribute value that yew escapes.
