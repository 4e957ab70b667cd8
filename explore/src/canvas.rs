//! A canvas for plotters that stays crisp and fits its container: its backing store is
//! the container's size times `devicePixelRatio`, a `ResizeObserver` redraws it when the
//! container changes, and it redraws whenever a signal the drawing reads changes.
//! Drawing happens in device pixels, so a chart scales its fonts and strokes by
//! [`CanvasSize::ratio`]; pointer positions are handed over in device pixels too, so
//! hit tests use the same numbers the drawing did.

use leptos::html;
use leptos::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{PointerEvent, ResizeObserver, ResizeObserverEntry};

/// The canvas's size: CSS pixels and the device pixel ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CanvasSize {
    /// Width in CSS pixels.
    pub width: f64,
    /// Height in CSS pixels.
    pub height: f64,
    /// Device pixels per CSS pixel (2 on most laptops' screens).
    pub ratio: f64,
}

impl CanvasSize {
    /// The backing store's size in device pixels.
    pub fn device(self) -> (u32, u32) {
        (
            (self.width * self.ratio).round().max(1.0) as u32,
            (self.height * self.ratio).round().max(1.0) as u32,
        )
    }
}

/// What the pointer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointerKind {
    /// A button went down.
    Down,
    /// The pointer moved (with or without a button down).
    Move,
    /// The button came up.
    Up,
    /// The pointer left the canvas.
    Leave,
}

/// A pointer event on a canvas, in device pixels from its top left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointerAt {
    /// What happened.
    pub kind: PointerKind,
    /// Device pixels from the left edge.
    pub x: f64,
    /// Device pixels from the top edge.
    pub y: f64,
    /// Device pixels per CSS pixel.
    pub ratio: f64,
}

/// The observer of the container, disconnected when the canvas goes away.
struct Observer {
    observer: ResizeObserver,
    _on_resize: Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// A canvas drawn by `draw` with a plotters backend in device pixels.
#[component]
pub fn PlotCanvas<D>(
    /// What the chart shows, for screen readers.
    #[prop(into)]
    label: String,
    /// Height in CSS pixels; the width is the container's.
    height: u32,
    /// Draws the chart; runs again when the size or any signal it reads changes.
    draw: D,
    /// Pointer events over the canvas, in device pixels.
    #[prop(optional)]
    on_pointer: Option<Callback<PointerAt>>,
    /// `data-testid` of the canvas.
    #[prop(optional, into)]
    testid: Option<&'static str>,
) -> impl IntoView
where
    D: Fn(CanvasBackend, CanvasSize) + 'static,
{
    let frame = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let size = RwSignal::new(None::<CanvasSize>);
    // Time labels in the viewer's zone (getTimezoneOffset is UTC minus local, minutes).
    let offset_min = js_sys::Date::new_0().get_timezone_offset();
    bulbwatch_charts::ticks::set_local_offset_ms((-offset_min * 60_000.0) as i64);

    // Follow the container's width.
    Effect::new(move |_| {
        let Some(frame) = frame.get() else { return };
        let measure = move |width: f64| {
            let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0));
            let next = CanvasSize {
                width: width.max(1.0),
                height: f64::from(height),
                ratio,
            };
            if size.get_untracked() != Some(next) {
                size.set(Some(next));
            }
        };
        measure(f64::from(frame.client_width()));
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(entry) = entries.get(0).dyn_into::<ResizeObserverEntry>() {
                measure(entry.content_rect().width());
            }
        });
        if let Ok(observer) = ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&frame);
            StoredValue::new_local(Observer {
                observer,
                _on_resize: on_resize,
            });
        }
    });

    // Draw on every change of size or of what `draw` reads.
    Effect::new(move |_| {
        let (Some(size), Some(canvas)) = (size.get(), canvas.get()) else {
            return;
        };
        let (w, h) = size.device();
        if canvas.width() != w || canvas.height() != h {
            canvas.set_width(w);
            canvas.set_height(h);
        }
        if let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) {
            draw(backend, size);
        }
    });

    let pointer = move |kind: PointerKind| {
        move |ev: PointerEvent| {
            let Some(callback) = on_pointer else { return };
            let ratio = size.get_untracked().map_or(1.0, |s| s.ratio);
            if kind == PointerKind::Down
                && let Some(canvas) = canvas.get_untracked()
            {
                // Keep getting moves while dragging past the edge.
                let _ = canvas.set_pointer_capture(ev.pointer_id());
            }
            callback.run(PointerAt {
                kind,
                x: f64::from(ev.offset_x()) * ratio,
                y: f64::from(ev.offset_y()) * ratio,
                ratio,
            });
        }
    };

    view! {
        <div class="plot" node_ref=frame style=format!("height: {height}px")>
            <canvas
                node_ref=canvas
                class="plot__canvas"
                role="img"
                aria-label=label
                data-testid=testid
                style=format!("width: 100%; height: {height}px")
                on:pointerdown=pointer(PointerKind::Down)
                on:pointermove=pointer(PointerKind::Move)
                on:pointerup=pointer(PointerKind::Up)
                on:pointerleave=pointer(PointerKind::Leave)
            ></canvas>
        </div>
    }
}
