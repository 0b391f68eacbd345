//! What every request handler shares.

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;
use crate::plugins::Live;
use crate::storage::Blobs;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub blobs: Blobs,
    pub config: Arc<Config>,
    /// Base URL for links the server hands out (download URLs).
    pub public_url: Arc<str>,
    /// The plugin set in use; each request takes the one current when it starts.
    pub plugins: Live,
    /// GitHub device-flow sign-ins in progress.
    pub device_sessions: crate::github::DeviceSessions,
    /// This instance's per-IP rate limiters.
    pub limiters: Arc<crate::limits::Limiters>,
}
