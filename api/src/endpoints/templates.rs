//! The rep's email templates.

use super::*;
use crate::templates::{Template, TemplateInput};
use crate::TemplateId;

pub fn list() -> Call<Vec<Template>> {
    Call::get(paths::TEMPLATES.to_owned())
}

pub fn one(id: TemplateId) -> Call<Template> {
    Call::get(at(paths::TEMPLATE, id))
}

pub fn create(template: &TemplateInput) -> Call<Template> {
    Call::with(Method::Post, paths::TEMPLATES.to_owned(), template)
}

pub fn edit(id: TemplateId, template: &TemplateInput) -> Call<Template> {
    Call::with(Method::Put, at(paths::TEMPLATE, id), template)
}

pub fn delete(id: TemplateId) -> Call<()> {
    Call::delete(at(paths::TEMPLATE, id))
}
