//! How `sosik-indexer build` shows a build's progress ([`sosik_indexer::build::progress`]): on a terminal,
//! an indicatif bar per phase with its rate and time left; anywhere else (CI logs, a pipe), plain
//! lines, at most one per phase every [`LINE_EVERY`], so a 10-minute embedding is neither silent
//! nor thousands of lines.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sosik_indexer::build::progress::{Event, Phase, Progress};

/// How often a plain-lines progress report may print a line for one phase.
const LINE_EVERY: Duration = Duration::from_secs(10);

/// Renders build progress on standard error.
pub struct Reporter {
    state: Mutex<State>,
    terminal: bool,
}

struct State {
    phase: Option<Phase>,
    total: u64,
    done: u64,
    started: Instant,
    last_line: Instant,
    bar: Option<ProgressBar>,
}

impl Reporter {
    /// Bars when standard error is a terminal, lines otherwise.
    pub fn stderr() -> Reporter {
        Reporter::new(std::io::stderr().is_terminal())
    }

    fn new(terminal: bool) -> Reporter {
        let now = Instant::now();
        Reporter {
            terminal,
            state: Mutex::new(State { phase: None, total: 0, done: 0, started: now, last_line: now, bar: None }),
        }
    }
}

impl Progress for Reporter {
    fn event(&self, event: Event) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::Start { phase, total } => {
                let now = Instant::now();
                *s = State { phase: Some(phase), total, done: 0, started: now, last_line: now, bar: None };
                if self.terminal && total > 0 {
                    s.bar = Some(bar(phase, total));
                } else if total > 0 {
                    eprintln!("{}: {total} {} to do", phase.name(), phase.unit());
                }
            }
            Event::Advance { phase, done } => {
                if s.phase != Some(phase) || done <= s.done {
                    return; // a late report from another thread
                }
                s.done = done;
                if let Some(bar) = &s.bar {
                    bar.set_position(done);
                } else if s.last_line.elapsed() >= LINE_EVERY && done < s.total {
                    s.last_line = Instant::now();
                    eprintln!("{}", line(phase, done, s.total, s.started.elapsed()));
                }
            }
            Event::Finish { phase, summary } => {
                let took = s.started.elapsed();
                if let Some(bar) = s.bar.take() {
                    bar.finish_and_clear();
                }
                eprintln!("{}: {summary} ({})", phase.name(), duration(took));
                s.phase = None;
            }
        }
    }
}

fn bar(phase: Phase, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = format!(
        "{{prefix:>7}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit}, {{per_sec}}, {{eta}} left",
        unit = phase.unit()
    );
    bar.set_style(ProgressStyle::with_template(&template).expect("a valid template").progress_chars("=> "));
    bar.set_prefix(phase.name());
    bar
}

/// `embed: 1200/24000 passages (5%), 40.1/s, about 9m 28s left`
fn line(phase: Phase, done: u64, total: u64, elapsed: Duration) -> String {
    let rate = done as f64 / elapsed.as_secs_f64().max(1e-3);
    let left = Duration::from_secs_f64(total.saturating_sub(done) as f64 / rate.max(1e-9));
    format!(
        "{}: {done}/{total} {} ({}%), {rate:.1}/s, about {} left",
        phase.name(),
        phase.unit(),
        done * 100 / total.max(1),
        duration(left)
    )
}

fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{:.1}s", d.as_secs_f64()),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s / 60 % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_carry_rate_and_time_left() {
        assert_eq!(
            line(Phase::Embed, 1200, 24000, Duration::from_secs(30)),
            "embed: 1200/24000 passages (5%), 40.0/s, about 9m 30s left"
        );
        assert_eq!(duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(duration(Duration::from_secs(3 * 3600 + 125)), "3h 02m");
    }

    #[test]
    fn late_and_foreign_advances_are_ignored() {
        let r = Reporter::new(false);
        r.event(Event::Start { phase: Phase::Parse, total: 10 });
        r.event(Event::Advance { phase: Phase::Parse, done: 5 });
        r.event(Event::Advance { phase: Phase::Parse, done: 3 });
        r.event(Event::Advance { phase: Phase::Embed, done: 9 });
        assert_eq!(r.state.lock().unwrap().done, 5);
    }
}
