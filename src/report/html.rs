//! The self-contained planning report (`index.html`): headline figures, the maps as inline SVG,
//! and the Markdown reports rendered as HTML tables, with links to every file of the run.
//! It needs no network and no script, so it opens offline from the output folder.
//!
//! The page carries its own font: the bundled WenQuanYi Micro Hei subset
//! ([`crate::render::font::BUNDLED_FONT`], about 150 KB, 200 KB as base64) is embedded as an
//! `@font-face` data URL under [`REPORT_FONT_FAMILY`] and named first for the page's text and for
//! the text of the inline SVG maps, so Chinese reads on a machine without any CJK font. Characters
//! the subset lacks are named in a note at the top of the page (the reader's system fonts must
//! supply them).

use std::fmt::Write;

/// One part of the report.
#[derive(Debug, Clone)]
pub enum Section {
    /// A Markdown report of wxmod's own (headings, paragraphs, lists, pipe tables, **bold**).
    Markdown(String),
    /// A figure: a caption and an SVG document, embedded inline.
    Figure {
        /// The caption.
        caption: String,
        /// The SVG text.
        svg: String,
    },
    /// A section of ready HTML (e.g. the radar step's, with its image links), under a title.
    Html {
        /// The title shown as its heading and in the contents.
        title: String,
        /// The HTML, inserted as it is.
        html: String,
    },
}

impl Section {
    /// The title the contents list shows: a report's first `# ` heading, or a figure's caption.
    pub fn title(&self) -> String {
        match self {
            Section::Markdown(md) => md
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .unwrap_or("Report")
                .trim()
                .to_string(),
            Section::Figure { caption, .. } => caption.clone(),
            Section::Html { title, .. } => title.clone(),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Inline Markdown: escapes HTML, then turns `**x**` into bold and `` `x` `` into code.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let escaped = escape(text);
    let mut bold = false;
    let mut code = false;
    let mut chars = escaped.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '*' && chars.peek() == Some(&'*') {
            chars.next();
            out.push_str(if bold { "</strong>" } else { "<strong>" });
            bold = !bold;
        } else if c == '`' {
            out.push_str(if code { "</code>" } else { "<code>" });
            code = !code;
        } else {
            out.push(c);
        }
    }
    if bold {
        out.push_str("</strong>");
    }
    if code {
        out.push_str("</code>");
    }
    out
}

/// Renders wxmod's Markdown subset as HTML.
pub fn markdown_to_html(md: &str) -> String {
    let mut html = String::new();
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    let mut in_list = false;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if in_list && !line.starts_with("- ") {
            html.push_str("</ul>\n");
            in_list = false;
        }
        if let Some(h) = line.strip_prefix("### ") {
            let _ = writeln!(html, "<h4>{}</h4>", inline(h));
        } else if let Some(h) = line.strip_prefix("## ") {
            let _ = writeln!(html, "<h3>{}</h3>", inline(h));
        } else if let Some(h) = line.strip_prefix("# ") {
            let _ = writeln!(html, "<h2>{}</h2>", inline(h));
        } else if let Some(item) = line.strip_prefix("- ") {
            if !in_list {
                html.push_str("<ul>\n");
                in_list = true;
            }
            let _ = writeln!(html, "<li>{}</li>", inline(item));
        } else if line.starts_with('|') {
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                rows.push(lines[i].trim());
                i += 1;
            }
            html.push_str("<table>\n");
            for (r, row) in rows.iter().enumerate() {
                let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
                if r == 1
                    && cells
                        .iter()
                        .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':')))
                {
                    continue;
                }
                let tag = if r == 0 { "th" } else { "td" };
                html.push_str("<tr>");
                for c in cells {
                    let _ = write!(html, "<{tag}>{}</{tag}>", inline(c));
                }
                html.push_str("</tr>\n");
            }
            html.push_str("</table>\n");
            continue;
        } else if !line.is_empty() {
            let _ = writeln!(html, "<p>{}</p>", inline(line));
        }
        i += 1;
    }
    if in_list {
        html.push_str("</ul>\n");
    }
    html
}

/// The CSS family name of the embedded font.
pub const REPORT_FONT_FAMILY: &str = "wxmod WenQuanYi Micro Hei subset";

/// The page's style sheet: the embedded font first (also for the text of inline SVG maps, whose
/// `font-family` attributes CSS overrides), then CJK system fonts; ruled tables, figures at page
/// width.
const STYLE: &str = "body,svg text{font-family:'wxmod WenQuanYi Micro Hei subset','WenQuanYi Micro Hei','Noto Sans CJK SC','Microsoft YaHei',sans-serif}\
body{margin:2em auto;max-width:1200px;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}\
th{background:#eef}td:first-child,th:first-child{text-align:left}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto;border:1px solid #ccc}\
.summary li{margin:0.2em 0}nav ol{columns:2}";

/// Standard base64 (RFC 4648 §4, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `@font-face` rule of the embedded font.
fn font_face() -> String {
    format!(
        "@font-face{{font-family:'{REPORT_FONT_FAMILY}';src:url(data:font/ttf;base64,{}) format('truetype');font-display:block}}",
        base64(crate::render::font::BUNDLED_FONT)
    )
}

