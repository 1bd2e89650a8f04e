//! Files the app hands the rep (an export, the rows an import left out): held in the browser as a
//! blob, saved through a link's `download`.

use wasm_bindgen::JsCast;

/// A `blob:` URL holding the text, for a download link.
pub fn text_url(text: &str, mime: &str) -> String {
    blob_url(
        &js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text)),
        mime,
    )
}

/// A `blob:` URL holding the bytes.
pub fn bytes_url(bytes: &[u8], mime: &str) -> String {
    blob_url(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)), mime)
}

fn blob_url(parts: &js_sys::Array, mime: &str) -> String {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options)
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob))
        .unwrap_or_default()
}

/// Saves the bytes as `filename`, as a click on a download link would.
pub fn save(bytes: &[u8], filename: &str, mime: &str) {
    let url = bytes_url(bytes, mime);
    let document = leptos::prelude::document();
    let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    // Once the browser has taken the file, the blob can go.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}
