//! `opal-jira completions SHELL`: a completion script on stdout.

use clap::Args;
use clap_complete::Shell;

use crate::ctx::Ctx;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(_ctx: &Ctx, args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut command = crate::cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "opal-jira", &mut out);
    let mut stdout = std::io::stdout().lock();
    match std::io::Write::write_all(&mut stdout, &out) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
