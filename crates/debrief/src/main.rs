//! The `debrief` program: parse, open the store, call the application layer,
//! render. No business rules live here.

mod cli;
mod commands;
mod config;
mod prompt;
mod render;
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
        cli::Command::Serve(_) => tokio::runtime::Builder::new_multi_thread().enable_all().build(),
        _ => tokio::runtime::Builder::new_current_thread().enable_all().build(),
    }
    .expect("the runtime builds");
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`debrief list | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let message = in_flags(&e).unwrap_or_else(|| format!("{e:#}"));
            eprintln!("error: {}", one_line(&message));
            ExitCode::FAILURE
        }
    }
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
    eprintln!("{} (see debrief --help)", message.join(" "));
    ExitCode::from(2)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().filter_map(|c| c.downcast_ref::<std::io::Error>()).any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// A broken rule of the loop said with the flags that fix it.
fn in_flags(e: &anyhow::Error) -> Option<String> {
    use debrief_core::ValidationError as V;
    let invalid = match e.downcast_ref::<debrief_app::AppError>() {
        Some(debrief_app::AppError::Invalid(v)) => v,
        _ => e.downcast_ref::<V>()?,
    };
    Some(match invalid {
        V::LostWithoutReason => "a lost contact needs at least one reason: add --reason \"what you could have \
            controlled\" or --external \"what you could not\""
            .to_string(),
        V::DoWithoutReason(n) => format!("--do #{n} has no --reason to go with: give a --reason before each --do"),
        other => other.to_string(),
    })
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