/// The characters of `text` (outside tags) that the embedded font has no glyph for, sorted.
fn missing_glyphs(text: &str) -> Vec<char> {
    let font = crate::render::font::MapFont::bundled();
    let mut visible = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => visible.push(c),
            _ => {}
        }
    }
    let mut missing = font.missing_glyphs(&visible);
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// The whole report page.
pub fn index_html(
    title: &str,
    summary: &[String],
    sections: &[Section],
    files: &[String],
) -> String {
    let body = page_body(title, summary, sections, files);
    let missing = missing_glyphs(&body);
    let note = if missing.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"font-note\">The embedded font lacks {} characters of this page ({}); they show in the reader's system fonts, or as boxes where it has none.</p>\n",
            missing.len(),
            escape(&missing.iter().collect::<String>())
        )
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{}\n{STYLE}\n</style>\n</head>\n<body>\n{note}{body}",
        escape(title),
        font_face(),
    )
}

/// Everything inside `<body>`.
fn page_body(title: &str, summary: &[String], sections: &[Section], files: &[String]) -> String {
    let mut html = String::new();
    let _ = writeln!(html, "<h1>{}</h1>\n<ul class=\"summary\">", escape(title));
    for line in summary {
        let _ = writeln!(html, "<li>{}</li>", escape(line));
    }
    html.push_str("</ul>\n<nav>\n<h2>Contents 目录</h2>\n<ol>\n");
    for (i, section) in sections.iter().enumerate() {
        let _ = writeln!(
            html,
            "<li><a href=\"#part-{}\">{}</a></li>",
            i + 1,
            inline(&section.title())
        );
    }
    html.push_str("<li><a href=\"#files\">Files 文件</a></li>\n</ol>\n</nav>\n");
    for (i, section) in sections.iter().enumerate() {
        let id = format!("part-{}", i + 1);
        match section {
            Section::Markdown(md) => {
                let _ = writeln!(html, "<section id=\"{id}\">");
                html.push_str(&markdown_to_html(md));
                html.push_str("</section>\n");
            }
            Section::Figure { caption, svg } => {
                let body = svg.find("<svg").map_or(svg.as_str(), |at| &svg[at..]);
                let _ = writeln!(
                    html,
                    "<figure id=\"{id}\">\n{body}\n<figcaption>{}</figcaption>\n</figure>",
                    escape(caption)
                );
            }
            Section::Html { title, html: body } => {
                let _ = writeln!(html, "<div id=\"{id}\">\n<h2>{}</h2>", inline(title));
                html.push_str(body);
                html.push_str("</div>\n");
            }
        }
    }
    html.push_str("<h2 id=\"files\">Files 文件</h2>\n<ul>\n");
    for f in files {
        let _ = writeln!(html, "<li><a href=\"{0}\">{0}</a></li>", escape(f));
    }
    html.push_str("</ul>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_lists_and_bold_render() {
        let html =
            markdown_to_html("# T\n\n| a | b |\n|---|---:|\n| **x** | 1 |\n\n- one\n- `two`\n");
        assert!(html.contains("<h2>T</h2>"));
        assert!(html.contains("<tr><th>a</th><th>b</th></tr>"));
        assert!(html.contains("<tr><td><strong>x</strong></td><td>1</td></tr>"));
        assert!(html.contains("<ul>\n<li>one</li>\n<li><code>two</code></li>\n</ul>"));
        assert!(!html.contains("---"));
    }

    #[test]
    fn the_contents_link_every_section_and_the_files() {
        let sections = [
            Section::Markdown("# Coverage gaps 覆盖缺口\n\ntext\n".into()),
            Section::Figure {
                caption: "City map".into(),
                svg: "<?xml version=\"1.0\"?><svg></svg>".into(),
            },
        ];
        let html = index_html("T", &["one".into()], &sections, &["gaps.md".into()]);
        assert!(html.contains("<li><a href=\"#part-1\">Coverage gaps 覆盖缺口</a></li>"));
        assert!(html.contains("<li><a href=\"#part-2\">City map</a></li>"));
        assert!(html.contains("<section id=\"part-1\">"));
        assert!(html.contains("<figure id=\"part-2\">\n<svg></svg>"));
        assert!(html.contains("<h2 id=\"files\">"));
        assert!(html.contains("<a href=\"gaps.md\">gaps.md</a>"));
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (raw, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), encoded, "{raw}");
        }
    }

    #[test]
    fn the_page_embeds_the_font_and_names_what_it_lacks() {
        let html = index_html("朔州市 Shuozhou", &["万元".into()], &[], &[]);
        assert!(html.contains("@font-face{font-family:'wxmod WenQuanYi Micro Hei subset';src:url(data:font/ttf;base64,AAEAAA"));
        let note = html.find("font-note").map_or("", |at| {
            &html[at..at + html[at..].find("</p>").unwrap_or(0)]
        });
        assert!(
            !"朔州市万元".chars().any(|c| note.contains(c)),
            "the bundled subset has 朔州市 and 万元: {note}"
        );
        // A rare character the subset lacks (U+9F98), spelled by code so the font scan skips it.
        let rare = char::from_u32(0x9F98).unwrap().to_string();
        let html = index_html(&rare, &[], &[], &[]);
        assert!(html.contains(&rare), "the missing character is named");
        assert!(html.contains("font-note"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(inline("a < b & c"), "a &lt; b &amp; c");
    }
}
