//! The chart components in headless Chromium, mounted with small models: canvases sized
//! to their container × devicePixelRatio, legends, hover values, and on the heatmap a
//! dragged box that selects, a click on a cell, Escape that clears.
//! Run with `cargo test -p bulbwatch-explore --target wasm32-unknown-unknown --test chart_components`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use bulbwatch_api::MarkerKind;
use bulbwatch_charts::bars::{Bar, BarsChart};
use bulbwatch_charts::draw::axes::BAND_CSS;
use bulbwatch_charts::draw::{heatmap_rect, series_rect};
use bulbwatch_charts::group_colours::Dash;
use bulbwatch_charts::heatmap::{HeatmapCell, HeatmapChart, HeatmapSelection};
use bulbwatch_charts::series::{Line, MarkerLine, SeriesChart};
use bulbwatch_charts::theme::Theme;
use bulbwatch_explore::charts::{BarsView, HeatmapView, SeriesView};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../app/tests/dom/mod.rs"]
mod dom;
use dom::{container, find, find_all, settle, text};

/// Width of the test's container, CSS px.
const WIDTH: f64 = 800.0;

/// A container of a known width.
fn frame() -> HtmlElement {
    let root = container();
    root.style()
        .set_property("width", &format!("{WIDTH}px"))
        .unwrap();
    root
}

/// Lets the size be measured and the canvas drawn.
async fn drawn() {
    for _ in 0..4 {
        settle().await;
    }
}

fn ratio() -> f64 {
    web_sys::window().unwrap().device_pixel_ratio().max(1.0)
}

/// Sends a pointer event at `(x, y)` CSS px from the element's top left corner.
fn pointer_at(el: &Element, kind: &str, x: f64, y: f64) {
    let send = js_sys::Function::new_with_args(
        "el, kind, x, y",
        "const r = el.getBoundingClientRect();
         el.dispatchEvent(new PointerEvent(kind, {bubbles: true, cancelable: true,
           clientX: r.left + x, clientY: r.top + y, pointerId: 1, isPrimary: true,
           pointerType: 'mouse', buttons: kind === 'pointerup' ? 0 : 1}));",
    );
    let args = js_sys::Array::of4(
        el,
        &JsValue::from_str(kind),
        &JsValue::from_f64(x),
        &JsValue::from_f64(y),
    );
    send.apply(&JsValue::NULL, &args).unwrap();
}

/// The canvas's backing store must be its CSS size × devicePixelRatio.
fn assert_crisp(canvas: &Element) {
    let c: &HtmlCanvasElement = canvas.unchecked_ref();
    let css_w = f64::from(c.client_width());
    let css_h = f64::from(c.client_height());
    assert!(css_w > 100.0, "the canvas has a width: {css_w}");
    assert_eq!(
        f64::from(c.width()),
        (css_w * ratio()).round(),
        "backing width"
    );
    assert_eq!(
        f64::from(c.height()),
        (css_h * ratio()).round(),
        "backing height"
    );
}

fn series() -> SeriesChart {
    let base = 1_767_225_600_000;
    SeriesChart {
        start_ms: base,
        end_ms: base + 600_000,
        y_label: "COUNT".into(),
        lines: vec![
            Line {
                label: "green".into(),
                colour: (61, 220, 132),
                dash: Dash::Solid,
                points: (0..10).map(|i| (base + i * 60_000, i as f64)).collect(),
            },
            Line {
                label: "(none)".into(),
                colour: (255, 138, 92),
                dash: Dash::Dashed,
                points: (0..10).map(|i| (base + i * 60_000, 5.0)).collect(),
            },
        ],
        markers: vec![MarkerLine {
            at_ms: base + 120_000,
            kind: MarkerKind::QueueDelay,
            text: "queue delay set".into(),
        }],
    }
}

fn heatmap() -> HeatmapChart {
    let events: Vec<(i64, f64)> = (0..2000_i64).map(|i| (i * 30, (i % 97) as f64)).collect();
    HeatmapChart::from_events(&events, 0, 60_000, 5_000, 20)
}

