//! Grammar-based fuzzing of the whole build: random decks from a Markdown generator must
//! compile to a PDF (warnings are fine) unless the build policy says they fail.
//!
//! `fuzz_short` runs a few fixed-seed cases with the normal tests; `fuzz_long` (ignored) runs
//! until `LECTERN_FUZZ_SECONDS` (default 60) have passed, for `cargo xtask fuzz`.

mod common;
use common::plugins;

use std::time::{Duration, Instant};

use lectern_deck::diag::{Kind, Severity};
use lectern_typst::{Project, ProjectOptions};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

// ---------------------------------------------------------------------------------------------
// The generator. Everything returns Markdown text; `BoxedStrategy` keeps compile times sane.

type S = BoxedStrategy<String>;

fn pick(items: &'static [&'static str]) -> S {
    proptest::sample::select(items)
        .prop_map(str::to_string)
        .boxed()
}

/// Words in several scripts: the fonts and hyphenation see them all.
fn word() -> S {
    prop_oneof![
        4 => pick(&[
            "lecture", "emergence", "scale", "the", "model", "a", "x", "loss", "Zero-shot",
            "naïve", "café", "Straße", "déjà", "l'été", "don't", "e.g.", "v2.0", "100%", "3.14",
        ]),
        2 => pick(&["Лекция", "мащаб", "способности", "Ёж", "щъ"]),
        1 => pick(&["λόγος", "Ωμέγα", "αβγ"]),
        1 => pick(&["漢字", "日本語のテキスト", "한국어", "中文"]),
        1 => pick(&["مرحبا", "العربية", "שלום"]),
        1 => pick(&["😀", "🚀🔥", "👩‍🔬", "✔", "★", "→", "∑", "ⵣ", "\u{200b}", "\u{00a0}", "\u{feff}"]),
        1 => "[a-zA-Z]{1,12}",
        1 => "[a-z]{60,120}",
    ]
    .boxed()
}

/// Runs of characters Typst markup, math or strings treat specially.
fn special() -> S {
    prop_oneof![
        3 => "[#$*_\\[\\]<>@\\\\~'\"=/+\\-:;{}^&`|!%.,?()]{1,6}",
        2 => pick(&[
            "#", "#let x = 1", "#set text(red)", "$", "$$", "\\", "\\\\", "//", "/* c */", "*/",
            "<label>", "@ref", "@", "~", "--", "---", "...", "'quoted'", "\"dq\"", "= h", "+ item",
            "- item", "1. one", "{", "}", "[", "]", "^", "&", "&amp;", "&#x1F600;", "&bogus;",
            "&nbsp;", "```", "``", "\\#", "\\*", "\\_", "\\$", "\\[", "\\`", "a_b_c", "x*y*z",
            "http://", "https://example.org/a_(b)", "www.example.com", "user@example.com",
            "\\u{41}", "#{", "#[", "#(", "#\"", "#h(1cm)", ")#", "\"#", "\u{0}",
        ]),
    ]
    .boxed()
}

fn url() -> S {
    pick(&[
        "https://example.org",
        "https://example.org/a_b?c=d&e=f#g",
        "",
        "<>",
        "#anchor",
        "mailto:x@y.org",
        "relative/page.md",
        "<with space.md>",
        "https://example.org/\"quote\"",
        "javascript:alert(1)",
        "https://例え.jp/パス",
        "\\#",
    ])
}

fn image_path() -> S {
    pick(&[
        "images/ok.svg",
        "images/missing.png",
        "images/fake.png",
        "../outside.png",
        "/etc/passwd",
        "https://example.org/x.png",
        "",
        "images/",
        "images/a b.png",
        "<images/ok.svg>",
        "images/ok.svg \"A title\"",
        "data/valid.csv",
        "images/ok.svg#frag",
        "./images/ok.svg",
        "images/../images/ok.svg",
        "images/ünïcode.png",
    ])
}

fn footnote_name() -> S {
    pick(&["1", "2", "note", "x y", "Ünï", "#", "a_b"])
}

