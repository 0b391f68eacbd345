//! The confined side of `skill_exec_bash` as a binary of its own, for this crate's tests
//! (which cannot run `spm __sandbox`); `spm` itself enters through its hidden subcommand.

fn main() -> std::process::ExitCode {
    match spm_sandbox::enter() {
        Ok(code) => std::process::ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("spm sandbox: {e}");
            std::process::ExitCode::from(125)
        }
    }
}