#[wasm_bindgen_test]
async fn the_series_view_draws_a_crisp_canvas_with_a_legend_and_hover_values() {
    let root = frame();
    let chart = RwSignal::new(Some(series()));
    let _mounted = mount_to(root.clone(), move || view! { <SeriesView chart=chart /> });
    drawn().await;

    let canvas = find(&root, "[data-testid=series-chart]");
    assert_crisp(&canvas);
    let items = find_all(&root, ".legend__item");
    assert_eq!(items.len(), 2);
    assert_eq!(text(&items[0]).trim(), "green");
    assert_eq!(text(&items[1]).trim(), "(none)");
    // Each swatch is its line: the second group's is dashed.
    let dash = |item: &Element| find(item, ".legend__line").get_attribute("data-dash");
    assert_eq!(dash(&items[0]).as_deref(), Some("solid"));
    assert_eq!(dash(&items[1]).as_deref(), Some("dashed"));

    // The marker's details on hover, over its label in the band above the plot.
    let markers = find_all(&root, "[data-testid=chart-marker]");
    assert_eq!(markers.len(), 1);
    let details = markers[0].get_attribute("title").unwrap_or_default();
    assert!(details.ends_with(" queue delay set"), "{details}");
    // Where it sits over the canvas, CSS px (the stylesheet makes it absolute).
    let style = markers[0].get_attribute("style").unwrap_or_default();
    let px = |name: &str| -> f64 {
        let at = &style[style.find(&format!("{name}: ")).unwrap() + name.len() + 2..];
        at[..at.find("px").unwrap()].parse().unwrap()
    };
    assert!(
        px("top") + px("height") <= BAND_CSS,
        "above the plot: {style}"
    );
    assert!(px("width") > 20.0, "as wide as its label: {style}");

    // Over the bucket at 5 min: green is 5.
    let rect = series_rect(
        (
            (WIDTH * ratio()).round() as u32,
            (f64::from(canvas.client_height()) * ratio()).round() as u32,
        ),
        &Theme { ratio: ratio() },
    );
    let x = (rect.left + rect.width() / 2.0) / ratio();
    pointer_at(&canvas, "pointermove", x, 100.0);
    drawn().await;
    let hover = find(&root, "[data-testid=series-hover]");
    let rows = find_all(&hover, ".chart-hover__row");
    assert_eq!(rows.len(), 2);
    assert!(text(&rows[0]).contains("green"));
    assert_eq!(text(&find(&rows[0], ".chart-hover__value")), "5");
    assert_eq!(text(&find(&rows[1], ".chart-hover__value")), "5");
    pointer_at(&canvas, "pointerleave", x, 100.0);
    drawn().await;
    assert!(
        root.query_selector("[data-testid=series-hover]")
            .unwrap()
            .is_none()
    );

    chart.set(None);
    drawn().await;
    assert!(
        root.query_selector("canvas").unwrap().is_none(),
        "no model, no chart"
    );
}

#[wasm_bindgen_test]
async fn the_bars_view_draws_a_crisp_canvas() {
    let root = frame();
    let chart = BarsChart {
        value_label: "COUNT".into(),
        bars: vec![Bar {
            label: "green".into(),
            value: 3.0,
            colour: (61, 220, 132),
            dash: Dash::Solid,
        }],
    };
    let chart = RwSignal::new(Some(chart));
    let _mounted = mount_to(root.clone(), move || view! { <BarsView chart=chart /> });
    drawn().await;
    assert_crisp(&find(&root, "[data-testid=bars-chart]"));
}

