//! A million due dates: the cost of filling `due_at` for a large import or re-planning every
//! open dossier after a schedule change. Run: `cargo bench -p motcua-calendar --bench due_dates`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use motcua_calendar::{DeadlineRules, OfficeHours, Pause, ProcessingDays, WorkCalendar, due_at};
use time::{Duration, OffsetDateTime};

const N: usize = 1_000_000;

/// Deterministic receptions spread over 2024–2026 at any minute (inside and outside office
/// hours, weekends and holidays included), with the processing times procedures really have.
fn inputs() -> Vec<(OffsetDateTime, ProcessingDays, DeadlineRules)> {
    let origin = time::macros::datetime!(2024-01-01 00:00 +7);
    let days = [500, 1000, 3000, 5000, 7000, 10_000, 15_000, 20_000];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..N)
        .map(|_| {
            // xorshift64: reproducible, no dependency.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let minute = (state % (3 * 365 * 24 * 60)) as i64;
            let d = days[(state >> 40) as usize % days.len()];
            (
                origin + Duration::minutes(minute),
                ProcessingDays::from_thousandths(d),
                DeadlineRules {
                    cutoff_15h: state & 1 == 0,
                },
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let calendar = match WorkCalendar::bundled(2024..=2027, OfficeHours::default()) {
        Ok(c) => c,
        Err(e) => panic!("calendar: {e}"),
    };
    let inputs = inputs();
    let mut group = c.benchmark_group("due_at");
    group.sample_size(10);
    group.bench_function("1M due dates, no pause", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for (received, days, rules) in &inputs {
                ok += usize::from(due_at(*received, *days, *rules, &[], &calendar).is_ok());
            }
            black_box(ok)
        })
    });
    group.bench_function("1M due dates, one supplement pause", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for (received, days, rules) in &inputs {
                let pause = [Pause {
                    from: *received + Duration::hours(20),
                    to: *received + Duration::hours(70),
                    reason: String::new(),
                }];
                ok += usize::from(due_at(*received, *days, *rules, &pause, &calendar).is_ok());
            }
            black_box(ok)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