/// A LaTeX formula from a token soup: plausible constructs mixed with broken ones.
fn latex() -> S {
    let token = prop_oneof![
        4 => pick(&[
            "x", "y", "2", "n", "+", "-", "=", "<", ">", "\\le", "\\alpha", "\\beta", "\\Omega",
            "\\varepsilon", "\\infty", "\\cdot", "\\times", "\\sum_{i=1}^{n}", "\\int_0^1",
            "\\lim_{x \\to 0}", "\\partial", "\\nabla", "\\mathbb{R}", "\\mathcal{L}", "\\hat{y}",
            "\\vec{v}", "\\bar x", "f(x)", "|x|", "\\|x\\|", "'", "!", ",", ";", ":", ".", "\\,",
            "\\quad", "\\ldots", "\\cdots", "\\in", "\\to", "\\mapsto", "\\approx", "\\neq",
            "\\log", "\\sin", "\\exp", "\\operatorname{softmax}", "\\not\\in", "\\prime",
        ]),
        2 => pick(&[
            "^2", "_i", "^{n+1}", "_{ij}", "^", "_", "^^", "__", "\\frac{a}{b}", "\\frac12",
            "\\frac{", "\\sqrt{x}", "\\sqrt[3]{x}", "\\left(", "\\right)", "\\left.", "\\right|",
            "\\left\\{", "\\right\\}", "\\middle|", "{", "}", "{}", "\\{", "\\}", "[", "]", "(",
            ")", "\\binom{n}{k}", "\\over", "\\text{if }", "\\text{für $x$ und}", "\\text{a{b}",
            "\\textbf{bold}", "\\mathrm{d}", "\\color{red}", "\\textcolor{blue}{z}",
            "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}", "\\begin{cases} 1 & x>0 \\\\ 0 & \\text{else} \\end{cases}",
            "\\begin{bmatrix}", "\\end{bmatrix}", "\\begin{array}{c|l} a & b \\end{array}",
            "&", "\\\\", "\\foo", "\\newcommand{\\x}{y}", "\\def", "\\href{u}{v}", "\\", "#",
            "%", "$", "~", "\"", "\\verb|x|", "\\overbrace{a+b}^{n}", "\\underset{x}{\\arg\\max}",
            "\\xrightarrow{f}", "\\boxed{E}", "\\cancel{x}", "\\tag{1}", "\\label{eq}", "\\big(",
            "\\Bigg]", "\\mathbf{W}^\\top", "\\hspace{1em}", "\\kern2pt", "\\rule{1em}{2pt}",
            "\\substack{a\\\\b}", "\\sideset{_1^2}{_3^4}\\sum", "\\colorbox{yellow}{$x$}",
        ]),
        1 => pick(&["α", "≤", "→", "ℝ", "∑", "😀", "中", "а", "\u{00a0}", "é", "\\'e", "\\\"o"]),
        1 => "[a-zA-Z0-9+*/=()]{1,5}",
    ];
    proptest::collection::vec(token, 1..12)
        .prop_flat_map(|tokens| {
            let n = tokens.len();
            (Just(tokens), proptest::collection::vec(any::<bool>(), n))
        })
        .prop_map(|(tokens, spaces)| {
            let mut out = String::new();
            for (token, space) in tokens.iter().zip(spaces) {
                out.push_str(token);
                if space {
                    out.push(' ');
                }
            }
            out
        })
        .boxed()
}

fn inline_leaf() -> S {
    prop_oneof![
        10 => word(),
        4 => special(),
        2 => "[a-zA-Z#$*_<>@~`\\[\\]]{1,10}".prop_map(|t| format!("`{t}`")),
        1 => pick(&["`` a`b ``", "```x```", "` `", "``", "`\\`", "`#let`", "`$x$`", "`unclosed"]),
        2 => (inline_text(), url()).prop_map(|(t, u)| format!("[{t}]({u})")),
        1 => (inline_text(), url()).prop_map(|(t, u)| format!("[{t}]({u} \"title\")")),
        1 => pick(&["<https://example.org/a_b*c>", "<x@example.org>", "<ftp://x.y/z>", "<not a link>"]),
        2 => (inline_text(), image_path()).prop_map(|(t, p)| format!("![{t}]({p})")),
        1 => image_path().prop_map(|p| format!("![]({p})")),
        2 => footnote_name().prop_map(|n| format!("[^{n}]")),
        2 => pick(&[
            "<b>", "</b>", "<i>x</i>", "<span style=\"color:red\">", "</span>", "<br>", "<br/>",
            "<br />", "<!-- comment -->", "<!-- pause -->", "<kbd>Ctrl</kbd>", "<sup>2</sup>",
            "<", "<!--", "-->", "<img src=\"images/ok.svg\">", "<a href=\"x\">", "</a>",
            "<script>alert(1)</script>",
        ]),
        2 => pick(&["  \n", "\\\n", "\n"]),
        3 => latex().prop_map(|m| format!("${m}$")),
        1 => latex().prop_map(|m| format!("$$ {m} $$")),
        1 => pick(&["$", "$ x $", "$x", "$$", "\\$", "5$ and 6$", "$x$y$", "$`x`$"]),
        1 => pick(&["~~gone~~", "~one~", "~~", "***", "___", "**", "__", "*", "_"]),
    ]
    .boxed()
}

