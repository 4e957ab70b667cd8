//! How the room gets in: the join code in letters readable from the back of the room,
//! the join address, and its QR code (drawn by the server).

use bulbwatch_api::JoinInfo;
use leptos::prelude::*;

/// The server's QR code of the join address.
pub const QR_URL: &str = "/api/room/join/qr.svg";

/// The code, the address and the QR code; a note until they are read.
#[component]
pub fn JoinPanel(
    /// The code and address, once read.
    #[prop(into)]
    join: Signal<Option<JoinInfo>>,
) -> impl IntoView {
    // Only a new code redraws the QR code (and asks for the new image).
    let code = Memo::new(move |_| join.with(|j| j.as_ref().map(|j| j.code.clone())));
    let url = move || join.with(|j| j.as_ref().map(|j| j.join_url.clone()).unwrap_or_default());
    view! {
        <section class="join-panel" aria-label="Join the room">
            <div class="join-panel__text">
                <p class="join-panel__label">"Join at"</p>
                <p class="join-panel__url" data-testid="console-join-url">{url}</p>
                <p class="join-panel__label">"with the code"</p>
                <p class="join-panel__code" data-testid="console-code">
                    {move || code.get().unwrap_or_else(|| "……".into())}
                </p>
            </div>
            {move || {
                code.get()
                    .map(|code| {
                        view! {
                            <img
                                class="join-panel__qr"
                                data-testid="console-qr"
                                data-code=code
                                src=QR_URL
                                alt="QR code of the join address"
                                width="220"
                                height="220"
                            />
                        }
                    })
            }}
        </section>
    }
}
