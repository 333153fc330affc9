//! Opening a page in headless Chromium (Debian's `chromium` package, installed by `.ci/run`):
//! a screenshot, and the errors the page raised.
//!
//! Errors are caught two ways. The page as written is opened with Chromium's log on stderr,
//! where every console message appears as a `CONSOLE` line (wxmod's report has no script, so
//! any console message is a fault). A copy of the page with an observing script at the top of
//! its head is opened with `--dump-dom`: the script records failed resources, uncaught errors
//! and console errors and warnings, and on `load` writes them, with counts of the page's
//! figures and tables, into a `<pre>` the test reads back. The checks are proven on a page
//! built to fail (`the_checks_catch_a_broken_page`).
//!
//! Set `WXMOD_CHROMIUM` to use another browser binary. On a machine without a browser, build
//! the tests with `WXMOD_SKIP_BROWSER=1` (see build.rs): every test that needs Chromium is then
//! reported as ignored, with the reason, never as passed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the observing script saw.
#[derive(Debug, serde::Deserialize)]
pub struct PageReport {
    /// Failed resources, uncaught errors, console errors and warnings.
    pub errors: Vec<String>,
    /// Number of `<svg>` elements.
    pub svgs: usize,
    /// Number of inline SVG figures drawn wider than 300 px.
    pub wide_figures: usize,
    /// Number of `<table>` elements.
    pub tables: usize,
    /// The page's text.
    pub text: String,
    /// Whether 朔 and 州, drawn on a canvas in the page's body font, give different pixels
    /// (they do when the glyphs render; two tofu boxes are the same picture).
    #[serde(default)]
    pub cjk_glyphs_differ: bool,
    /// Families of the page's loaded font faces (`document.fonts`).
    #[serde(default)]
    pub fonts_loaded: Vec<String>,
}

/// The observing script, put at the top of the page's head.
const OBSERVER: &str = r#"<script>
(() => {
  const errors = [];
  window.addEventListener('error', (e) => {
    const t = e.target;
    if (t && t !== window && (t.src || t.href)) {
      errors.push('resource failed: ' + (t.src || t.href));
    } else {
      errors.push('uncaught: ' + e.message);
    }
  }, true);
  window.addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + e.reason));
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = (...args) => { errors.push('console.' + level + ': ' + args.join(' ')); original.apply(console, args); };
  }
  const glyph = (family, ch) => {
    const c = document.createElement('canvas');
    c.width = 64; c.height = 64;
    const g = c.getContext('2d');
    g.font = '48px ' + family;
    g.fillText(ch, 4, 52);
    return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
  };
  window.addEventListener('load', () => document.fonts.ready.then(() => {
    const figures = [...document.querySelectorAll('figure svg')];
    const family = getComputedStyle(document.body).fontFamily;
    const report = {
      errors,
      svgs: document.querySelectorAll('svg').length,
      wide_figures: figures.filter((s) => s.getBoundingClientRect().width > 300).length,
      tables: document.querySelectorAll('table').length,
      text: document.body.innerText,
      cjk_glyphs_differ: glyph(family, '朔') !== glyph(family, '州'),
      fonts_loaded: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family),
    };
    const pre = document.createElement('pre');
    pre.id = 'wxmod-page-report';
    pre.textContent = JSON.stringify(report);
    document.body.appendChild(pre);
  }));
})();
</script>
"#;

/// The browser binary: `$WXMOD_CHROMIUM`, else the first of Debian's and other usual names on
/// the PATH. A missing browser fails the test with the way to install one, or to have the
/// browser tests reported as ignored.
pub fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("WXMOD_CHROMIUM") {
        return PathBuf::from(path);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .expect(
            "headless Chromium is needed for the report test: `apt-get install chromium` \
             (as .ci/run does), or set WXMOD_CHROMIUM=/path/to/chrome; on a machine without \
             a browser, build the tests with WXMOD_SKIP_BROWSER=1 to have them reported as ignored",
        )
}

/// Runs the browser headless on a local file with the flags this closed machine needs.
fn headless(browser: &Path, scratch: &Path, page: &Path, extra: &[String]) -> std::process::Output {
    let profile = tempfile::tempdir_in(scratch).expect("a browser profile folder");
    let url = format!(
        "file://{}",
        page.canonicalize().expect("the page exists").display()
    );
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("the browser starts")
}

