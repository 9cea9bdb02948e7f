//! A deterministic corpus generator for benchmarks: writes realistic news articles as JSON Lines
//! by recombining sentence templates with actors from the built-in gazetteers.
//!
//! `cargo run --release --example gen_corpus -- --mb 100 --seed 7 > corpus.jsonl`
//! (`--articles N` instead of `--mb` for a count; same seed, same bytes).
//!
//! As in real news, a few actors are in most stories: actors are drawn with Zipf-like
//! popularity (the k-th most popular about 1/k as often as the first). `--actors N` fixes the
//! actor set to N people, N countries, N cities and N organizations (default: every one in the
//! gazetteers), to see how the graph grows when the actors do not.
//!
//! Dates: by default each article gets a day drawn from ten years (2015-2024). `--per-day N`
//! dates the articles in order instead, N a day from 2024-01-01, as a news archive or a feed is
//! (event-data work sees hundreds of thousands of articles a day).

use std::io::{BufWriter, Write};

use actorgraph::rules::{PlaceKind, Rules};

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }

    /// An index below `n`, the k-th about 1/k as likely as the first (Zipf, s = 1): the
    /// inverse of the continuous distribution, `n^u - 1` for u uniform in [0, 1).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n.saturating_sub(1))
    }

    fn popular<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.zipf(v.len())]
    }
}

/// Sentence templates. Slots: {P} {Q} people with their titles, {p} {q} their surnames,
/// {C} {D} countries, {c} a demonym of C, {L} a city, {O} an organization, {A} an agreement,
/// {W} a weekday, {M} a month, {N} a number.
const TEMPLATES: &[&str] = &[
    "{P} met {Q} in {L} on {W} to discuss trade and security.",
    "{p} held talks with {Q} on {W}, officials said.",
    "{C} hosted {Q} for a two-day visit that ended on {W}.",
    "{P} arrived in {L} on {W} for talks with {c} officials.",
    "{C} imposed sanctions on {D} over its support for armed groups, the ministry said on {W}.",
    "The {O} condemned {D} for the attack, calling it a violation of international law.",
    "{p} accused {D} of undermining the ceasefire agreed in {M}.",
    "{C} announced ${N} million in humanitarian aid to {D} on {W}.",
    "{P} praised {D} for its role in the negotiations.",
    "{C} and {D} signed the {A} in {M}, pledging to expand cooperation on energy.",
    "{C} agreed to cooperate with {D} on border security, {p} said.",
    "{c} forces launched strikes on {D} late on {W}, according to residents.",
    "{C} threatened {D} with retaliation if the blockade continues.",
    "Talks between {C} and {D} stalled in {M} over the disputed border.",
    "{p} did not meet {q} during the summit, a spokesperson said.",
    "{p} will travel to {L} next week to meet {q}.",
    "Analysts said the decision reflected growing pressure on the government in {L}.",
    "The {O} said it was monitoring the situation closely.",
    "Prices rose by {N} percent in {M}, according to official figures.",
    "{P}, who visited {L} in {M}, said the relationship had never been stronger.",
];

