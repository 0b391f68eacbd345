//! `spm-plugin-sdk`: the guest-side crate plugin authors build against. It will wrap the
//! `spm:plugin` WIT worlds from `wit/` (arriving with the WASM plugin issue).