/// A few inline pieces without nesting: link texts and image alts.
fn inline_text() -> S {
    proptest::collection::vec(
        prop_oneof![4 => word(), 1 => special(), 1 => latex().prop_map(|m| format!("${m}$"))],
        0..4,
    )
    .prop_map(|w| w.join(" "))
    .boxed()
}

/// Inline markup with nesting.
fn inline() -> S {
    inline_leaf()
        .prop_recursive(4, 24, 4, |inner| {
            let run = proptest::collection::vec(inner.clone(), 1..4).prop_map(|v| v.join(" "));
            prop_oneof![
                run.clone().prop_map(|t| format!("*{t}*")),
                run.clone().prop_map(|t| format!("**{t}**")),
                run.clone().prop_map(|t| format!("_{t}_")),
                run.clone().prop_map(|t| format!("***{t}***")),
                run.clone().prop_map(|t| format!("~~{t}~~")),
                (run.clone(), url()).prop_map(|(t, u)| format!("[{t}]({u})")),
                run.clone().prop_map(|t| format!("<em>{t}</em>")),
                run,
            ]
        })
        .boxed()
}

fn paragraph() -> S {
    proptest::collection::vec((inline(), pick(&[" ", " ", " ", "", "\n"])), 1..10)
        .prop_map(|parts| {
            let mut out = String::new();
            for (piece, sep) in parts {
                out.push_str(&piece);
                out.push_str(&sep);
            }
            out.trim_end_matches('\n').to_string()
        })
        .boxed()
}

/// A single-line paragraph: headings and table cells.
fn line() -> S {
    paragraph()
        .prop_map(|p| p.replace('\n', " ").trim().to_string())
        .boxed()
}

fn heading() -> S {
    prop_oneof![
        4 => (1usize..=6, line(), any::<bool>()).prop_map(|(level, text, closed)| {
            let hashes = "#".repeat(level);
            if closed { format!("{hashes} {text} {hashes}") } else { format!("{hashes} {text}") }
        }),
        1 => (line(), any::<bool>()).prop_map(|(text, one)| {
            format!("{text}\n{}", if one { "===" } else { "---" })
        }),
        1 => pick(&["#", "###", "####### seven", "#hashtag", "### ", "## $x^2$ and `code`"]),
    ]
    .boxed()
}

fn table() -> S {
    let cell = prop_oneof![
        4 => line(),
        1 => pick(&["", "\\|", "`a|b`", "`a\\|b`", "a \\| b", "**bold**", "$x|y$", "<br>", "-"]),
    ];
    (
        1usize..5,
        proptest::collection::vec(
            pick(&["---", ":---", "---:", ":---:", "-", ":-:", "----------"]),
            1..5,
        ),
        proptest::collection::vec(proptest::collection::vec(cell, 0..6), 1..5),
        any::<bool>(),
    )
        .prop_map(|(cols, aligns, rows, outer)| {
            let row = |cells: &[String]| {
                let inner = cells.join(" | ");
                if outer { format!("| {inner} |") } else { inner }
            };
            let header: Vec<String> = (0..cols).map(|i| format!("H{i}")).collect();
            let delim: Vec<String> = (0..cols)
                .map(|i| aligns[i % aligns.len()].to_string())
                .collect();
            let mut out = vec![row(&header), row(&delim)];
            for cells in &rows {
                out.push(row(cells));
            }
            out.join("\n")
        })
        .boxed()
}

