//! The themes and fonts compiled into the binary, so that `lectern` builds a deck in any
//! folder with no flags. A `themes/` folder near the deck (or `--themes`) overrides them.

/// A theme whose files are part of the binary.
#[derive(Debug, PartialEq)]
pub struct BuiltinTheme {
    pub name: &'static str,
    /// One line for `lectern themes`.
    pub description: &'static str,
    /// Files by their path inside the theme folder (`theme.typ`, `palette.toml`).
    pub files: &'static [(&'static str, &'static [u8])],
}

impl BuiltinTheme {
    /// The bytes of a file of the theme, by its path inside the theme folder.
    pub fn file(&self, path: &str) -> Option<&'static [u8]> {
        self.files
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, bytes)| *bytes)
    }
}

macro_rules! repo_file {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../", $path))
    };
}

/// The built-in themes; the first is the default. `dusk`, `contrast` and `scholar` are aula's
/// layouts with palettes of their own: their `theme.typ` imports aula's from the binary.
pub const THEMES: &[BuiltinTheme] = &[
    BuiltinTheme {
        name: "aula",
        description: "clean, high-contrast light slides for lecture halls (the default)",
        files: &[
            ("theme.typ", repo_file!("themes/aula/theme.typ")),
            ("palette.toml", repo_file!("themes/aula/palette.toml")),
        ],
    },
    BuiltinTheme {
        name: "dusk",
        description: "dark slides for dim halls: light text on deep slate, charts and code to match",
        files: &[
            ("theme.typ", repo_file!("themes/dusk/theme.typ")),
            ("palette.toml", repo_file!("themes/dusk/palette.toml")),
            ("code.tmTheme", repo_file!("themes/dusk/code.tmTheme")),
        ],
    },
    BuiltinTheme {
        name: "contrast",
        description: "black on white at WCAG AAA (7:1) for all text and chart lines",
        files: &[
            ("theme.typ", repo_file!("themes/contrast/theme.typ")),
            ("palette.toml", repo_file!("themes/contrast/palette.toml")),
            ("code.tmTheme", repo_file!("themes/contrast/code.tmTheme")),
        ],
    },
    BuiltinTheme {
        name: "scholar",
        description: "classic academic: serif type on warm white, navy titles, a band with title and institution",
        files: &[
            ("theme.typ", repo_file!("themes/scholar/theme.typ")),
            ("palette.toml", repo_file!("themes/scholar/palette.toml")),
        ],
    },
];

/// The built-in theme named `name`.
pub fn theme(name: &str) -> Option<&'static BuiltinTheme> {
    THEMES.iter().find(|theme| theme.name == name)
}

/// The fonts the built-in themes use, plus the emoji fallback: Inter (sans), JetBrains Mono
/// (code) and Noto Emoji (monochrome outlines, a fraction of a colour emoji font's size).
/// In the order of their paths: the order matters where Typst picks between equally close
/// weights (`strong` is 650, between SemiBold and Bold: the first in the book wins).
pub const FONTS: &[&[u8]] = &[
    repo_file!("themes/fonts/inter/Inter-Bold.otf"),
    repo_file!("themes/fonts/inter/Inter-BoldItalic.otf"),
    repo_file!("themes/fonts/inter/Inter-Italic.otf"),
    repo_file!("themes/fonts/inter/Inter-Regular.otf"),
    repo_file!("themes/fonts/inter/Inter-SemiBold.otf"),
    repo_file!("themes/fonts/inter/Inter-SemiBoldItalic.otf"),
    repo_file!("themes/fonts/jetbrains-mono/JetBrainsMono-Bold.ttf"),
    repo_file!("themes/fonts/jetbrains-mono/JetBrainsMono-Italic.ttf"),
    repo_file!("themes/fonts/jetbrains-mono/JetBrainsMono-Regular.ttf"),
    repo_file!("themes/fonts/noto-emoji/NotoEmoji-Regular.ttf"),
];
