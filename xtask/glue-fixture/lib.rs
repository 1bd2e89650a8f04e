//! What the app's glue holds, in small: functions imported from JavaScript (namespaced and
//! renamed, as web-sys's are), a start function, an export, and an exported class that no
//! JavaScript of ours calls (as gloo-net's stream classes).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn log(text: &str);
    #[wasm_bindgen(js_namespace = history, js_name = pushState)]
    fn push_state(data: &JsValue, title: &str, url: &str);
}

#[wasm_bindgen(start)]
pub fn start() {
    log("started");
}

#[wasm_bindgen]
pub fn navigate(url: &str) {
    push_state(&JsValue::NULL, "", url);
}

#[wasm_bindgen]
pub struct IntoUnderlyingSource {
    pulled: u32,
}

#[wasm_bindgen]
impl IntoUnderlyingSource {
    pub fn pull(&mut self) -> u32 {
        self.pulled += 1;
        self.pulled
    }
}
