//! The web application: server-rendered, accessible pages of the red thread, in Swedish and
//! English, that work without JavaScript.
//!
//! Pages are rendered from a [`ReadModel`]: the whole data set held in memory with the indexes
//! the pages need (what serves a goal, what an organisation leads). Reading the red thread is
//! what people do most, so it costs no database round trip; the database is asked again only
//! when the data changes.

mod app;
mod cache;
mod csrf;
mod edit;
mod error;
mod headers;
mod indicators;
mod lang;
mod model;
mod overview;
mod pages;
mod reminders;
mod reporting;
mod session;
mod site;
mod state;
mod timeline;

pub use app::{router, serve};
pub use model::ReadModel;
pub use reminders::{Mailing, Reminder, due as reminders_due, reminder_mail, send as send_mail};
pub use site::{Site, SiteError, exposed, serve as serve_site};
pub use state::{AppState, watch};