fn code_block() -> S {
    (
        pick(&[
            "", "rust", "python", "js", "typst", "latex", "markdown", "toml", "c++", "unknown-lang",
            "rust {.numberLines}", "{.python}", "py title=\"x\"", "sh", "json", "diff", "html",
            "chart-ish", "text", "=html", "{=latex}", "🦀", "```",
        ]),
        proptest::collection::vec(
            prop_oneof![
                3 => "[ -~]{0,40}",
                1 => word(),
                1 => special(),
                1 => pick(&["\t\tindented", "", "   ", "``", "~~~", "#let x = 1", "fn main() { println!(\"{}\", 1); }", "$x$"]),
                1 => "[a-z]{100,160}",
            ],
            0..8,
        ),
        any::<bool>(),
    )
        .prop_map(|(info, lines, tilde)| {
            let fence = if tilde { "~~~" } else { "```" };
            let body: Vec<String> = lines
                .into_iter()
                .map(|l| if l.trim_start().starts_with(fence) { format!(" x{l}") } else { l })
                .collect();
            format!("{fence}{info}\n{}\n{fence}", body.join("\n"))
        })
        .boxed()
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Chart specs that are plausible, or broken in the ways a lecturer breaks them.
fn chart() -> S {
    let text = inline_text();
    let line = prop_oneof![
        3 => text.clone().prop_map(|t| format!("title = {}", toml_str(&t))),
        2 => text.clone().prop_map(|t| format!("caption = {}", toml_str(&t))),
        1 => text.clone().prop_map(|t| format!("subtitle = {}", toml_str(&t))),
        1 => text.clone().prop_map(|t| format!("alt = {}", toml_str(&t))),
        1 => text.clone().prop_map(|t| format!("x-label = {}", toml_str(&t))),
        1 => text.clone().prop_map(|t| format!("y-label = {}", toml_str(&t))),
        1 => pick(&["kind = \"bar\"", "kind = \"line\"", "kind = \"pie\"", "kind = 3"]),
        1 => pick(&["x = \"size\"", "x = \"label\"", "x = \"nope\"", "x = \"a\""]),
        1 => pick(&["y = \"score\"", "y = [\"score\", \"other\"]", "y = []", "y = \"nope\"", "y = [\"b\", \"c\"]"]),
        1 => pick(&["y-range = [0, 100]", "y-range = [10, 0]", "y-range = [0, 0]", "x-range = [-1, 1e300]"]),
        1 => pick(&["y-scale = \"log\"", "x-scale = \"log\"", "y-scale = \"linear\"", "y-scale = \"sqrt\""]),
        1 => pick(&["legend = \"top-left\"", "legend = \"none\"", "legend = \"middle\""]),
        1 => pick(&["value-labels = \"{}%\"", "value-labels = true", "value-labels = \"{}{}\"", "value-labels = \"#{}\""]),
        1 => pick(&["bar-colors = \"gradient\"", "markers = true", "point-labels = \"size\"", "point-labels = \"nope\""]),
        1 => pick(&["colors = [\"good\", \"bad\"]", "colors = [\"#ff0000\"]", "colors = [\"#zzz\"]", "colors = []"]),
        1 => pick(&["height = 5", "height = 0", "height = -3", "height = 1e9", "height = nan"]),
        1 => text.clone().prop_map(|t| format!("series-names = [{}]", toml_str(&t))),
        1 => text.clone().prop_map(|t| format!("[[vline]]\nx = \"350M\"\nlabel = {}", toml_str(&t))),
        1 => pick(&["[[hline]]\ny = 25\ncolor = \"warn\"", "[[span]]\nfrom = \"125M\"\nto = \"1.3B\"", "[[vline]]\nx = 1e9"]),
        1 => pick(&["[[panel]]\ny = \"score\"", "[[panel]]\ntitle = \"P\"\nkind = \"line\"\ny = [\"score\"]"]),
        1 => pick(&["unknown = 1", "title = ", "= 3", "[table", "title = \"unterminated", "data = 5"]),
    ];
    (
        pick(&[
            "data/valid.csv",
            "data/gen.csv",
            "data/empty.csv",
            "data/text.csv",
            "data/valid.toml",
            "data/valid.json",
            "data/missing.csv",
            "../outside.csv",
            "/etc/passwd",
            "",
            "data/",
            "deck.md",
        ]),
        proptest::collection::vec(line, 0..8),
        any::<bool>(),
    )
        .prop_map(|(data, lines, with_data)| {
            let mut spec = Vec::new();
            if with_data {
                spec.push(format!("data = {}", toml_str(&data)));
            }
            // Tables must come last in TOML, or later keys belong to them.
            let (tables, keys): (Vec<String>, Vec<String>) =
                lines.into_iter().partition(|l| l.starts_with("[["));
            spec.extend(keys);
            spec.extend(tables);
            format!("```chart\n{}\n```", spec.join("\n"))
        })
        .boxed()
}

fn display_math() -> S {
    prop_oneof![
        3 => latex().prop_map(|m| format!("$$\n{m}\n$$")),
        1 => latex().prop_map(|m| format!("$${m}$$")),
        1 => (latex(), latex()).prop_map(|(a, b)| format!("$$ {a}\n\n{b} $$")),
        2 => (
            pick(&["equation", "equation*", "align", "align*", "gather", "multline", "split", "aligned", "cases", "pmatrix", "foo", "itemize"]),
            proptest::collection::vec(latex(), 1..4),
            any::<bool>(),
        )
            .prop_map(|(env, rows, closed)| {
                let body = rows.join(" &= 1 \\\\\n");
                if closed {
                    format!("\\begin{{{env}}}\n{body}\n\\end{{{env}}}")
                } else {
                    format!("\\begin{{{env}}}\n{body}")
                }
            }),
    ]
    .boxed()
}

/// Blocks that can stand inside list items and quotes.
fn block() -> S {
    let leaf = prop_oneof![
        8 => paragraph(),
        2 => heading(),
        2 => code_block(),
        2 => display_math(),
        2 => table(),
        1 => pick(&[
            "<!-- pause -->", ". . .", "<!-- a speaker note with $x$ and #hash -->",
            "<!--\nmulti-line\nnote\n-->", "::: notes\nSay *this* with $x^2$.\n:::",
            "::: notes\nunclosed", ":::", "::: columns\ntext\n:::", "***", "___", "* * *",
            "<div>\nhtml *block*\n</div>", "<details><summary>S</summary>\n\nx\n</details>",
            "<!-- unclosed comment", "<pre>\npre #text\n</pre>", "    indented code #x $y$",
            "\\begin{itemize}\n\\item x\n\\end{itemize}", "\\[ x^2 \\]", "\\( y \\)",
        ]),
        // Short definitions: footnotes taller than a whole page are not fitted (a known limit).
        1 => (footnote_name(), inline_text()).prop_map(|(n, t)| format!("[^{n}]: {t}")),
        1 => "[a-zA-Z]{200,400}",
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            3 => (
                pick(&["- ", "* ", "+ ", "1. ", "2) ", "- [ ] ", "- [x] ", "* [X] ", "10. "]),
                proptest::collection::vec(proptest::collection::vec(inner.clone(), 1..3), 1..5),
                any::<bool>(),
            )
                .prop_map(|(marker, items, loose)| {
                    let indent = " ".repeat(marker.chars().count());
                    let sep = if loose { "\n\n" } else { "\n" };
                    items
                        .iter()
                        .map(|blocks| {
                            let body = blocks.join("\n\n");
                            let mut lines = body.lines();
                            let first = lines.next().unwrap_or("");
                            let mut out = format!("{marker}{first}");
                            for l in lines {
                                out.push('\n');
                                if !l.is_empty() {
                                    out.push_str(&indent);
                                }
                                out.push_str(l);
                            }
                            out
                        })
                        .collect::<Vec<_>>()
                        .join(sep)
                }),
            2 => (
                pick(&["", "", "[!NOTE]", "[!TIP]", "[!IMPORTANT]", "[!WARNING]", "[!CAUTION]", "[!FOO]", "[!note]", "**Note:**"]),
                proptest::collection::vec(inner.clone(), 1..3),
            )
                .prop_map(|(kind, blocks)| {
                    let mut body = blocks.join("\n\n");
                    if !kind.is_empty() {
                        body = format!("{kind}\n{body}");
                    }
                    body.lines()
                        .map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") })
                        .collect::<Vec<_>>()
                        .join("\n")
                }),
            1 => (pick(&["notes", "columns", "note", "{.incremental}", "incremental"]), proptest::collection::vec(inner, 1..3))
                .prop_map(|(class, blocks)| format!("::: {class}\n{}\n:::", blocks.join("\n\n"))),
        ]
    })
    .boxed()
}

