//! Data-driven tests of `parse_dataset` against the fixtures in `tests/data/` at the workspace root.

use lectern_data::{DataError, Dataset, Values, check_positive, line_column, parse_dataset};

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn parse_fixture(name: &str) -> (String, Result<Dataset, Vec<DataError>>) {
    let text = fixture(name);
    let result = parse_dataset(name, &text);
    (text, result)
}

/// The three valid fixtures hold the same table, so they must parse to the same columns.
#[test]
fn valid_fixtures_parse_to_the_same_table() {
    for name in ["valid.toml", "valid.csv", "valid.json"] {
        let (text, result) = parse_fixture(name);
        let dataset = result.unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        assert_eq!(dataset.len(), 4, "{name}");
        assert!(!dataset.is_empty());
        assert_eq!(
            dataset.column_names(),
            ["size", "params", "zero_shot"],
            "{name}"
        );

        let size = dataset.column("size").unwrap();
        assert_eq!(
            size.values,
            Values::Text(vec![
                "125M".into(),
                "350M".into(),
                "1.3B".into(),
                "175B".into()
            ]),
            "{name}"
        );
        assert_eq!(size.numbers(), None);
        let params = dataset.column("params").unwrap();
        assert_eq!(
            params.numbers(),
            Some(&[0.125, 0.35, 1.3, 175.0][..]),
            "{name}"
        );
        assert_eq!(params.unit.as_deref(), Some("B"), "{name}");
        let zero_shot = dataset.column("zero_shot").unwrap();
        assert_eq!(zero_shot.texts(), ["25", "28.5", "35", "6.7"], "{name}");
        assert_eq!(zero_shot.unit.as_deref(), Some("%"), "{name}");
        assert!(dataset.column("missing").is_none());

        // Every recorded range must point at the value's own text in the file.
        for column in &dataset.columns {
            assert_eq!(
                &text[column.name_range.clone()].trim_matches('"'),
                &column.name,
                "{name}"
            );
            assert_eq!(column.value_ranges.len(), column.values.len(), "{name}");
            for (range, value) in column.value_ranges.iter().zip(column.texts()) {
                let source = text[range.clone()].trim_matches('"');
                match column.numbers() {
                    Some(_) => assert_eq!(
                        source.parse::<f64>().ok(),
                        value.parse::<f64>().ok(),
                        "{name}"
                    ),
                    None => assert_eq!(source, value, "{name}"),
                }
            }
        }
    }
}

#[test]
fn toml_and_json_keep_title_description_and_labels() {
    for name in ["valid.toml", "valid.json"] {
        let dataset = parse_fixture(name).1.unwrap();
        assert_eq!(
            dataset.title.as_deref(),
            Some("Few-shot accuracy by model size")
        );
        assert_eq!(
            dataset.description.as_deref(),
            Some("Stylised data from the GPT-3 paper")
        );
        let size = dataset.column("size").unwrap();
        assert_eq!(size.display_name(), "Размер на модела");
        assert_eq!(dataset.column("params").unwrap().display_name(), "params");
    }
}

/// (fixture, message substring, line, column, number of errors) for every kind of error.
const BAD: &[(&str, &str, usize, usize, usize)] = &[
    // TOML
    ("bad-syntax.toml", "invalid basic string", 1, 22, 1),
    (
        "bad-unknown-key.toml",
        "unknown key `colour` in a column",
        3,
        1,
        1,
    ),
    (
        "bad-columns-key.toml",
        "unknown key `columns` in the dataset",
        2,
        3,
        1,
    ),
    (
        "bad-mixed.toml",
        "`zero_shot` row 3: expected a number, found a string",
        3,
        21,
        1,
    ),
    (
        "bad-text-mixed.toml",
        "`size` row 2: expected a string, found a number",
        3,
        19,
        1,
    ),
    (
        "bad-bool.toml",
        "`flag` row 2: expected a number or a string, found a boolean",
        3,
        14,
        1,
    ),
    ("bad-empty.toml", "dataset is empty", 1, 1, 1),
    (
        "bad-no-values.toml",
        "column `size` has no values",
        3,
        10,
        1,
    ),
    ("bad-missing-name.toml", "column has no `name`", 1, 1, 1),
    (
        "bad-length.toml",
        "column `zero_shot` has 2 values, but the first column `size` has 3",
        6,
        8,
        1,
    ),
    (
        "bad-nan.toml",
        "`loss` row 2: NaN is not a finite number",
        3,
        16,
        2,
    ),
    (
        "bad-duplicate.toml",
        "duplicate column name `size`",
        6,
        8,
        1,
    ),
    (
        "bad-name.toml",
        "column name `zero shot` is not a simple identifier",
        2,
        8,
        1,
    ),
    // CSV
    (
        "bad-length.csv",
        "row 2 has 1 field, but the header has 2",
        3,
        1,
        1,
    ),
    (
        "bad-mixed.csv",
        "`zero_shot` row 2: expected a number, found a string",
        3,
        6,
        1,
    ),
    (
        "bad-bom-mixed.csv",
        "`n` row 2: expected a number, found a string",
        6,
        3,
        1,
    ),
    ("bad-empty-cell.csv", "`size` row 2 is empty", 3, 1, 1),
    ("bad-empty.csv", "dataset is empty", 2, 1, 1),
    (
        "bad-nan.csv",
        "`loss` row 1: inf is not a finite number",
        2,
        6,
        1,
    ),
    ("bad-duplicate.csv", "duplicate column name `size`", 1, 6, 1),
    (
        "bad-name.csv",
        "column name `Размер` is not a simple identifier",
        1,
        6,
        1,
    ),
    // JSON
    ("bad-syntax.json", "expected value", 3, 39, 1),
    ("bad-top-level.json", "a dataset must be an object", 1, 1, 1),
    (
        "bad-unknown-key.json",
        "unknown key `colour` in a column",
        3,
        41,
        1,
    ),
    ("bad-duplicate-key.json", "duplicate key `title`", 1, 19, 1),
    (
        "bad-mixed.json",
        "`zero_shot` row 3: expected a number, found a string",
        4,
        18,
        1,
    ),
    (
        "bad-null.json",
        "`x` row 2: expected a number or a string, found null",
        1,
        42,
        1,
    ),
    ("bad-empty.json", "dataset is empty", 1, 34, 1),
    (
        "bad-no-values.json",
        "column `size` has no values",
        1,
        43,
        1,
    ),
    (
        "bad-length.json",
        "column `zero_shot` has 3 values, but the first column `size` has 2",
        4,
        15,
        1,
    ),
    ("bad-duplicate.json", "duplicate column name `a`", 3, 13, 1),
];