#[wasm_bindgen_test]
async fn the_heatmap_selects_a_dragged_box_calls_back_on_a_click_and_clears() {
    let root = frame();
    let selected = Arc::new(Mutex::new(Vec::<HeatmapSelection>::new()));
    let cells = Arc::new(Mutex::new(Vec::<HeatmapCell>::new()));
    let cleared = Arc::new(Mutex::new(0));
    let (s, c, k) = (selected.clone(), cells.clone(), cleared.clone());
    let chart = RwSignal::new(Some(heatmap()));
    let _mounted = mount_to(root.clone(), move || {
        let (s, c, k) = (s.clone(), c.clone(), k.clone());
        view! {
            <HeatmapView
                chart=chart
                on_select=Callback::new(move |sel| s.lock().unwrap().push(sel))
                on_cell=Callback::new(move |cell| c.lock().unwrap().push(cell))
                on_clear=Callback::new(move |()| *k.lock().unwrap() += 1)
            />
        }
    });
    drawn().await;

    let canvas = find(&root, "[data-testid=heatmap-chart]");
    assert_crisp(&canvas);
    let legend = find(&root, "[data-testid=heatmap-legend]");
    assert_eq!(
        legend.get_attribute("data-max"),
        Some(heatmap().max_count.to_string())
    );

    // The geometry the drawing used, in device pixels.
    let r = ratio();
    let theme = Theme { ratio: r };
    let size = (
        (WIDTH * r).round() as u32,
        (f64::from(canvas.client_height()) * r).round() as u32,
    );
    let rect = heatmap_rect(size, &theme);
    let (from, to) = ((150.0, 60.0), (420.0, 200.0));
    pointer_at(&canvas, "pointerdown", from.0, from.1);
    pointer_at(&canvas, "pointermove", 300.0, 120.0);
    pointer_at(&canvas, "pointermove", to.0, to.1);
    pointer_at(&canvas, "pointerup", to.0, to.1);
    drawn().await;
    let expected = heatmap()
        .selection(&rect, (from.0 * r, from.1 * r), (to.0 * r, to.1 * r))
        .unwrap();
    assert_eq!(
        selected.lock().unwrap().as_slice(),
        std::slice::from_ref(&expected)
    );
    assert!(expected.start_ms < expected.end_ms && expected.min_value < expected.max_value);
    assert!(cells.lock().unwrap().is_empty(), "a drag is not a click");

    // A click without moving: the cell under it.
    pointer_at(&canvas, "pointerdown", 200.0, 150.0);
    pointer_at(&canvas, "pointerup", 200.0, 150.0);
    drawn().await;
    // As drawn: cells of at least the minimum size (here, the buckets as they are).
    let min_cell = bulbwatch_charts::draw::heatmap::MIN_CELL_CSS * r;
    let cell = heatmap()
        .cell_at(&rect, 200.0 * r, 150.0 * r, min_cell)
        .unwrap();
    assert_eq!(cells.lock().unwrap().as_slice(), &[cell]);
    assert_eq!(
        *cleared.lock().unwrap(),
        1,
        "the click cleared the kept selection"
    );

    // Drag again, then Escape clears.
    pointer_at(&canvas, "pointerdown", from.0, from.1);
    pointer_at(&canvas, "pointermove", to.0, to.1);
    pointer_at(&canvas, "pointerup", to.0, to.1);
    drawn().await;
    assert_eq!(selected.lock().unwrap().len(), 2);
    let escape = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &{
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Escape");
        init.set_bubbles(true);
        init
    })
    .unwrap();
    canvas.dispatch_event(&escape).unwrap();
    drawn().await;
    assert_eq!(*cleared.lock().unwrap(), 2);
}

#[wasm_bindgen_test]
async fn the_heatmap_legend_suits_its_counts() {
    let root = frame();
    let one = HeatmapChart::from_events(&[(1000, 5.0)], 0, 60_000, 5_000, 20);
    let chart = RwSignal::new(Some(one));
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <HeatmapView
                chart=chart
                on_select=Callback::new(|_| {})
                on_cell=Callback::new(|_| {})
            />
        }
    });
    drawn().await;
    let steps = find_all(&root, "[data-testid=heatmap-legend-step]");
    assert_eq!(steps.len(), 1);
    assert_eq!(text(&steps[0]).trim(), "1 event");
    assert!(find_all(&root, "[data-testid=heatmap-legend-tick]").is_empty());

    chart.set(Some(heatmap()));
    drawn().await;
    let max = heatmap().max_count;
    assert!(max > 6, "a gradient's worth: {max}");
    let ticks: Vec<String> = find_all(&root, "[data-testid=heatmap-legend-tick]")
        .iter()
        .map(|t| text(t).trim().to_owned())
        .collect();
    assert_eq!(ticks.first().map(String::as_str), Some("1"));
    assert_eq!(ticks.last(), Some(&max.to_string()));
    assert!(find_all(&root, "[data-testid=heatmap-legend-step]").is_empty());
}