fn top_block() -> S {
    prop_oneof![
        10 => block(),
        3 => heading(),
        2 => Just("---".to_string()),
        2 => chart(),
    ]
    .boxed()
}

fn front_matter() -> S {
    let value = prop_oneof![
        3 => line().prop_map(|t| toml_str(&t)), // a JSON/YAML double-quoted string
        2 => word(),
        1 => pick(&[
            "", "~", "null", "12", "-1", "3.5", "true", "[a, b]", "[]", "{}", "{a: 1}", "[unclosed",
            "{unclosed", "'single ''quoted'''", "|\n  literal\n  block", ">\n  folded", "!!binary aGVsbG8=",
            "&anchor x", "*anchor", "\"\\u00e9\\t\"", "- a\n- b", "\n  - name: Ada\n    affiliation: X",
            "2026-11-27", "@at", "`tick`", "#comment", "\"#let x = 1\"", "x: y: z", "\"a\\\"b\"",
        ]),
    ];
    let key = prop_oneof![
        6 => pick(&[
            "title", "subtitle", "short-title", "author", "date", "institution", "lang", "theme",
            "slide-level", "fit",
        ]),
        2 => pick(&["titel", "marp", "format", "output", "css", "aspectratio", "Title", "slide_level", "x", "\"quoted key\"", "?", "-"]),
    ];
    let special_value = prop_oneof![
        pick(&[
            "lang: bg",
            "lang: en",
            "lang: zh",
            "lang: ar",
            "lang: xx-YY",
            "lang: 12",
            "lang: \"\""
        ]),
        pick(&[
            "theme: aula",
            "theme: nope",
            "theme: ../../etc",
            "theme: \"\""
        ]),
        pick(&[
            "slide-level: 1",
            "slide-level: 2",
            "slide-level: 3",
            "slide-level: 4",
            "slide-level: 0",
            "slide-level: 7",
            "slide-level: -1",
            "slide-level: two",
            "slide-level: 99999999999999999999"
        ]),
        pick(&[
            "author: [A, B]",
            "author:\n  - name: Ada\n  - Bob",
            "author: {name: X}",
            "author: [[nested]]"
        ]),
    ];
    (
        proptest::collection::vec(
            prop_oneof![
                3 => (key, value).prop_map(|(k, v)| format!("{k}: {v}")),
                2 => special_value,
                1 => pick(&["# a comment", "", "not yaml at all", ":", "- list item", "\t tab"]),
            ],
            0..8,
        ),
        pick(&["---", "---", "..."]),
    )
        .prop_map(|(lines, end)| format!("---\n{}\n{end}", lines.join("\n")))
        .boxed()
}