#[test]
fn bad_fixtures_report_located_errors() {
    for &(name, message, line, column, count) in BAD {
        let (text, result) = parse_fixture(name);
        let errors = result
            .err()
            .unwrap_or_else(|| panic!("{name}: parsed without errors"));
        let first = &errors[0];
        assert!(
            first.message.contains(message),
            "{name}: got {:?}",
            first.message
        );
        assert_eq!(
            line_column(&text, first.range.start),
            (line, column),
            "{name}: {first:?}"
        );
        assert_eq!(errors.len(), count, "{name}: {errors:?}");
    }
}

#[test]
fn unknown_extension_is_an_error() {
    let errors = parse_dataset("sizes.yaml", "size: [1]").unwrap_err();
    assert!(errors[0].message.contains("unknown data format `.yaml`"));
}

#[test]
fn check_positive_points_at_the_first_value_not_above_zero() {
    let dataset = parse_fixture("valid.toml").1.unwrap();
    assert_eq!(check_positive(dataset.column("params").unwrap()), Ok(()));
    assert!(check_positive(dataset.column("size").unwrap()).is_err());

    let text = "[[column]]\nname = \"params\"\nvalues = [1.5, 0, -2]\n";
    let dataset = parse_dataset("params.toml", text).unwrap();
    let error = check_positive(&dataset.columns[0]).unwrap_err();
    assert!(
        error
            .message
            .contains("`params` row 2 is 0, but a log axis needs values above zero"),
        "{error:?}"
    );
    assert_eq!(line_column(text, error.range.start), (3, 16));
}

/// Cutting every fixture at every character must give errors (or a dataset), never a panic,
/// and every error range must be a valid slice of the text.
#[test]
fn truncated_inputs_never_panic() {
    let dir = format!("{}/../../tests/data", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let text = fixture(&name);
        for (end, _) in text.char_indices() {
            let prefix = &text[..end];
            if let Err(errors) = parse_dataset(&name, prefix) {
                assert!(!errors.is_empty(), "{name}[..{end}]");
                for error in errors {
                    assert!(
                        prefix.get(error.range.clone()).is_some(),
                        "{name}[..{end}]: {error:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn pathological_inputs_give_errors() {
    let deep_json = "[".repeat(100_000);
    let deep_toml = format!("a = {}", "[".repeat(100_000));
    let cases = [
        ("deep.json", deep_json.as_str()),
        ("deep.toml", deep_toml.as_str()),
        ("empty.csv", ""),
        ("empty.json", ""),
        ("garbage.toml", "\u{0}\u{feff}ж = = ["),
        (
            "nul.json",
            "{\"columns\": [{\"name\": \"\\u0000\", \"values\": [1e999]}]}",
        ),
    ];
    for (name, text) in cases {
        let errors = parse_dataset(name, text).unwrap_err();
        assert!(!errors.is_empty(), "{name}");
    }
}

#[test]
fn quoted_csv_cells_keep_commas_and_units() {
    let text = "city,population [million]\n\"Sofia, BG\",1.2\n";
    let dataset = parse_dataset("cities.csv", text).unwrap();
    let city = dataset.column("city").unwrap();
    assert_eq!(city.texts(), ["Sofia, BG"]);
    assert_eq!(&text[city.value_ranges[0].clone()], "Sofia, BG");
    let population = dataset.column("population").unwrap();
    assert_eq!(population.unit.as_deref(), Some("million"));
    assert_eq!(&text[population.name_range.clone()], "population");
}
