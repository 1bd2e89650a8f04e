//! The signed-in app: the header and the page of the area the rep is in. In the split build it
//! is a piece of its own (src/split.rs), so a new visitor's sign-in page does not download the
//! inbox; its pages are pieces within it.

use crate::components;
use crate::later;
use crate::router::Area;
use crate::routes;
use crate::split;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn SignedIn(area: Memo<Area>) -> impl IntoView {
    let state = use_app();
    view! {
        <components::header::Header/>
        <main class="cc-main" id="cc-main">
            <components::view_as::ViewingBanner/>
            // Viewing another's data (or one's own again) makes the page afresh: what it
            // loaded, selected or typed belonged to the other view.
            {move || { state.viewing.track(); match area.get() {
                Area::Emails => view! { <routes::emails::EmailsPage/> }.into_any(),
                Area::Tasks => later!(split::tasks_page(), split::load_tasks_page),
                Area::Search | Area::SavedSearch => later!(split::search_page(), split::load_search_page),
                Area::People => later!(split::people_page(), split::load_people_page),
                Area::Person => later!(split::person_page(), split::load_person_page),
                Area::Campaigns => later!(split::campaigns_page(), split::load_campaigns_page),
                Area::Campaign => later!(split::campaign_page(), split::load_campaign_page),
                Area::Templates => later!(split::templates_page(), split::load_templates_page),
                Area::Admin => later!(split::admin_page(), split::load_admin_page),
                Area::Settings => later!(split::settings_page(), split::load_settings_page),
                Area::NotFound => view! { <routes::not_found::NotFound/> }.into_any(),
            }}}
        </main>
    }
}
