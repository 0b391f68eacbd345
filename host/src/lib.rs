//! `spm-host`: the registry server (REST and GraphQL APIs, storage, database) and the runtime
//! that loads WebAssembly plugins. The server arrives with the registry-server issue; this
//! crate holds its place in the workspace so the layout shows the architecture from day one.
