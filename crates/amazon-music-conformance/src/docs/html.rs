//! A reference page as the site serves it (HTML) → the text form [`page`](super::page) reads.
//!
//! What the conversion keeps is what a reader sees, one block per line: headings, paragraphs,
//! list items (`- ` first), and `pre` blocks line for line as written. A table becomes the pipe
//! layout (`a | b | c |`, a `---|---|` rule under its header row), whichever way the page marks
//! its header: a `thead`, a first row of `th` cells, or (the older layout) a first row of plain
//! `td` cells. A table inside a cell, a list or a paragraph inside a cell, and line breaks
//! inside a cell are read as spaces, so a row is always one line. Text is entity-decoded
//! as a browser decodes it (a name no browser knows stays as written).
//!
//! Scripts, styles, templates, `noscript`, the document's `title`, inline SVG and buttons
//! (a "Copy" button beside a code block, say) say nothing about the API and are dropped.
//!
//! The markup is read by `html5gum`, a WHATWG tokenizer (pure Rust, no dependencies): the
//! conversion needs the text and a dozen element names, not a document tree, so a tree
//! builder (html5ever and what it brings) would be the largest dependency of this crate for
//! nothing. Its tokenizer decodes character references as a browser does and, switched by
//! start tag, reads `script` and `style` as raw text. Any input converts, never panics; markup
//! the conversion does not know is read as inline.
//!
//! ```
//! use amazon_music_conformance::docs::{html, page};
//! let text = html::to_text(
//!     "<h3>Get Album</h3><p><code>GET</code></p><p><code>/albums/{id}</code></p>\
//!      <h4>Path Parameters</h4><table><thead><tr><th>Name</th><th>Data Type</th>\
//!      <th>Required</th><th>Description</th></tr></thead><tbody><tr><td>id</td>\
//!      <td>string</td><td>Yes</td><td>The album&#39;s id.</td></tr></tbody></table>",
//! );
//! assert!(text.contains("Name | Data Type | Required | Description |\n---|---|---|---|\n"));
//! let parsed = page::parse(&text)?;
//! assert_eq!(parsed.endpoints[0].params[0].row.description, "The album's id.");
//! # Ok::<(), page::PageError>(())
//! ```

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// Converts an HTML page to the text form of [`page::parse`](super::page::parse).
pub fn to_text(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    // What a tree builder would do for the elements this conversion meets: the content of
    // `script` and `style` is text, never markup.
    emitter.naively_switch_states(true);
    let mut converter = Converter::default();
    // Reading a `&str` cannot fail; parse errors are tokens, and the tokenizer recovers from
    // each as a browser does.
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                converter.start_tag(&String::from_utf8_lossy(&tag.name), tag.self_closing)
            }
            Token::EndTag(tag) => converter.end_tag(&String::from_utf8_lossy(&tag.name)),
            Token::String(text) => converter.text(&String::from_utf8_lossy(&text.value)),
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    converter.finish()
}

/// Elements whose content is dropped with them.
const DROPPED: [&str; 7] = [
    "script", "style", "template", "noscript", "title", "svg", "button",
];

/// Elements that start and end a line.
const BLOCKS: [&str; 33] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "ul",
    "html",
];

#[derive(Default)]
struct Converter {
    /// Finished lines.
    lines: Vec<String>,
    /// The line being written.
    line: String,
    /// Whitespace was seen since the last character written (outside `pre`).
    space: bool,
    /// A list item started and its marker is still to be written.
    item: bool,
    /// Open `pre` elements.
    pre: usize,
    /// The first text of a `pre` drops one leading line break, as HTML does.
    pre_start: bool,
    /// Inside a dropped element: its name and how many of it are open.
    dropped: Option<(String, usize)>,
    /// The outermost open table, and how many tables are open in all.
    table: Option<Table>,
    tables: usize,
}

#[derive(Default)]
struct Table {
    rows: Vec<TableRow>,
    row: Option<TableRow>,
    cell: Option<String>,
    in_head: bool,
}

struct TableRow {
    cells: Vec<String>,
    /// In a `thead`, or every cell a `th`.
    header: bool,
    all_th: bool,
}

impl TableRow {
    /// A row before its first cell: every cell so far is a `th`.
    fn new() -> Self {
        TableRow {
            cells: Vec::new(),
            header: false,
            all_th: true,
        }
    }
}