/// A CSV of random but mostly plausible cells.
fn csv() -> S {
    let cell = prop_oneof![
        4 => (-1000i32..1000).prop_map(|n| n.to_string()),
        2 => any::<f32>().prop_map(|f| f.to_string()),
        1 => pick(&["", "NaN", "inf", "-0", "1e308", "1e-308", "abc", "\"q,uo\"", "\"", " 3 ", "125M", "#", "$x$"]),
    ];
    (
        proptest::collection::vec(
            pick(&[
                "size",
                "score",
                "other",
                "score [%]",
                "a",
                "b",
                "c",
                "label",
                "",
                "x y",
                "size",
            ]),
            1..4,
        ),
        proptest::collection::vec(proptest::collection::vec(cell, 1..4), 0..6),
    )
        .prop_map(|(header, rows)| {
            let mut out = header.join(",");
            for row in rows {
                out.push('\n');
                out.push_str(&row.join(","));
            }
            out.push('\n');
            out
        })
        .boxed()
}

#[derive(Clone, Debug)]
struct Case {
    markdown: String,
    gen_csv: String,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::option::weighted(0.6, front_matter()),
        proptest::collection::vec((top_block(), pick(&["\n\n", "\n\n", "\n\n", "\n"])), 0..12),
        csv(),
    )
        .prop_map(|(front, blocks, gen_csv)| {
            let mut markdown = front.map(|f| f + "\n").unwrap_or_default();
            for (block, sep) in blocks {
                markdown.push_str(&block);
                markdown.push_str(&sep);
            }
            Case { markdown, gen_csv }
        })
}

// ---------------------------------------------------------------------------------------------
// The property.

const VALID_CSV: &str = "size,score [%],other\n125M,25,1\n350M,28.5,2\n1.3B,35,-3\n";
const VALID_TOML: &str = "[[column]]\nname = \"size\"\nvalues = [\"125M\", \"350M\"]\n\n[[column]]\nname = \"score\"\nunit = \"%\"\nvalues = [25, 28]\n";
const VALID_JSON: &str =
    r#"{"columns": [{"name": "size", "values": ["a", "b"]}, {"name": "score", "values": [1, 2]}]}"#;
const OK_SVG: &str = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>";

/// Byte ranges of ```` ```chart ```` blocks (any indentation): errors there are the policy's.
fn chart_blocks(markdown: &str) -> Vec<std::ops::Range<usize>> {
    let mut blocks = Vec::new();
    let mut start = None;
    let mut pos = 0;
    for line in markdown.split_inclusive('\n') {
        let t = line.trim_start_matches([' ', '>', '-', '*', '+']).trim();
        match start {
            None if t.starts_with("```chart") => start = Some(pos),
            Some(s) if t == "```" => {
                blocks.push(s..pos + line.len());
                start = None;
            }
            _ => {}
        }
        pos += line.len();
    }
    if let Some(s) = start {
        blocks.push(s..markdown.len());
    }
    blocks
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    match build(case)? {
        Built::Pdf => Ok(()),
        // A broken chart fails the build before Typst runs: check the rest of the deck too.
        Built::ChartErrors => {
            let charts = chart_blocks(&case.markdown);
            let mut markdown = case.markdown.clone();
            for range in charts.iter().rev() {
                markdown.replace_range(range.clone(), "");
            }
            let rest = Case {
                markdown,
                gen_csv: case.gen_csv.clone(),
            };
            match build(&rest)? {
                Built::Pdf => Ok(()),
                Built::ChartErrors => Err(TestCaseError::fail(format!(
                    "chart errors without charts\n----- deck.md -----\n{}",
                    rest.markdown
                ))),
            }
        }
    }
}

