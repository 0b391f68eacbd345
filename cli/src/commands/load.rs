//! `spm load <author/name|dir>`: print an installed skill for an agent, Spotlighted (marked
//! as data with per-load random delimiters and datamarking).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use spm_core::spotlight::{Mode, OsEntropy, spotlight};

use spm_client::project::Project;

#[derive(clap::Args)]
pub struct Args {
    /// An installed skill (author/name) or a skill folder
    pub skill: String,
    /// delimit, datamark or encode
    #[arg(long, default_value = "datamark")]
    pub mode: Mode,
    /// Look in the global install (~/.spm/installed)
    #[arg(short, long)]
    pub global: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let as_dir = PathBuf::from(&args.skill);
    let dir = if as_dir.join("SKILL.md").is_file() {
        as_dir
    } else {
        let id: spm_core::skill::SkillId = args.skill.parse().with_context(|| {
            format!(
                "`{}` is neither a skill folder (with a SKILL.md) nor an installed skill (author/name)",
                args.skill
            )
        })?;
        let project = Project::locate(args.global)?;
        let d = project.skill_dir(&id)?;
        if !d.join("SKILL.md").is_file() {
            bail!(
                "`{}` is not installed here (looked in {}); `spm add {}` first",
                args.skill,
                d.display(),
                args.skill
            );
        }
        d
    };
    let content = std::fs::read_to_string(dir.join("SKILL.md"))
        .with_context(|| format!("cannot read {}", dir.join("SKILL.md").display()))?;
    print!(
        "{}",
        spotlight(&args.skill, &content, args.mode, &mut OsEntropy).text
    );
    Ok(ExitCode::SUCCESS)
}
