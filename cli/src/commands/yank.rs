//! `spm yank author/name@version [--undo]`: new resolutions skip a yanked version;
//! lockfiles that pin it keep working.

use std::process::ExitCode;

use anyhow::Context;
use spm_client::home::UserConfig;
use spm_client::registry::Client;
use spm_core::skill::SkillId;

#[derive(clap::Args)]
pub struct YankArgs {
    /// author/name@version
    pub skill: String,
    /// Undo a yank
    #[arg(long)]
    pub undo: bool,
    #[arg(long)]
    pub registry: Option<String>,
}

/// `spm yank author/name@version`: new resolutions skip it; lockfiles keep working.
pub async fn run(args: &YankArgs) -> anyhow::Result<ExitCode> {
    let (id, version) = args
        .skill
        .rsplit_once('@')
        .with_context(|| format!("`{}` must be author/name@version", args.skill))?;
    let sid: SkillId = id.parse()?;
    let c = Client::new(&UserConfig::load()?.select(args.registry.as_deref(), Some(&sid.author))?)?;
    c.set_yanked(&sid, version, !args.undo).await?;
    println!(
        "{} {id}@{version}",
        if args.undo { "unyanked" } else { "yanked" }
    );
    Ok(ExitCode::SUCCESS)
}
