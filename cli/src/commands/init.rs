//! `spm init` and `spm create`: scaffold a skill that validates as written.

use std::path::Path;
use std::process::ExitCode;

use spm_core::scaffold::scaffold;

pub fn run(dir: &Path, name: Option<&str>, author: Option<&str>) -> anyhow::Result<ExitCode> {
    let (name, files) = scaffold(dir, name, author)?;
    println!("Created skill `{name}` in {}", dir.display());
    for f in files {
        println!("  {}", f.display());
    }
    println!(
        "\nNext: edit SKILL.md, then run `spm validate {}`",
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