enum Built {
    Pdf,
    ChartErrors,
}

fn build(case: &Case) -> Result<Built, TestCaseError> {
    // Every case is new content: without eviction Typst's memo cache grows by tens of MB a
    // second over a long run. Entries unused since the last case go.
    comemo::evict(1);
    // A panic that aborts the process (one in a destructor) leaves no report: the last deck
    // tried is kept in the temp folder for `fuzz_replay`.
    let _ = std::fs::write(
        std::env::temp_dir().join("lectern-fuzz-last.md"),
        &case.markdown,
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("deck.md"), &case.markdown).expect("write deck");
    std::fs::create_dir_all(root.join("data")).expect("mkdir");
    std::fs::create_dir_all(root.join("images")).expect("mkdir");
    for (path, text) in [
        ("data/valid.csv", VALID_CSV),
        ("data/gen.csv", case.gen_csv.as_str()),
        ("data/empty.csv", ""),
        ("data/text.csv", "size,score\na,1\nb,oops\n"),
        ("data/valid.toml", VALID_TOML),
        ("data/valid.json", VALID_JSON),
        ("images/ok.svg", OK_SVG),
        ("images/fake.png", "not an image"),
    ] {
        std::fs::write(root.join(path), text).expect("write fixture");
    }

    let report = |project: &Project, diags: &[lectern_deck::Diagnostic], what: &str| {
        TestCaseError::fail(format!(
            "{what}\n----- deck.md -----\n{}\n----- data/gen.csv -----\n{}\n----- diagnostics -----\n{}",
            case.markdown,
            case.gen_csv,
            project.render_diagnostics(diags, false)
        ))
    };
    let mut project = match Project::open(&ProjectOptions {
        blocks: plugins(),
        hide_positions: false,
        ..ProjectOptions::new(root)
    }) {
        Ok(project) => project,
        Err(err) => {
            return Err(TestCaseError::fail(format!(
                "open failed: {err}\n----- deck.md -----\n{}",
                case.markdown
            )));
        }
    };
    match project.compile() {
        Ok(compiled) => {
            if let Err(failed) = project.pdf(&compiled.document) {
                return Err(report(&project, &failed.diagnostics, "PDF export failed"));
            }
            Ok(Built::Pdf)
        }
        Err(failed) => {
            // Broken chart data or specs fail by policy, but only as diagnostics located in
            // the chart block or the data file, never as Typst errors in generated code.
            let charts = chart_blocks(&case.markdown);
            let allowed = |d: &lectern_deck::Diagnostic| {
                d.severity == Severity::Warning
                    || (d.kind != Kind::Typst
                        && d.kind != Kind::Fit
                        && (d.file.starts_with("data")
                            || d.hints
                                .iter()
                                .any(|h| h.starts_with("used by the `chart` block at"))
                            || charts
                                .iter()
                                .any(|c| c.start <= d.range.start && d.range.end <= c.end)))
            };
            let errors = failed
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error);
            if errors.clone().count() > 0 && failed.diagnostics.iter().all(allowed) {
                Ok(Built::ChartErrors)
            } else {
                Err(report(&project, &failed.diagnostics, "compile failed"))
            }
        }
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 400,
        max_shrink_time: 300_000,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    }
}

fn seed(n: u64) -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&n.to_le_bytes());
    seed[8..16].copy_from_slice(&0x6c65_6374_6572_6e21u64.to_le_bytes());
    seed
}