impl Table {
    fn close_cell(&mut self) {
        if let Some(cell) = self.cell.take() {
            let row = self.row.get_or_insert_with(TableRow::new);
            row.cells.push(cell.trim().to_owned());
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        if let Some(mut row) = self.row.take()
            && !row.cells.is_empty()
        {
            row.header = self.in_head || row.all_th;
            self.rows.push(row);
        }
    }

    fn open_cell(&mut self, th: bool) {
        self.close_cell();
        let row = self.row.get_or_insert_with(TableRow::new);
        row.all_th &= th;
        self.cell = Some(String::new());
    }

    /// The table in the pipe layout: the header rows (or the first row), a rule, the rest.
    fn lines(mut self) -> Vec<String> {
        self.close_row();
        let header = match self.rows.iter().take_while(|row| row.header).count() {
            0 => 1,
            n => n,
        };
        let width = self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let mut lines = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let mut line = String::new();
            for cell in &row.cells {
                line.push_str(cell);
                line.push_str(" | ");
            }
            lines.push(line.trim_end().to_owned());
            if i + 1 == header {
                lines.push("---|".repeat(width));
            }
        }
        lines
    }
}

impl Converter {
    fn start_tag(&mut self, name: &str, self_closing: bool) {
        if let Some((dropped, depth)) = &mut self.dropped {
            if dropped == name && !self_closing {
                *depth += 1;
            }
            return;
        }
        if DROPPED.contains(&name) {
            if !self_closing {
                self.dropped = Some((name.to_owned(), 1));
            }
            return;
        }
        if self.in_cell() {
            match name {
                "table" => self.tables += 1,
                "td" | "th" | "tr" if self.tables == 1 => self.table_tag(name),
                _ => {}
            }
            if !is_inline(name) {
                self.space = true;
            }
            return;
        }
        match name {
            "table" => {
                if self.tables == 0 {
                    self.end_line();
                    self.table = Some(Table::default());
                }
                self.tables += 1;
            }
            "tr" | "td" | "th" | "thead" | "tbody" | "tfoot" => self.table_tag(name),
            "br" if self.pre > 0 => self.pre_line_break(),
            "br" => self.end_line(),
            "li" => {
                self.end_line();
                self.item = true;
            }
            "pre" => {
                self.end_line();
                if !self_closing {
                    self.pre += 1;
                    self.pre_start = true;
                }
            }
            _ if BLOCKS.contains(&name) => self.end_line(),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str) {
        if let Some((dropped, depth)) = &mut self.dropped {
            if dropped == name {
                *depth -= 1;
                if *depth == 0 {
                    self.dropped = None;
                }
            }
            return;
        }
        if name == "table" && self.tables > 0 {
            self.tables -= 1;
            if self.tables == 0 {
                if let Some(table) = self.table.take() {
                    self.end_line();
                    self.lines.extend(table.lines());
                }
            } else if self.in_cell() {
                self.space = true;
            }
            return;
        }
        if self.in_cell() {
            match name {
                "td" | "th" | "tr" | "thead" | "tbody" | "tfoot" if self.tables == 1 => {
                    self.table_end_tag(name)
                }
                _ if !is_inline(name) => self.space = true,
                _ => {}
            }
            return;
        }
        match name {
            "tr" | "td" | "th" | "thead" | "tbody" | "tfoot" => self.table_end_tag(name),
            "pre" if self.pre > 0 => {
                self.pre -= 1;
                self.end_line();
            }
            "li" => self.end_line(),
            _ if BLOCKS.contains(&name) => self.end_line(),
            _ => {}
        }
    }

    /// A table's own start tag; outside a table (`tables` is 0 exactly when there is none)
    /// it says nothing.
    fn table_tag(&mut self, name: &str) {
        let Some(table) = &mut self.table else {
            return;
        };
        match name {
            "tr" => table.close_row(),
            "td" => table.open_cell(false),
            "th" => table.open_cell(true),
            "thead" => {
                table.close_row();
                table.in_head = true;
            }
            _ => {
                table.close_row();
                table.in_head = false;
            }
        }
        self.space = false;
    }

    fn table_end_tag(&mut self, name: &str) {
        let Some(table) = &mut self.table else {
            return;
        };
        match name {
            "td" | "th" => table.close_cell(),
            "tr" => table.close_row(),
            _ => {
                table.close_row();
                table.in_head = false;
            }
        }
        self.space = false;
    }

    fn in_cell(&self) -> bool {
        self.table.as_ref().is_some_and(|t| t.cell.is_some())
    }

    /// Decoded text.
    fn text(&mut self, text: &str) {
        if self.dropped.is_some() || text.is_empty() {
            return;
        }
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            collapse_into(cell, &mut self.space, text);
            return;
        }
        if self.pre > 0 {
            let mut text = text;
            if std::mem::take(&mut self.pre_start) {
                text = text
                    .strip_prefix("\r\n")
                    .or_else(|| text.strip_prefix('\n'))
                    .unwrap_or(text);
            }
            let mut parts = text.split('\n');
            if let Some(first) = parts.next() {
                self.pre_push(first);
            }
            for part in parts {
                self.pre_line_break();
                self.pre_push(part);
            }
            return;
        }
        if self.item && text.chars().any(|c| !c.is_whitespace()) {
            self.item = false;
            self.line.push_str("- ");
            self.space = false;
        }
        let mut line = std::mem::take(&mut self.line);
        collapse_into(&mut line, &mut self.space, text);
        self.line = line;
    }

