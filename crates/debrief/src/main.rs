//! The `debrief` program: parse, check the request, open the store, call
//! the application layer, render. No business rules live here.

mod cli;
mod commands;
mod config;
mod output;
mod prompt;
mod render;
mod request;
mod review;
mod steps;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    init_tracing();
    // One thread starts fastest for a command; the server uses every core.
    let runtime = match cli.command {
        // An import reads the file while a task of its own writes what was read.
        cli::Command::Serve(_) | cli::Command::Import(_) => {
            tokio::runtime::Builder::new_multi_thread().enable_all().build()
        }
        _ => tokio::runtime::Builder::new_current_thread().enable_all().build(),
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("cannot start: {e}")),
    };
    let stdout = std::io::stdout();
    let colour = !cli.json && output::colour_wanted();
    let mut out = output::Escaped::new(stdout.lock(), colour);
    let result = runtime.block_on(commands::run(cli, &mut out)).and_then(|()| out.finish());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`debrief list | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("{e:#}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {}", output::escape(&one_line(message)));
    ExitCode::FAILURE
}

/// Help and version go to stdout as clap renders them; usage errors become one line.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let rendered = e.render().to_string();
    let message: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    eprintln!("error: {} (see debrief --help)", output::escape(message));
    ExitCode::from(2)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().filter_map(|c| c.downcast_ref::<std::io::Error>()).any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Diagnostics go to stderr at the level named by `DEBRIEF_LOG` (default: warn).
fn init_tracing() {
    let level = std::env::var("DEBRIEF_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::WARN);
    // sqlx reports long bulk statements (demo, imports) as warnings: only its errors show by default.
    let sqlx = if level > tracing::Level::WARN { level } else { tracing::Level::ERROR };
    let filter = tracing_subscriber::filter::Targets::new().with_default(level).with_target("sqlx", sqlx);
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
}
