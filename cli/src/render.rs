//! Turning core [`Diagnostic`]s into compiler-style reports with `miette`.

use miette::{LabeledSpan, MietteDiagnostic, NamedSource, Report};
use spm_core::diagnostic::{Diagnostic, Severity};

/// Reports without terminal hyperlinks; colour follows the terminal and `NO_COLOR`.
pub fn install_hook() {
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .build(),
        )
    }));
}

/// A full report: message, the source lines with the span underlined, and help.
pub fn report(d: &Diagnostic, source: Option<&str>) -> String {
    let mut md = MietteDiagnostic::new(d.message.clone())
        .with_code(d.code)
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        });
    if let Some(help) = &d.help {
        md = md.with_help(help.clone());
    }
    let Some(source) = source.filter(|_| d.location.is_some()) else {
        let mut md = md;
        md.message = format!("{}: {}", d.position(), d.message);
        return format!("{:?}", Report::new(md));
    };
    if let Some(loc) = d.location {
        md = md.and_label(LabeledSpan::new_primary_with_span(
            d.label.clone(),
            (loc.offset, loc.len),
        ));
    }
    for r in &d.related {
        md = md.and_label(LabeledSpan::new_with_span(
            Some(r.message.clone()),
            (r.location.offset, r.location.len),
        ));
    }
    let name = d.file.display().to_string();
    format!(
        "{:?}",
        Report::new(md).with_source_code(NamedSource::new(name, source.to_string()))
    )
}

/// `path:line:col: warning[code]: message`, for compact listings.
pub fn one_line(d: &Diagnostic) -> String {
    d.to_string()
}