    fn pre_push(&mut self, text: &str) {
        self.pre_start = false;
        self.line.extend(text.chars().filter(|&c| c != '\r'));
    }

    /// A line break inside `pre`: kept even when the line is empty.
    fn pre_line_break(&mut self) {
        self.pre_start = false;
        let line = std::mem::take(&mut self.line);
        self.lines.push(line.trim_end().to_owned());
    }

    /// Ends the line being written, if it holds anything.
    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        let line = line.trim();
        if !line.is_empty() {
            self.lines.push(line.to_owned());
            self.item = false;
        }
        self.space = false;
    }

    fn finish(mut self) -> String {
        if let Some(table) = self.table.take() {
            self.end_line();
            self.lines.extend(table.lines());
        }
        self.end_line();
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

/// Appends `text` to `out` with every run of whitespace one space, none at the start.
fn collapse_into(out: &mut String, space: &mut bool, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            *space = true;
        } else {
            if std::mem::take(space) && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push(c);
        }
    }
}

/// Elements that do not break the text around them when they sit in a table cell.
fn is_inline(name: &str) -> bool {
    !BLOCKS.contains(&name)
        && !matches!(
            name,
            "br" | "li" | "pre" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
        )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::docs::page;

    const HEADER_CELLS: [&str; 4] = ["Name", "Data Type", "Required", "Description"];

    fn row(tag: &str, cells: &[&str]) -> String {
        let cells: String = cells
            .iter()
            .map(|c| format!("<{tag}>{c}</{tag}>"))
            .collect();
        format!("<tr>{cells}</tr>")
    }

    /// The same endpoint with its parameters in each table layout a page may serve.
    #[test]
    fn tables_in_both_layouts_give_the_same_rows() {
        let param = row("td", &["ids", "string", "Yes", "At most 20 ids."]);
        let layouts = [
            // A head of `th` cells.
            format!(
                "<table><thead>{}</thead><tbody>{param}</tbody></table>",
                row("th", &HEADER_CELLS)
            ),
            // The older layout: no head, the header a first row of plain cells.
            format!("<table>{}{param}</table>", row("td", &HEADER_CELLS)),
            // No head, a first row of `th` cells, end tags left out as HTML allows.
            "<table><tr><th>Name<th>Data Type<th>Required<th>Description<tr><td>ids<td>string\
             <td>Yes<td>At most 20 ids.</table>"
                .to_owned(),
        ];
        for table in layouts {
            let html = format!(
                "<h2>Get Albums</h2><p>GET</p><p>/albums</p><h3>Query Parameters</h3>{table}"
            );
            let text = to_text(&html);
            assert!(
                text.ends_with(
                    "Name | Data Type | Required | Description |\n---|---|---|---|\n\
                     ids | string | Yes | At most 20 ids. |\n"
                ),
                "{text}"
            );
            let parsed = page::parse(&text).unwrap();
            let endpoint = &parsed.endpoints[0];
            assert_eq!(
                (endpoint.method.as_str(), endpoint.path.as_str()),
                ("GET", "/albums")
            );
            assert_eq!(endpoint.params.len(), 1, "{text}");
            assert_eq!(endpoint.params[0].location, page::Location::Query);
            assert!(endpoint.params[0].row.required);
        }
    }

    #[test]
    fn a_table_of_two_header_rows_rules_under_both() {
        let html = format!(
            "<table><thead>{}{}</thead><tbody>{}</tbody></table>",
            row("th", &["a", "b"]),
            row("th", &["c", "d"]),
            row("td", &["e", "f"])
        );
        assert_eq!(to_text(&html), "a | b |\nc | d |\n---|---|\ne | f |\n");
        // Without a head, the leading rows of `th` cells are the header.
        let html = format!(
            "<table>{}{}{}</table>",
            row("th", &["a", "b"]),
            row("th", &["c", "d"]),
            row("td", &["e", "f"])
        );
        assert_eq!(to_text(&html), "a | b |\nc | d |\n---|---|\ne | f |\n");
    }

    /// Every row of a `thead` is a header row, whatever its cells; the head ends at its end tag,
    /// also when no `tbody` follows.
    #[test]
    fn a_head_holds_every_row_until_its_end_tag() {
        let html = format!(
            "<table><thead>{}{}</thead>{}</table>",
            row("td", &["a"]),
            row("td", &["b"]),
            row("td", &["c"])
        );
        assert_eq!(to_text(&html), "a |\nb |\n---|\nc |\n");
    }

    #[test]
    fn markup_inside_a_cell_stays_in_the_cell() {
        let html = "<table><tr><th>Name</th><th>Data Type</th><th>Required</th><th>Description</th></tr>\
             <tr><td><code>limit</code></td><td><em>integer</em></td><td><strong>No</strong></td>\
             <td><p>Between 1 and 100.</p><ul><li>Default: 20.</li></ul>Two<br>lines, \
             <table><tr><td>a nested</td><td>table</td></tr></table> and <a href=\"#x\">a link</a>.\
             </td></tr></table><p>After</p>";
        assert_eq!(
            to_text(html),
            "Name | Data Type | Required | Description |\n---|---|---|---|\n\
             limit | integer | No | Between 1 and 100. Default: 20. Two lines, a nested table and a link. |\n\
             After\n"
        );
    }

    /// As a browser reads them: `&amp` without its `;` is one of the legacy names HTML still
    /// decodes, `&bogus;` and a lone `&` stay.
    #[test]
    fn entities_are_decoded_and_unknown_ones_kept() {
        assert_eq!(
            to_text(
                "<p>&lt;base url&gt;/v1?a=1&amp;b=2 &quot;x&quot; &#39;y&#x27; it&rsquo;s&nbsp;ok \
                 &#128512; &#0; &#xD800; &#99999999999; &bogus; &amp &;</p>"
            ),
            "<base url>/v1?a=1&b=2 \"x\" 'y' it’s ok 😀 \u{fffd} \u{fffd} \u{fffd} &bogus; & &;\n"
        );
    }

    #[test]
    fn headings_lists_and_code_blocks_keep_their_lines() {
        let html = "<!DOCTYPE html><html><head><title>Albums</title><style>p { x: '<p>' }</style>\
             <script>if (a < b) { document.write('<h1>no</h1>') }</script></head><body>\
             <nav><ul><li><a href=\"#a\">Get Album</a></li><li><p>Get Albums</p></li></ul></nav>\
             <h2 id=\"get-album\">Get <span>Album</span></h2><p><code>GET</code><br>\
             <code>/albums/{id}</code></p><p>Authorization Scope: <code>[music::catalog]</code></p>\
             <!-- a comment with <p>markup</p> -->\
             <div class=\"highlight\"><button>Copy</button><pre><code>\ncurl --request GET \
             '&lt;base url&gt;/v1/albums/B1' \\\n  --header 'x-api-key: k'\n\n{\n  \"data\": 1\n}\n</code></pre></div>\
             </body></html>";
        assert_eq!(
            to_text(html),
            "- Get Album\n- Get Albums\nGet Album\nGET\n/albums/{id}\n\
             Authorization Scope: [music::catalog]\n\
             curl --request GET '<base url>/v1/albums/B1' \\\n  --header 'x-api-key: k'\n\n{\n  \"data\": 1\n}\n"
        );
    }

    /// Outside `pre` a line break ends a line and empty lines vanish; inside it every break is a
    /// line, empty or not, and whitespace stays until `pre` ends.
    #[test]
    fn line_breaks_in_and_out_of_pre() {
        assert_eq!(
            to_text("<p>  GET<br><br>/albums</p><pre>a<br><br>b</pre><p>x   y</p>"),
            "GET\n/albums\na\n\nb\nx y\n"
        );
    }

    /// A block's start tag ends the line before it as its end tag ends its own; so does a list
    /// item's end tag.
    #[test]
    fn blocks_and_list_items_end_lines_at_both_tags() {
        assert_eq!(
            to_text("<div>one<div>two</div>three</div><ul><li>a</li>b</ul>"),
            "one\ntwo\nthree\n- a\nb\n"
        );
    }

    #[test]
    fn a_page_in_html_reads_like_its_text() {
        let text = "Get Album\nGET\n/albums/{id}\nAuthorization Scope: [music::catalog]\nPath Parameters\n\
             Name | Data Type | Required | Description |\n---|---|---|---|\nid | string | Yes | The album's id. |\n\
             Example\ncurl --request GET <base url>/v1/albums/B1\nResponses\n\
             Name | Data Type | Required | Description |\n---|---|---|---|\nalbum | Album | No | The album. |\n\
             Example\n{\n\"data\": {\"album\": {\"id\": \"B1\"}}\n}\n";
        let html = "<h2>Get Album</h2><p>GET</p><p>/albums/{id}</p>\
             <p>Authorization Scope: [music::catalog]</p><h3>Path Parameters</h3><table><thead>\
             <tr><th>Name</th><th>Data Type</th><th>Required</th><th>Description</th></tr></thead>\
             <tbody><tr><td>id</td><td>string</td><td>Yes</td><td>The album&#x27;s id.</td></tr>\
             </tbody></table><h4>Example</h4><pre>curl --request GET &lt;base url&gt;/v1/albums/B1</pre>\
             <h3>Responses</h3><table><tr><td>Name</td><td>Data Type</td><td>Required</td>\
             <td>Description</td></tr><tr><td>album</td><td>Album</td><td>No</td>\
             <td>The album.</td></tr></table><h4>Example</h4>\
             <pre><code>{\n\"data\": {\"album\": {\"id\": \"B1\"}}\n}</code></pre>";
        assert_eq!(to_text(html), text);
        assert_eq!(page::parse(&to_text(html)), page::parse(text));
    }

    #[test]
    fn broken_markup_still_converts() {
        for html in [
            "",
            "<",
            "</",
            "<p",
            "<p class=\"unclosed>text",
            "<!--",
            "<![CDATA[",
            "<![CDATA[x]]>",
            "<script>never closed",
            "<svg><svg></svg>still dropped</svg>shown",
            "</table></td></tr></pre></li>",
            "<table><tr><td>open",
            "<td>a cell outside a table</td>",
            "<pre>unclosed\npre",
            "&#x; &#; &#xFFFFFFFFFF; &",
            "<1p> <-> <é>",
            "<table><table><td>x</td></table>",
        ] {
            let _ = to_text(html);
        }
        assert_eq!(
            to_text("<svg><svg></svg>still dropped</svg>shown"),
            "shown\n"
        );
        // Only an element of the dropped one's own name, not self-closed, nests in it.
        assert_eq!(
            to_text("<svg><g><path d='x'/></g><svg/></svg>shown"),
            "shown\n"
        );
        assert_eq!(to_text("<table><tr><td>open"), "open |\n---|\n");
        assert_eq!(to_text("<1p> <-> <é>"), "<1p> <-> <é>\n");
    }

    /// Escapes text as a page would write it.
    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_input_converts(html in ".{0,300}") {
            let _ = to_text(&html);
        }

        #[test]
        fn tag_soup_converts(parts in prop::collection::vec(prop_oneof![
            Just("<table>"), Just("</table>"), Just("<tr>"), Just("</tr>"), Just("<td>"),
            Just("</td>"), Just("<th>"), Just("<thead>"), Just("</thead>"), Just("<pre>"),
            Just("</pre>"), Just("<li>"), Just("<p>"), Just("</p>"), Just("<br/>"),
            Just("<script>"), Just("</script>"), Just("<svg>"), Just("</svg>"), Just("&amp;"),
            Just("&#"), Just("<!--"), Just("-->"), Just("text"), Just("\n"), Just(" "),
            Just("<a href='>'>"), Just("é"),
        ], 0..40)) {
            let _ = to_text(&parts.concat());
        }

        /// Text in a paragraph, escaped, comes back as written, whitespace collapsed.
        #[test]
        fn paragraph_text_round_trips(text in "[^\u{0}-\u{1f}\u{7f}-\u{9f}]{0,80}") {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let converted = to_text(&format!("<p>{}</p>", escape(&text)));
            prop_assert_eq!(converted.trim_end_matches('\n'), expected);
        }
    }
}
