//! `weifen plot` and `weifen steps`: images that decode, with ink on them.

mod common;
use common::{fails, json, num, stdout};
use std::path::Path;

const SEED: &str = "(-2*x^2 + 4*x + 1)*exp(-x^2/2)";

/// The PNG's size and how many distinct colours it holds.
fn decode_png(path: &Path) -> (u32, u32, usize) {
    let file = std::fs::read(path).expect("the PNG was written");
    let decoder = png::Decoder::new(std::io::Cursor::new(file));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let bytes = &buf[..info.buffer_size()];
    let mut colours: Vec<&[u8]> = bytes.chunks(3).collect();
    colours.sort();
    colours.dedup();
    (info.width, info.height, colours.len())
}

/// A minimal check that the file is an SVG document with drawn paths and text.
fn check_svg(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("the SVG was written");
    assert!(text.trim_start().starts_with("<svg"), "{}", &text[..100]);
    assert!(text.trim_end().ends_with("</svg>"));
    assert!(text.matches("<polyline").count() >= 2, "two curves");
    text
}

#[test]
fn plot_writes_a_non_blank_png_and_reports_the_gap_to_symbolic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.png");
    let out = stdout(&[
        "plot",
        SEED,
        "--from",
        "0",
        "--to",
        "5",
        "--points",
        "1000",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(out.contains("largest |forward − symbolic|"), "{out}");
    let (w, h, colours) = decode_png(&path);
    assert_eq!((w, h), (1000, 600));
    assert!(colours > 10, "only {colours} colours: blank?");
}

#[test]
fn plot_writes_svg_with_legend_and_title() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.svg");
    stdout(&[
        "plot",
        "sin(x)",
        "--order",
        "2",
        "--method",
        "five-point",
        "-o",
        path.to_str().unwrap(),
    ]);
    let svg = check_svg(&path);
    assert!(svg.contains("f(x) = sin(x)"), "title");
    assert!(svg.contains("(x) by five-point"), "legend");
}

#[test]
fn plot_fails_with_an_unknown_extension() {
    let err = fails(&["plot", "x", "-o", "plot.pdf"], 2);
    assert!(err.contains(".png or .svg"), "{err}");
}

#[test]
fn plot_fails_with_an_empty_interval() {
    let err = fails(
        &["plot", "x", "--from", "1", "--to", "-1", "-o", "a.png"],
        2,
    );
    assert!(err.contains("--from"), "{err}");
}

#[test]
fn plot_fails_when_the_file_cannot_be_written_with_exit_1() {
    let err = fails(&["plot", "x", "-o", "/nonexistent-dir/x/plot.png"], 1);
    assert!(
        err.contains("cannot write /nonexistent-dir/x/plot.png"),
        "{err}"
    );
}

#[test]
fn steps_json_has_each_scheme_with_its_curve() {
    let v = json(&["steps", SEED, "--at", "x=1.3", "--json"]);
    assert!(num(&v["reference"]) < -2.09);
    let schemes = v["schemes"].as_array().unwrap();
    let names: Vec<&str> = schemes
        .iter()
        .map(|s| s["scheme"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["forward", "backward", "central", "five-point"]);
    for s in schemes {
        assert!(num(&s["optimal_h"]) > 0.0);
        let points = s["points"].as_array().unwrap();
        assert!(points.len() > 10);
        assert_eq!(points[0].as_array().unwrap().len(), 2);
    }
}

#[test]
fn steps_draws_the_error_curves() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("steps.png");
    let out = stdout(&["steps", SEED, "--at", "1.3", "-o", png.to_str().unwrap()]);
    assert!(out.contains("five-point"), "{out}");
    let (_, _, colours) = decode_png(&png);
    assert!(colours > 10);
    let svg = dir.path().join("steps.svg");
    stdout(&["steps", SEED, "--at", "1.3", "-o", svg.to_str().unwrap()]);
    assert!(check_svg(&svg).contains("optimal h"));
}
