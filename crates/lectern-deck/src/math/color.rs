//! Colours for `\color`, `\textcolor`, `\colorbox` and `\fcolorbox`: xcolor and CSS names,
//! hex codes, the `[HTML]`, `[rgb]`, `[RGB]` and `[gray]` models and xcolor mixes
//! (`red!30`, `blue!50!green`), as a Typst code expression `rgb("#rrggbb")`.

/// Named colours: xcolor's base names (with xcolor's values), then common CSS names.
const NAMED: &[(&str, u32)] = &[
    ("black", 0x000000),
    ("blue", 0x0000ff),
    ("brown", 0xbf8040),
    ("cyan", 0x00ffff),
    ("darkgray", 0x404040),
    ("darkgrey", 0x404040),
    ("gray", 0x808080),
    ("grey", 0x808080),
    ("green", 0x00ff00),
    ("lightgray", 0xbfbfbf),
    ("lightgrey", 0xbfbfbf),
    ("lime", 0xbfff00),
    ("magenta", 0xff00ff),
    ("olive", 0x808000),
    ("orange", 0xff8000),
    ("pink", 0xffbfbf),
    ("purple", 0xbf0040),
    ("red", 0xff0000),
    ("teal", 0x008080),
    ("violet", 0x800080),
    ("white", 0xffffff),
    ("yellow", 0xffff00),
    // CSS names KaTeX decks use.
    ("aqua", 0x00ffff),
    ("beige", 0xf5f5dc),
    ("chocolate", 0xd2691e),
    ("coral", 0xff7f50),
    ("crimson", 0xdc143c),
    ("darkblue", 0x00008b),
    ("darkcyan", 0x008b8b),
    ("darkgreen", 0x006400),
    ("darkmagenta", 0x8b008b),
    ("darkorange", 0xff8c00),
    ("darkred", 0x8b0000),
    ("darkviolet", 0x9400d3),
    ("deepskyblue", 0x00bfff),
    ("dodgerblue", 0x1e90ff),
    ("firebrick", 0xb22222),
    ("forestgreen", 0x228b22),
    ("fuchsia", 0xff00ff),
    ("gold", 0xffd700),
    ("goldenrod", 0xdaa520),
    ("hotpink", 0xff69b4),
    ("indigo", 0x4b0082),
    ("khaki", 0xf0e68c),
    ("lavender", 0xe6e6fa),
    ("lightblue", 0xadd8e6),
    ("lightgreen", 0x90ee90),
    ("limegreen", 0x32cd32),
    ("maroon", 0x800000),
    ("navy", 0x000080),
    ("orangered", 0xff4500),
    ("orchid", 0xda70d6),
    ("plum", 0xdda0dd),
    ("royalblue", 0x4169e1),
    ("salmon", 0xfa8072),
    ("seagreen", 0x2e8b57),
    ("sienna", 0xa0522d),
    ("silver", 0xc0c0c0),
    ("skyblue", 0x87ceeb),
    ("slategray", 0x708090),
    ("steelblue", 0x4682b4),
    ("tan", 0xd2b48c),
    ("tomato", 0xff6347),
    ("turquoise", 0x40e0d0),
];

/// A colour spec as a Typst code expression (prefix `#` in math), or why it is not one.
pub(super) fn parse_color(model: Option<&str>, spec: &str) -> Result<String, String> {
    let rgb = match model {
        None => named_or_mix(spec)?,
        Some("HTML") => {
            hex(spec).ok_or_else(|| format!("`{spec}` is not an HTML colour like `FF8000`"))?
        }
        Some("rgb") => components(spec, 3, 1.0)?,
        Some("RGB") => components(spec, 3, 255.0)?,
        Some("gray") => components(spec, 1, 1.0)?,
        Some(other) => {
            return Err(format!(
                "unsupported colour model `{other}`: use `HTML`, `rgb`, `RGB` or `gray`"
            ));
        }
    };
    Ok(format!("rgb(\"#{rgb:06x}\")"))
}

/// `red`, `#ff0000`, `ff0000`, `#f00`, or an xcolor mix `red!30` / `red!30!blue`.
fn named_or_mix(spec: &str) -> Result<u32, String> {
    let mut parts = spec.split('!');
    let first = parts.next().unwrap_or_default().trim();
    let mut color = single(first)?;
    while let Some(percent) = parts.next() {
        let p: f64 = percent
            .trim()
            .parse()
            .ok()
            .filter(|p| (0.0..=100.0).contains(p))
            .ok_or_else(|| format!("`{percent}` in `{spec}` is not a percentage from 0 to 100"))?;
        let other = match parts.next() {
            Some(name) => single(name.trim())?,
            None => 0xffffff,
        };
        color = mix(color, other, p / 100.0);
    }
    Ok(color)
}

fn single(name: &str) -> Result<u32, String> {
    if let Some(&(_, rgb)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Ok(rgb);
    }
    hex(name).ok_or_else(|| {
        format!("unknown colour `{name}`: use a name such as `red` or a hex code such as `#ff8000`")
    })
}

fn hex(text: &str) -> Option<u32> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match digits.len() {
        6 => u32::from_str_radix(digits, 16).ok(),
        3 => {
            let v = u32::from_str_radix(digits, 16).ok()?;
            let (r, g, b) = ((v >> 8) & 0xf, (v >> 4) & 0xf, v & 0xf);
            Some(((r * 17) << 16) | ((g * 17) << 8) | (b * 17))
        }
        _ => None,
    }
}

/// `n` comma-separated components from 0 to `max` (one for gray).
fn components(spec: &str, n: usize, max: f64) -> Result<u32, String> {
    let values: Vec<f64> = spec
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{spec}` is not a list of numbers"))?;
    if values.len() != n || values.iter().any(|v| !(0.0..=max).contains(v)) {
        return Err(format!("`{spec}` needs {n} numbers from 0 to {max}"));
    }
    let byte = |v: f64| ((v / max) * 255.0).round() as u32;
    Ok(match values.as_slice() {
        [g] => byte(*g) * 0x010101,
        [r, g, b] => (byte(*r) << 16) | (byte(*g) << 8) | byte(*b),
        _ => unreachable!("checked length"),
    })
}

/// `p` of `a` and `1 - p` of `b`, per channel.
fn mix(a: u32, b: u32, p: f64) -> u32 {
    let channel = |shift: u32| {
        let (x, y) = (
            f64::from((a >> shift) & 0xff),
            f64::from((b >> shift) & 0xff),
        );
        ((x * p + y * (1.0 - p)).round() as u32) << shift
    };
    channel(16) | channel(8) | channel(0)
}
