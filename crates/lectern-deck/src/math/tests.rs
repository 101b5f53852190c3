//! Unit tests: expected conversions per family, located errors, robustness.

use super::*;
use std::ops::Range;

/// (LaTeX, expected Typst)
const CONVERSIONS: &[(&str, &str)] = &[
    ("P(task)", "P (t a s k)"),
    ("P(task | examples)", "P (t a s k | e x a m p l e s)"),
    ("x", "x"),
    ("3.14 r^2", "3.14 r^2"),
    ("1.5x", "1.5 x"),
    ("x^23", "x^2 3"),
    ("x^{23}", "x^(23)"),
    ("x_{i,j}^{2}", "x_(i , j)^2"),
    ("a_1'", "a'_1"),
    ("f'(x)", "f' (x)"),
    ("e^{-x^2}", "e^(- x^2)"),
    ("{}^{14}C", "\"\"^(14) C"),
    ("{a+b}^2", "attach(a + b)^2"),
    ("(a+b)^2", "(a + b)^2"),
    ("\\frac{a}{b}", "frac(a, b)"),
    ("\\frac12", "frac(1, 2)"),
    ("\\frac{f(a, b)}{2}", "frac(f (a \\, b), 2)"),
    ("\\frac{[0, 1)}{2}", "frac([0 \\, 1), 2)"),
    ("\\frac{a)}{b}", "frac(a\\), b)"),
    ("\\sqrt{x}", "sqrt(x)"),
    ("\\sqrt[3]{x+1}", "root(3, x + 1)"),
    (
        "\\alpha + \\Gamma + \\varepsilon + \\epsilon",
        "alpha + Gamma + epsilon + epsilon.alt",
    ),
    ("\\phi \\varphi", "phi.alt phi"),
    ("a \\cdot b \\times c \\div d", "a dot.op b times c div d"),
    ("\\pm \\mp", "plus.minus minus.plus"),
    (
        "a \\le b \\leq c \\ge d \\geq e \\ne f \\neq g",
        "a lt.eq b lt.eq c gt.eq d gt.eq e eq.not f eq.not g",
    ),
    ("a<=b", "a < = b"),
    ("a->b", "a - > b"),
    ("a||b", "a | | b"),
    ("[|x|]", "[ | x | ]"),
    ("x := y", "x : = y"),
    ("a...b", "a . . . b"),
    ("n!=m", "n ! = m"),
    ("a/b", "a \\/ b"),
    (
        "\\approx \\sim \\equiv \\propto",
        "approx tilde.op equiv prop",
    ),
    (
        "\\to \\rightarrow \\leftarrow \\Rightarrow \\Leftarrow \\iff",
        "arrow.r arrow.r arrow.l arrow.r.double arrow.l.double arrow.l.r.double.long",
    ),
    ("\\infty \\partial \\nabla", "infinity partial nabla"),
    (
        "x \\in A \\notin B \\subset C \\subseteq D",
        "x in A in.not B subset C subset.eq D",
    ),
    ("A \\cup B \\cap C", "A union B inter C"),
    ("\\forall x \\exists y", "forall x exists y"),
    (
        "1, \\ldots, n \\cdots \\dots",
        "1 , dots.h , n dots.h.c dots.h",
    ),
    ("\\sum_{i=1}^{n} i", "sum_(i = 1)^n i"),
    ("\\prod_i x_i", "product_i x_i"),
    (
        "\\int_0^\\infty f(x)\\,dx",
        "integral_0^(infinity) f (x) thin d x",
    ),
    (
        "\\lim_{x \\to 0} \\frac{\\sin x}{x}",
        "lim_(x arrow.r 0) frac(sin x, x)",
    ),
    ("\\sum\\limits_{k} a_k", "limits(sum)_k a_k"),
    (
        "\\log \\ln \\exp \\sin \\cos \\tan \\max \\min \\arg \\det",
        "log ln exp sin cos tan max min arg det",
    ),
    ("\\operatorname{softmax}(z)", "op(\"softmax\") (z)"),
    (
        "\\operatorname*{arg\\,max}_\\theta",
        "op(\"arg max\", limits: #true)_(theta)",
    ),
    ("\\text{if } x > 0", "\"if \" x > 0"),
    (
        "\\text{say \"hi\" \\& a\\textbackslash{}b}",
        "\"say \\\"hi\\\" & a\\\\b\"",
    ),
    ("\\mathrm{d}x", "upright(d) x"),
    (
        "\\mathbf{x} \\boldsymbol{\\mu}",
        "upright(bold(x)) bold(mu)",
    ),
    (
        "\\mathit{ab} \\mathbb{R}^n \\mathcal{L}",
        "italic(a b) bb(R)^n cal(L)",
    ),
    ("\\left( \\frac{a}{b} \\right)", "lr((frac(a, b)))"),
    ("\\left[ 0, 1 \\right)", "lr([0 \\, 1))"),
    ("\\left\\{ x \\right\\}", "lr({x})"),
    ("\\left| x \\right|", "lr(| x |)"),
    (
        "\\left. \\frac{df}{dx} \\right|_{x=0}",
        "lr(frac(d f, d x) |)_(x = 0)",
    ),
    ("\\left( x \\right.", "lr(\\(x)"),
    (
        "\\left\\langle u, v \\right\\rangle",
        "lr(chevron.l u \\, v chevron.r)",
    ),
    ("\\left( a \\middle| b \\right)", "lr((a mid(|) b))"),
    ("\\{ x \\}", "{x}"),
    ("\\{ x", "\\{x"),
    (
        "a\\,b\\;c\\quad d\\qquad e",
        "a thin b thick c quad d wide e",
    ),
    (
        "\\hat{x} \\bar{y} \\vec{v} \\tilde{z} \\dot{q} \\ddot{q}",
        "hat(x) macron(y) arrow(v) tilde(z) dot(q) dot.double(q)",
    ),
    ("50\\%", "50 %"),
    ("a \\\\ b", "a \\ b"),
    ("a \\\\", "a"),
    ("\\#\\$\\_\\&", "\\# \\$ \\_ \\&"),
    ("\"@", "\\\" \\@"),
    ("a % comment\n + b", "a + b"),
    (
        "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
        "mat(delim: \"(\", a, b; c, d)",
    ),
    (
        "\\begin{bmatrix} 1 & f(x, y) \\\\ \\end{bmatrix}",
        "mat(delim: \"[\", 1, f (x \\, y))",
    ),
    ("\\begin{matrix} a \\end{matrix}", "mat(delim: #none, a)"),
    (
        "|x| = \\begin{cases} x & \\text{if } x \\ge 0 \\\\ -x & \\text{otherwise} \\end{cases}",
        "| x | = cases(x & \"if \" x gt.eq 0, - x & \"otherwise\")",
    ),
    (
        "\\begin{aligned} a &= b \\\\ &= c \\end{aligned}",
        "a & = b \\ & = c",
    ),
    ("\\binom{n}{k}", "binom(n, k)"),
    ("\\displaystyle \\sum_i x_i", "display(sum_i x_i)"),
    ("\\overbrace{a+b}^{n}", "overbrace(a + b, n)"),
    ("\\underbrace{a+b}_{n}", "underbrace(a + b, n)"),
    ("\\overset{!}{=}", "limits(=)^(!)"),
    ("a \\not= b \\not\\in C", "a eq.not b in.not C"),
    ("\\mathbb{E}_{x \\sim p}[x]", "bb(E)_(x tilde.op p) [x]"),
    ("a \\bmod b \\pmod{n}", "a mod b quad (mod n)"),
    ("\\sum_{\\substack{i \\\\ j}} x", "sum_(i \\ j) x"),
    ("\\xrightarrow{f}", "stretch(arrow.r)^f"),
    ("\\big( x \\big)", "(x)"),
    ("\\Pr(A \\mid B)", "Pr (A divides B)"),
    ("α + β", "α + β"),
    ("a ≤ b", "a \\≤ b"),
    ("\\frac{}{}", "frac(\"\", \"\")"),
    ("x^{}", "x"),
    ("a~b", "a thick b"),
    ("\\|x\\|", "bar.v.double x bar.v.double"),
    ("\\|x\\|_2^2", "bar.v.double x bar.v.double_2^2"),
];

