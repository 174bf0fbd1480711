//! The command line: subcommands and the options they share.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Röd tråd: plan and follow up a region's action plans, from the strategy down to every
/// activity.
#[derive(Debug, Parser)]
#[command(name = "rodtrad", version)]
pub struct Args {
    /// The database: `sqlite:PATH` (the default is `sqlite:rodtrad.db` in the working
    /// directory) or `postgres://USER@HOST/DATABASE`.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite:rodtrad.db"
    )]
    pub database: String,

    /// The language of messages: `sv` (the default) or `en`. Without it, `RODTRAD_LANG` and
    /// the locale (`LANG`) decide.
    #[arg(long, global = true)]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a data set (a directory in the exchange format) and report every error.
    Validate { path: PathBuf },
    /// Import a data set into the database: all of it, or nothing if anything is wrong.
    Import { path: PathBuf },
    /// Export the database as a data set into a new (or empty) directory.
    Export { dir: PathBuf },
    /// Load the built-in Örebro data set into the database.
    Demo,
    /// Write a synthetic data set of the size asked for into a new (or empty) directory, for
    /// benchmarks and load tests. The defaults are the size of a whole region.
    Generate {
        dir: PathBuf,
        #[arg(long, default_value_t = 15)]
        organisations: usize,
        #[arg(long, default_value_t = 12)]
        plans: usize,
        #[arg(long, default_value_t = 2000)]
        activities: usize,
        /// Synthetic indicators measuring the plans' sub-goals, each with values for every
        /// municipality, county and Riket, all, women and men, 2005–2024 (18,720 values); with
        /// any, the municipalities among the organisations are Västra Götaland's.
        #[arg(long, default_value_t = 0)]
        indicators: usize,
    },
    /// The record of changes.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Indicators' statistics: what a file or address holds, its values imported, refreshed.
    Indicator {
        #[command(subcommand)]
        command: IndicatorCommand,
    },
    /// Follow-up rounds.
    Round {
        #[command(subcommand)]
        command: RoundCommand,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Start the web application. On an empty database, the built-in Örebro data set is loaded
    /// first.
    Serve {
        /// The address and port to listen on.
        #[arg(long, env = "RODTRAD_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// The address people open, as the TLS reverse proxy in front serves it
        /// (`https://planer.region.se`).
        #[arg(long, env = "RODTRAD_PUBLIC_URL")]
        public_url: Option<String>,
        /// Reverse proxies, besides this machine, whose `X-Forwarded-For` names the client
        /// (IP addresses, separated by commas).
        #[arg(long, env = "RODTRAD_TRUSTED_PROXIES")]
        trusted_proxies: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Write the whole record of changes to a new file, as JSON Lines: one change per line,
    /// oldest first, with who, when, the item and each field's value before and after.
    Export { file: PathBuf },
}

/// How a table's dimensions are read as an indicator's: each named where telling it from roles
/// and usual ids would guess wrong.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MappingArgs {
    /// The kind, when it should not be told from the content: jsonstat, pxweb, kolada or csv.
    #[arg(long)]
    pub from: Option<String>,
    /// Which table of a collection or bundle to read (1 is the first).
    #[arg(long)]
    pub table: Option<usize>,
    /// The dimension (its id) that is the time.
    #[arg(long)]
    pub period: Option<String>,
    /// The dimension that is the area.
    #[arg(long)]
    pub area: Option<String>,
    /// The dimension that is sex.
    #[arg(long)]
    pub sex: Option<String>,
    /// The dimension that is the age group.
    #[arg(long)]
    pub age: Option<String>,
    /// The area every value is of, for a table without an area dimension (`18`, `1880`,
    /// `riket`).
    #[arg(long)]
    pub area_code: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Say what a statistics file or web address holds: its kind, each table's dimensions with
    /// their sizes and roles, how many values, its notes; or what is wrong with it and where.
    /// Imports nothing.
    Inspect {
        /// A file, or an http(s) address answering: JSON-stat 2.0, PxWeb version 1's json, a
        /// page of Kolada's API v3, or CSV. Of a Kolada data address
        /// (`https://api.kolada.se/v3/data/kpi/N00945/municipality/1880`) every page is fetched.
        source: String,
        /// The kind, when it should not be told from the content: jsonstat, pxweb, kolada or
        /// csv.
        #[arg(long)]
        from: Option<String>,
    },
    /// Import the values of indicator ID from a file or web address: all or nothing, values
    /// there already replaced only where they differ (a second import of the same values
    /// changes nothing).
    Import {
        /// The indicator's id.
        id: String,
        /// A file, or an http(s) address answering: JSON-stat 2.0, PxWeb version 1's json, a
        /// page of Kolada's API v3, or CSV. Of a Kolada data address every page is fetched.
        source: String,
        #[command(flatten)]
        mapping: MappingArgs,
    },
    /// Fetch again the values of every indicator whose source is on the web (Kolada, PxWeb, an
    /// address), or of those named, and import each: one line per indicator, saying what
    /// changed or what failed. One that fails does not stop the others; the exit code is 1
    /// when any failed (for cron). Kolada is asked for the data set's municipalities, their
    /// regions and Riket.
    Refresh {
        /// The indicators' ids; none for all with a source on the web.
        ids: Vec<String>,
        /// Kolada's API version 3 at another address than https://api.kolada.se/v3: a mirror,
        /// or a local server in tests.
        #[arg(long, env = "RODTRAD_KOLADA_URL", value_name = "URL")]
        kolada_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoundCommand {
    /// E-mail everyone with reports left to send in the round ID, now (for cron): through the
    /// SMTP server of RODTRAD_SMTP_URL, from RODTRAD_MAIL_FROM. With `--due N` and no ID, every
    /// open round whose deadline is N days from today.
    Remind {
        /// The round; leave it out with `--due`.
        id: Option<String>,
        /// List who would get which reminder, and send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Remind in every open round whose deadline is this many days from today.
        #[arg(long)]
        due: Option<u32>,
        /// The site's address, for whole links in the mail (`https://planer.region.se`).
        #[arg(long, env = "RODTRAD_PUBLIC_URL")]
        public_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked for at the terminal, or read from the first
    /// line of standard input when that is not a terminal.
    Add {
        email: String,
        /// The person's name, as shown in the record of changes.
        #[arg(long)]
        name: Option<String>,
        /// An administrator, who may do everything (the first account should be one).
        #[arg(long)]
        admin: bool,
    },
    /// Make a link with which the person sets a new password: valid for a day and for one
    /// use, printed here only. Hand it to them safely.
    Reset {
        email: String,
        /// The site's address, for a whole link (`https://planer.region.se`).
        #[arg(long, env = "RODTRAD_PUBLIC_URL")]
        public_url: Option<String>,
    },
}