/// `v` in a fixed random order, cut to `n`: the most popular first.
fn popularity<T>(mut v: Vec<T>, rng: &mut Rng, n: usize) -> Vec<T> {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
    v.truncate(n);
    v
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let seed: u64 = arg("--seed").and_then(|s| s.parse().ok()).unwrap_or(7);
    let target_bytes = arg("--mb").and_then(|s| s.parse::<f64>().ok()).map(|mb| (mb * 1_000_000.0) as usize);
    let max_articles = arg("--articles").and_then(|s| s.parse::<usize>().ok());
    let per_day = arg("--per-day").and_then(|s| s.parse::<usize>().ok()).filter(|&n| n > 0);
    let actors = arg("--actors").and_then(|s| s.parse::<usize>().ok()).unwrap_or(usize::MAX).max(2);
    let rules = Rules::builtin();
    // Actors with what the templates need.
    let people: Vec<(String, String, String)> = rules
        .people
        .iter()
        .filter_map(|p| {
            let c = p.country?;
            let title = p.role.split(['(', ',', ';']).next().unwrap_or("").split(" of ").next().unwrap_or("").trim();
            let title = if title.is_empty() || title.len() > 30 { "Minister" } else { title };
            let surname = p.name.split_whitespace().last()?.to_string();
            let demonym = rules.countries[c].demonyms.first()?.clone();
            Some((format!("{demonym} {title} {}", p.name), p.name.clone(), surname))
        })
        .collect();
    let countries: Vec<(&str, &str)> =
        rules.countries.iter().filter_map(|c| Some((c.name.as_str(), c.demonyms.first()?.as_str()))).collect();
    let cities: Vec<&str> = rules
        .places
        .iter()
        .filter(|p| matches!(p.kind, PlaceKind::Capital | PlaceKind::City) && !p.name.contains(','))
        .map(|p| p.name.as_str())
        .collect();
    let orgs: Vec<&str> = rules.orgs.iter().filter(|o| o.kind == "igo").map(|o| o.name.as_str()).collect();
    // The popularity order: a fixed shuffle (the gazetteers are alphabetical), then the cut.
    let mut order = Rng(0x5EED);
    let people = popularity(people, &mut order, actors);
    let countries = popularity(countries, &mut order, actors);
    let cities = popularity(cities, &mut order, actors);
    let orgs = popularity(orgs, &mut order, actors);
    let agreements = [
        "Accord on Regional Security",
        "Declaration on Maritime Cooperation",
        "Framework Agreement on Trade",
        "Treaty of Friendship",
    ];
    let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut written, mut n) = (0usize, 0usize);
    loop {
        if max_articles.is_some_and(|m| n >= m) || target_bytes.is_some_and(|t| written >= t) {
            break;
        }
        if max_articles.is_none() && target_bytes.is_none() && n >= 1000 {
            break;
        }
        let p = rng.popular(&people).clone();
        let mut q = rng.popular(&people).clone();
        let c = *rng.popular(&countries);
        let mut d = *rng.popular(&countries);
        // Two different actors, when there are two.
        for _ in 0..16 {
            if q.1 != p.1 && d.0 != c.0 {
                break;
            }
            if q.1 == p.1 {
                q = rng.pick(&people).clone();
            }
            if d.0 == c.0 {
                d = *rng.pick(&countries);
            }
        }
        let city = *rng.popular(&cities);
        let org = *rng.popular(&orgs);
        let agreement = format!("{} {}", c.0, rng.pick(&agreements));
        let sentences = 5 + rng.below(8);
        let mut text = format!("{} - ", city.to_uppercase());
        for s in 0..sentences {
            let t = *rng.pick(TEMPLATES);
            let sentence = t
                .replace("{P}", &p.0)
                .replace("{Q}", &q.0)
                .replace("{p}", &p.2)
                .replace("{q}", &q.2)
                .replace("{C}", c.0)
                .replace("{D}", d.0)
                .replace("{c}", c.1)
                .replace("{L}", city)
                .replace("{O}", org)
                .replace("{A}", &agreement)
                .replace("{W}", weekdays[rng.below(weekdays.len())])
                .replace("{M}", months[rng.below(months.len())])
                .replace("{N}", &(1 + rng.below(500)).to_string());
            text.push_str(&sentence);
            text.push_str(if s % 3 == 2 { "\n\n" } else { " " });
        }
        let date = match per_day {
            Some(k) => jiff::civil::date(2024, 1, 1)
                .checked_add(jiff::Span::new().days(i64::try_from(n / k).unwrap_or(i64::MAX)))
                .unwrap_or(jiff::civil::date(9999, 12, 31))
                .to_string(),
            None => format!("20{:02}-{:02}-{:02}", 15 + rng.below(10), 1 + rng.below(12), 1 + rng.below(28)),
        };
        let line = serde_json::json!({"id": format!("g{n}"), "date": date, "text": text.trim_end()}).to_string();
        written += line.len() + 1;
        n += 1;
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
}