/// (LaTeX, expected message substring, expected byte range)
const ERRORS: &[(&str, &str, Range<usize>)] = &[
    ("\\foo", "unsupported LaTeX command `\\foo`", 0..4),
    ("a + \\foo{x}", "unsupported LaTeX command `\\foo`", 4..8),
    ("{a", "unclosed `{`", 0..1),
    ("a}", "unmatched `}`", 1..2),
    ("x^", "`^` is missing its argument", 1..2),
    ("x_", "`_` is missing its argument", 1..2),
    ("x^}", "`^` is missing its argument", 1..2),
    ("x^a^b", "double superscript", 3..4),
    ("\\frac{a}", "`\\frac` is missing its argument", 0..5),
    (
        "\\begin{tabular}{cc} a \\end{tabular}",
        "unsupported LaTeX environment `tabular`",
        0..15,
    ),
    (
        "\\begin{pmatrix} a",
        "`\\begin{pmatrix}` without `\\end{pmatrix}`",
        0..15,
    ),
    (
        "\\begin{pmatrix} a \\end{bmatrix}",
        "closed by `\\end{bmatrix}`",
        18..31,
    ),
    ("\\left( x", "`\\left` without a matching `\\right`", 0..5),
    ("x \\right)", "`\\right` without a matching `\\left`", 2..8),
    ("\\left x \\right)", "must be followed by a delimiter", 0..5),
    ("a & b", "`&` is only allowed inside an environment", 2..3),
    ("\\frac{a \\\\ b}{c}", "line break", 8..10),
    ("\\text{$x", "`$` inside `\\text` is not closed", 6..7),
    (
        "\\text{\\alpha}",
        "unsupported command `\\alpha` inside `\\text`",
        6..12,
    ),
    ("a \\", "lone `\\`", 2..3),
    ("#1", "`#` is not allowed", 0..1),
    ("\\not\\{", "unsupported negation", 0..6),
    ("\\end{x}", "`\\end` without a matching `\\begin`", 0..4),
    ("\\sqrt[3{x}", "unclosed `[`", 5..6),
    ("\\limits", "must follow an operator", 0..7),
    ("\\operatorname{}", "needs a name", 0..13),
];