/// Runs `cases` cases from `seed`; on failure returns the shrunk case's message.
fn run(cases: u32, seed_bytes: [u8; 32]) -> Result<(), String> {
    let mut runner = TestRunner::new_with_rng(
        config(cases),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    match runner.run(&case(), |case| check(&case)) {
        Ok(()) => Ok(()),
        Err(TestError::Fail(reason, minimal)) => Err(format!(
            "minimal failing deck (seed {seed_bytes:?}):\n{reason}\n----- minimal deck.md (raw) -----\n{:?}",
            minimal.markdown
        )),
        Err(TestError::Abort(reason)) => Err(format!("aborted: {reason}")),
    }
}

#[test]
fn fuzz_short() {
    if let Err(message) = run(160, seed(7)) {
        panic!("{message}");
    }
}

#[test]
#[ignore = "long-running: cargo xtask fuzz"]
fn fuzz_long() {
    let seconds: u64 = std::env::var("LECTERN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let budget = Duration::from_secs(seconds);
    let start = Instant::now();
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    // Small rounds, each freshly seeded, so the time budget is kept and each round's seed
    // (printed on failure) reproduces it.
    const ROUND: u32 = 8;
    let mut cases = 0u64;
    let mut round = 0u64;
    while start.elapsed() < budget {
        let seed_bytes = seed(clock ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        if let Err(message) = run(ROUND, seed_bytes) {
            eprintln!(
                "fuzz: FAILED after {cases} cases, {:.0} s",
                start.elapsed().as_secs_f64()
            );
            panic!("{message}");
        }
        cases += u64::from(ROUND);
        round += 1;
        eprintln!(
            "fuzz: {cases} cases, {:.0} s",
            start.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "fuzz: done, {cases} cases in {:.0} s, no failure",
        start.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------------
// Regressions: the decks the fuzzer found, minimised.

fn regression(markdown: &str) {
    let case = Case {
        markdown: markdown.to_string(),
        gen_csv: VALID_CSV.to_string(),
    };
    if let Err(err) = check(&case) {
        panic!("{err}");
    }
}

#[test]
fn found_titles_and_footnotes_too_long_for_the_page() {
    let words: String = (0..80).map(|i| format!("word{i} ")).collect();
    let paragraphs: String = (0..40).map(|i| format!("Paragraph {i}.\n\n")).collect();
    let long = "note ".repeat(600);
    for markdown in [
        format!("## {words}\n"),
        format!("# {words}\n"),
        format!("---\ntitle: {words}\n---\n{words}\n"),
        format!("### S\n\n{paragraphs}x[^1]\n\n[^1]: short\n"),
        format!("### S\n\nx[^1]\n\n[^1]: {long}\n"),
    ] {
        regression(&markdown);
    }
}

#[test]
fn footnotes_on_title_and_section_slides_stay_on_their_page() {
    regression("## A[^1] b\n\n[^1]: short\n");
    regression("x[^1]\n\n[^1]: short\n");
}

#[test]
fn found_a_language_typst_does_not_know_is_a_warning() {
    regression("---\nlang: \"[x](y)\"\n---\n### S\n\ntext\n");
    regression("---\nlang: en-US\n---\n### S\n\ntext\n");
}

#[test]
fn found_display_math_in_headings_and_links_exports() {
    regression("## _\\ __$$h$$*_ *__ γ\n");
    regression("#### <em>_a _[](https://example.org)__</em> _$$ x $$ `]`_ *_`a`_*\n");
    regression("- ***[$x $](https://example.org)*** [*$$ x $$ a*](https://example.org)\n");
}

/// Replays one deck by hand: `LECTERN_FUZZ_DECK=path cargo test ... fuzz_replay -- --ignored`.
#[test]
#[ignore = "manual replay of a deck file"]
fn fuzz_replay() {
    let Ok(path) = std::env::var("LECTERN_FUZZ_DECK") else {
        return;
    };
    let markdown = std::fs::read_to_string(path).expect("read deck");
    if std::env::var_os("LECTERN_FUZZ_DUMP").is_some() {
        // The generated Typst, to see what a failing deck turned into.
        let (deck, _) = lectern_deck::parse_with(&markdown, "deck.md", &kinds());
        let generated = lectern_deck::generate(&deck, &Default::default());
        for slide in &generated.slides {
            eprintln!("----- {} -----\n{}", slide.path, slide.text);
        }
    }
    let case = Case {
        markdown,
        gen_csv: VALID_CSV.to_string(),
    };
    if let Err(err) = check(&case) {
        panic!("{err}");
    }
}

/// Prints a few generated decks, to see what the generator makes.
#[test]
#[ignore = "manual: prints samples"]
fn fuzz_samples() {
    let mut runner = TestRunner::new_with_rng(
        config(1),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed(1)),
    );
    for _ in 0..3 {
        let case = case().new_tree(&mut runner).expect("tree").current();
        eprintln!("=====\n{}", case.markdown);
    }
}

/// The fence kinds the shipped plugins draw (as the host passes them to the parser).
fn kinds() -> Vec<String> {
    ["chart", "dot", "graphviz", "qr", "table"]
        .map(String::from)
        .to_vec()
}
