//! Host bindings, one module per supported `spm:plugin` API version. A new API version gets
//! a new module generated from its frozen WIT folder; older modules stay so older plugins
//! keep loading.

pub mod v0_1_0 {
    //! `spm:plugin@0.1.0`.

    pub mod scanner {
        wasmtime::component::bindgen!({
            world: "safety-scanner",
            path: "../wit/spm-plugin/0.1.0",
        });
    }

    pub mod auth {
        wasmtime::component::bindgen!({
            world: "auth-provider",
            path: "../wit/spm-plugin/0.1.0",
            with: {
                "spm:plugin/types": super::scanner::spm::plugin::types,
                "spm:plugin/host": super::scanner::spm::plugin::host,
                "spm:plugin/http": super::scanner::spm::plugin::http,
            },
        });
    }

    pub mod policy {
        wasmtime::component::bindgen!({
            world: "storage-policy",
            path: "../wit/spm-plugin/0.1.0",
            with: {
                "spm:plugin/types": super::scanner::spm::plugin::types,
                "spm:plugin/host": super::scanner::spm::plugin::host,
                "spm:plugin/http": super::scanner::spm::plugin::http,
            },
        });
    }

    pub use scanner::spm::plugin::host::{Host, LogLevel};
    pub use scanner::spm::plugin::http::{Host as HttpHost, Response as HttpResponse};
    pub use scanner::spm::plugin::types::{
        AuthRequest, AuthResult, Decision, DownloadContext, Finding, Identity, PluginInfo,
        Severity, SkillFile, SkillPackage,
    };
}