/// Opens `page` as written and takes a screenshot `width` × `height` into `shot`; returns the
/// console messages Chromium logged.
pub fn screenshot(
    browser: &Path,
    page: &Path,
    shot: &Path,
    width: u32,
    height: u32,
) -> Vec<String> {
    let scratch = shot.parent().expect("the screenshot has a folder");
    let out = headless(
        browser,
        scratch,
        page,
        &[
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", shot.display()),
        ],
    );
    assert!(
        out.status.success(),
        "the browser failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    console_lines(&String::from_utf8_lossy(&out.stderr))
}

/// The console messages in Chromium's stderr log.
fn console_lines(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect()
}

/// Opens a copy of `page` (beside it, so relative links resolve) with the observing script and
/// returns what it saw.
pub fn observe(browser: &Path, page: &Path) -> PageReport {
    let html = std::fs::read_to_string(page).expect("the page reads");
    let at = html
        .find("<head>")
        .map(|i| i + "<head>".len())
        .expect("the page has a <head>");
    let observed = page.with_file_name("wxmod-observed-page.html");
    std::fs::write(
        &observed,
        format!("{}{OBSERVER}{}", &html[..at], &html[at..]),
    )
    .expect("the observed copy is written");
    let scratch = page.parent().expect("the page has a folder");
    let out = headless(browser, scratch, &observed, &["--dump-dom".to_string()]);
    std::fs::remove_file(&observed).expect("the observed copy is removed");
    assert!(
        out.status.success(),
        "the browser failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom
        .find("<pre id=\"wxmod-page-report\">")
        .map(|i| i + "<pre id=\"wxmod-page-report\">".len())
        .unwrap_or_else(|| panic!("the page never finished loading: {}", page.display()));
    let end = start + dom[start..].find("</pre>").expect("the report ends");
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&json).expect("the page report is JSON")
}

#[test]
#[cfg_attr(
    wxmod_skip_browser,
    ignore = "WXMOD_SKIP_BROWSER=1: needs headless Chromium"
)]
fn the_checks_catch_a_broken_page() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>broken</p>\
         <img src=\"missing.png\"><script>console.error('wxmod broken page'); notDefined();</script>\
         </body></html>",
    )
    .unwrap();
    let seen = observe(&browser, &page);
    let all = seen.errors.join("\n");
    assert!(
        all.contains("resource failed:") && all.contains("missing.png"),
        "{all}"
    );
    assert!(all.contains("console.error: wxmod broken page"), "{all}");
    assert!(
        all.contains("uncaught:") && all.contains("notDefined"),
        "{all}"
    );
    assert_eq!((seen.svgs, seen.tables), (0, 0));
    assert!(seen.text.contains("broken"));

    let shot = dir.path().join("broken.png");
    let console = screenshot(&browser, &page, &shot, 400, 300);
    assert!(
        console.iter().any(|l| l.contains("wxmod broken page")),
        "{console:?}"
    );
    let (w, h, _) = crate::fixtures::decode_png(&std::fs::read(&shot).unwrap());
    assert_eq!((w, h), (400, 300));
}

/// Issue #15 item 5: the report reads on a machine without CJK fonts. Its embedded font loads,
/// and 朔 and 州 render as different glyphs; a copy whose embedded font data is broken is
/// caught (on a machine without a CJK font, the two are the same tofu box).
#[test]
#[cfg_attr(
    wxmod_skip_browser,
    ignore = "WXMOD_SKIP_BROWSER=1: needs headless Chromium"
)]
fn the_report_renders_chinese_with_its_embedded_font() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let html = wxmod::report::html::index_html(
        "朔州市 Shuozhou 人工影响天气",
        &["预算 15314.75 万元".into()],
        &[],
        &[],
    );
    let page = dir.path().join("index.html");
    std::fs::write(&page, &html).unwrap();
    let seen = observe(&browser, &page);
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
    assert!(
        seen.fonts_loaded
            .iter()
            .any(|f| f.contains(wxmod::report::html::REPORT_FONT_FAMILY)),
        "the embedded font did not load: {:?}",
        seen.fonts_loaded
    );
    assert!(seen.cjk_glyphs_differ, "朔 and 州 render as the same box");

    let system_cjk = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(true);
    let at = html.find("base64,").unwrap() + "base64,".len();
    let broken = format!("{}AAAA{}", &html[..at], &html[at + 4000..]);
    let page = dir.path().join("broken-font.html");
    std::fs::write(&page, broken).unwrap();
    let seen = observe(&browser, &page);
    if system_cjk {
        eprintln!("this machine has a CJK system font; the broken-font control is not conclusive");
    } else {
        assert!(
            !seen.cjk_glyphs_differ,
            "the check must fail when the font does not load"
        );
    }
}