/// Checks a conversion table, reporting every mismatch at once.
fn check_conversions(table: &[(&str, &str)]) {
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(latex, expected)| {
            let got = latex_to_typst(latex);
            (got.as_deref() != Ok(*expected))
                .then(|| format!("{latex:?}\n  expected {expected:?}\n  got      {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn conversions() {
    check_conversions(CONVERSIONS);
}

#[test]
fn errors() {
    let mut failures = Vec::new();
    for (latex, message, range) in ERRORS {
        match latex_to_typst(latex) {
            Ok(typst) => failures.push(format!("{latex:?} converted to {typst:?}")),
            Err(error) => {
                if !error.message.contains(message) || error.range != *range {
                    failures.push(format!(
                        "{latex:?}: got {:?} at {:?}, expected {message:?} at {range:?}",
                        error.message, error.range
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let latex = format!("{}x{}", "{".repeat(10_000), "}".repeat(10_000));
    let error = latex_to_typst(&latex).expect_err("too deep");
    assert!(error.message.contains("nested too deeply"));
    let latex = "\\sqrt".repeat(10_000) + "x";
    assert!(latex_to_typst(&latex).is_err());
}

#[test]
fn never_panics_on_arbitrary_input() {
    // Every prefix of every test input, which cuts constructs off at every position.
    let inputs = CONVERSIONS
        .iter()
        .map(|c| c.0)
        .chain(ERRORS.iter().map(|e| e.0));
    for input in inputs {
        for (i, _) in input.char_indices() {
            let _ = latex_to_typst(&input[..i]);
            let _ = latex_to_typst(&input[i..]);
        }
    }
}

/// New families: (LaTeX, expected Typst).
const FAMILIES: &[(&str, &str)] = &[
    // Colours: a switch colours the rest of its group, segment by segment.
    ("\\color{red} x + y", "text(fill: #rgb(\"#ff0000\"), x + y)"),
    (
        "a {\\color{blue} b} c",
        "a text(fill: #rgb(\"#0000ff\"), b) c",
    ),
    (
        "\\textcolor{#FF8000}{x}",
        "text(fill: #rgb(\"#ff8000\"), x)",
    ),
    (
        "\\color[HTML]{00FF00} x",
        "text(fill: #rgb(\"#00ff00\"), x)",
    ),
    (
        "\\color[rgb]{1,0,0.5} x",
        "text(fill: #rgb(\"#ff0080\"), x)",
    ),
    ("\\color{red!50} x", "text(fill: #rgb(\"#ff8080\"), x)"),
    (
        "\\begin{aligned} \\color{red} a &= b \\end{aligned}",
        // Each cell is a group in LaTeX: the switch ends with it.
        "text(fill: #rgb(\"#ff0000\"), a) & = b",
    ),
    (
        "\\colorbox{yellow}{hi}",
        "#box(fill: rgb(\"#ffff00\"), inset: (x: 0.2em), outset: (y: 0.2em), $\"hi\"$)",
    ),
    (
        "\\fcolorbox{red}{white}{a}",
        "#box(stroke: 0.5pt + rgb(\"#ff0000\"), fill: rgb(\"#ffffff\"), inset: (x: 0.2em), outset: (y: 0.2em), $\"a\"$)",
    ),
    // Infix commands split their group.
    ("{a \\over b}", "frac(a, b)"),
    ("1 + {n \\choose k}", "1 + binom(n, k)"),
    ("{a \\atop b}", "vec(delim: #none, a, b)"),
    (
        "{a \\brace b} {a \\brack b}",
        "vec(delim: \"{\", a, b) vec(delim: \"[\", a, b)",
    ),
    ("{a \\above 2pt b}", "frac(a, b)"),
    // Environments.
    ("\\begin{equation} x = 1 \\end{equation}", "x = 1"),
    (
        "\\begin{align*} a &= b \\\\ c &= d \\end{align*}",
        "a & = b \\ c & = d",
    ),
    ("\\begin{gather} a \\\\ b \\end{gather}", "a \\ b"),
    (
        "\\begin{alignat}{2} a &= b & c &= d \\end{alignat}",
        "a & = b & c & = d",
    ),
    ("\\begin{eqnarray} y &=& x \\end{eqnarray}", "y & = x"),
    (
        "\\begin{equation} x \\label{e} \\tag{1} \\end{equation}",
        "x wide \"(1)\"",
    ),
    ("x \\tag*{A} \\nonumber \\notag", "x wide \"A\""),
    (
        "\\begin{pmatrix*}[r] 1 & -2 \\end{pmatrix*}",
        "mat(delim: \"(\", align: #right, 1, - 2)",
    ),
    (
        "\\begin{smallmatrix} a & b \\end{smallmatrix}",
        "script(mat(delim: #none, a, b))",
    ),
    (
        "\\begin{array}{c|c} a & b \\\\ \\hline c & d \\end{array}",
        "mat(delim: #none, augment: #(hline: (1,), vline: (1,)), a, b; c, d)",
    ),
    (
        "\\begin{array}{|l|l|} a & b \\end{array}",
        "mat(delim: #none, align: #left, augment: #(hline: (), vline: (1,)), a, b)",
    ),
    (
        "\\begin{dcases} a & b \\end{dcases}",
        "display(cases(a & b))",
    ),
    (
        "\\begin{rcases} a \\end{rcases}",
        "cases(reverse: #true, a)",
    ),
    (
        "x_{\\begin{subarray}{l} i \\\\ j \\end{subarray}}",
        "x_(i \\ j)",
    ),
    // Operator classes.
    (
        "\\operatorname*{ess\\,sup}",
        "op(\"ess sup\", limits: #true)",
    ),
    ("\\mathop{X}", "op(X, limits: #true)"),
    ("a \\mathrel{R} b", "a class(\"relation\", R) b"),
    ("\\mathbin{\\#}", "class(\"binary\", \\#)"),
    ("\\argmax_x", "op(\"arg max\", limits: #true)_x"),
    ("\\sgn x", "op(\"sgn\") x"),
    // Modular arithmetic.
    ("a \\pmod{n}", "a quad (mod n)"),
    (
        "a \\pod{n} \\bmod b \\mod{m}",
        "a quad (n) mod b quad mod thin m",
    ),
    // Sizes and old-style font switches.
    ("\\large x", "text(size: #1.2em, x)"),
    (
        "{\\tiny a} {\\Huge b}",
        "text(size: #0.5em, a) text(size: #2.488em, b)",
    ),
    (
        "{\\rm d}x {\\bf v} {\\cal L}",
        "upright(d) x upright(bold(v)) cal(L)",
    ),
    ("{\\it a \\sf b}", "italic(a upright(sans(b)))"),
    // Text mode.
    (
        "\\text{caf\\'e \\\"o \\^a \\`a \\~n \\=a \\.z}",
        "\"café ö â à ñ ā ż\"",
    ),
    (
        "\\text{\\u{a} \\v{s} \\H{o} \\c{c} \\r{a} \\k{a}}",
        "\"ă š ő ç å ą\"",
    ),
    ("\\text{\\ss \\ae \\o \\aa \\i \\j \\l}", "\"ßæøåıȷł\""),
    ("\\text{\\ss{} x}", "\"ß x\""),
    ("\\text{\\'{\\i}}", "\"í\""),
    ("\\text{a \\textbf{b} c}", "\"a \" bold(\"b\") \" c\""),
    ("\\text{if $x > 0$}", "\"if \" x > 0"),
    ("\\text{#x}", "\"#x\""),
    (
        "\\textsf{a} \\texttt{b} \\emph{c}",
        "sans(\"a\") mono(\"b\") italic(\"c\")",
    ),
    (
        "\\boxed{x}",
        "#box(stroke: 0.5pt, inset: 0.25em, $display(x)$)",
    ),
    ("\\fbox{t}", "#box(stroke: 0.5pt, inset: 0.25em, $\"t\"$)"),
    ("\\TeX \\LaTeX", "\"TeX\" \"LaTeX\""),
    // Extensible arrows.
    ("\\xrightarrow[b]{a}", "stretch(arrow.r)_b^a"),
    ("\\xLeftrightarrow{x}", "stretch(arrow.l.r.double)^x"),
    (
        "\\xmapsto{f} \\xlongequal{d}",
        "stretch(arrow.r.bar)^f stretch(eq)^d",
    ),
    (
        "\\xhookrightarrow{i} \\xtwoheadrightarrow{q}",
        "stretch(arrow.r.hook)^i stretch(arrow.r.twohead)^q",
    ),
    // Over/under constructions.
    (
        "\\overbracket{a}^{n} \\underparen{b}",
        "overbracket(a, n) underparen(b)",
    ),
    ("\\overleftrightarrow{AB}", "accent(A B, arrow.l.r)"),
    ("\\underrightarrow{x}", "accent(x, #\"\\u{20ef}\")"),
    ("\\overgroup{x} \\widecheck{y}", "overshell(x) caron(y)"),
    (
        "\\oiint \\oiiint \\iiiint \\intop",
        "integral.surf integral.vol integral.quad integral",
    ),
    // Negation.
    (
        "\\not< \\not\\equiv \\not\\subset",
        "lt.not equiv.not subset.not",
    ),
    (
        "\\not\\to \\not a",
        "arrow.r.not class(\"relation\", cancel(a))",
    ),
    (
        "\\nless \\ngtr \\nsubset \\notni",
        "lt.not gt.not subset.not in.rev.not",
    ),
    // Spacing, phantoms and laps.
    ("a \\kern1em b \\mkern18mu c", "a #h(1em) b #h(1em) c"),
    ("a \\hskip 2pt plus 1fil b", "a #h(2pt) b"),
    (
        "a \\hspace{0.5em} b \\hspace*{3mm} c",
        "a #h(0.5em) b #h(3mm) c",
    ),
    ("a \\nobreak b \\allowbreak c", "a b c"),
    ("\\phantom{x}", "#hide($x$)"),
    (
        "\\vphantom{x} \\hphantom{y}",
        "#box(width: 0pt, hide($x$)) #box(height: 0pt, hide($y$))",
    ),
    ("\\smash[b]{y}", "y"),
    (
        "\\rlap{r} \\mathllap{l}",
        "#box(width: 0pt, $\"r\"$) #box(width: 0pt, align(right, $l$))",
    ),
    ("\\raisebox{0.5em}{up}", "#box(move(dy: -0.5em, $\"up\"$))"),
    ("a \\\\[2pt] b \\newline c", "a \\ b \\ c"),
    // Fractions, scripts and cancellations.
    (
        "\\dfrac{a}{b} \\tfrac12",
        "display(frac(a, b)) inline(frac(1, 2))",
    ),
    (
        "\\dbinom{n}{k} \\tbinom{n}{k}",
        "display(binom(n, k)) inline(binom(n, k))",
    ),
    ("\\cfrac{1}{x}", "display(frac(1, x))"),
    ("\\genfrac(){0pt}{}{a}{b}", "lr((vec(delim: #none, a, b)))"),
    ("\\genfrac{}{}{1pt}{1}{a}{b}", "inline(frac(a, b))"),
    (
        "\\sideset{_1^2}{_3^4}\\sum_i^n",
        "attach(limits(sum), tl: 2, bl: 1, tr: 4, br: 3, b: i, t: n)",
    ),
    ("\\prescript{a}{b}{X}", "attach(X, tl: a, bl: b)"),
    (
        "\\bcancel{x} \\xcancel{y} \\sout{z}",
        "cancel(x, inverted: #true) cancel(y, cross: #true) cancel(z, angle: #90deg)",
    ),
    ("\\cancelto{0}{x}", "attach(cancel(x), tr: 0)"),
    // Symbols.
    (
        "\\digamma \\varGamma \\Alpha",
        "digamma italic(Gamma) upright(A)",
    ),
    (
        "\\lesssim \\gtrsim \\circledast \\boxplus",
        "lt.tilde gt.tilde convolve.o plus.square",
    ),
    (
        "\\longmapsto \\twoheadrightarrow \\rightleftharpoons \\leadsto \\nearrow",
        "arrow.r.long.bar arrow.r.twohead harpoons.rtlb arrow.r.squiggly arrow.tr",
    ),
    (
        "\\checkmark \\S \\P \\copyright \\pounds \\maltese",
        "checkmark section pilcrow copyright pound maltese",
    ),
    ("\\hbar \\eth \\Bbbk \\wp \\mho", "ℏ ð bb(k) pee Omega.inv"),
    (
        "\\left\\lVert x \\right\\rVert",
        "lr(bar.v.double x bar.v.double)",
    ),
    (
        "\\left\\llbracket x \\right\\rrbracket",
        "lr(bracket.l.stroked x bracket.r.stroked)",
    ),
    (
        "\\left\\ulcorner x \\right\\urcorner",
        "lr(corner.l.t x corner.r.t)",
    ),
    ("\\left/ x \\right\\backslash", "lr(\\/ x backslash)"),
    ("\\bigl( x \\bigr)", "(x)"),
    ("\\char\"263A", "\\☺"),
    (
        "\\rule{1em}{2pt}",
        "#box(width: 1em, height: 2pt, fill: black)",
    ),
    ("\\bra{a} \\ket{b}", "chevron.l a | | b chevron.r"),
];

/// New families' errors: (LaTeX, expected message substring, expected byte range).
const FAMILY_ERRORS: &[(&str, &str, Range<usize>)] = &[
    ("\\color{nocolour} x", "unknown colour `nocolour`", 7..15),
    ("\\textcolor{#12}{x}", "unknown colour `#12`", 11..14),
    (
        "\\color[cmyk]{0,1,1,0} x",
        "unsupported colour model `cmyk`",
        7..11,
    ),
    (
        "\\color[rgb]{2,0,0} x",
        "needs 3 numbers from 0 to 1",
        12..17,
    ),
    ("\\begin{CD} A \\end{CD}", "commutative diagrams", 0..10),
    (
        "\\begin{array}{cp{2cm}} a \\end{array}",
        "unsupported column type `p`",
        14..21,
    ),
    ("\\kern x", "needs a length", 0..5),
    ("\\text{\\'1}", "must be followed by a letter", 6..8),
    ("\\def\\x{y}", "`\\def` is not supported", 0..4),
    (
        "\\begin{aligned}a\\\\b\\end{aligned} \\over c",
        "cannot span a line break",
        33..38,
    ),
    (
        "\\begin{pmatrix*}[x] a \\end{pmatrix*}",
        "must be `l`, `c` or `r`",
        17..18,
    ),
];

#[test]
fn families() {
    check_conversions(FAMILIES);
    let mut failures = Vec::new();
    for (latex, message, range) in FAMILY_ERRORS {
        match latex_to_typst(latex) {
            Ok(typst) => failures.push(format!("{latex:?} converted to {typst:?}")),
            Err(error) if !error.message.contains(message) || error.range != *range => {
                failures.push(format!(
                    "{latex:?}: got {:?} at {:?}, expected {message:?} at {range:?}",
                    error.message, error.range
                ));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tables_are_sorted_for_binary_search() {
    for table in [symbols::SYMBOLS, symbols::NEGATED] {
        for pair in table.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{:?} before {:?}",
                pair[0].0,
                pair[1].0
            );
        }
    }
}

#[test]
fn family_inputs_never_panic() {
    for input in FAMILIES
        .iter()
        .map(|c| c.0)
        .chain(FAMILY_ERRORS.iter().map(|e| e.0))
    {
        for (i, _) in input.char_indices() {
            let _ = latex_to_typst(&input[..i]);
            let _ = latex_to_typst(&input[i..]);
        }
    }
}
