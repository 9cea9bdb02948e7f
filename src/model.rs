//! The vocabulary every stage shares: entity kinds, relation types, partial dates, and the
//! [`Document`] that extraction produces for one article.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

/// What an actor is. The five scored types of the guidelines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Person,
    Country,
    Organization,
    Location,
    Agreement,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Person, Kind::Country, Kind::Organization, Kind::Location, Kind::Agreement];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Country => "country",
            Kind::Organization => "organization",
            Kind::Location => "location",
            Kind::Agreement => "agreement",
        }
    }

    /// Whether an actor of this kind can act (meet, criticise, sanction, ...).
    pub fn is_actor(self) -> bool {
        matches!(self, Kind::Person | Kind::Country | Kind::Organization)
    }

    /// Whether an actor of this kind can be the target of `visited`.
    pub fn is_place(self) -> bool {
        matches!(self, Kind::Country | Kind::Location)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown kind `{s}`"))
    }
}

/// The 14 relation types of the guidelines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationType {
    MetWith,
    Visited,
    AffiliatedWith,
    PartOf,
    LocatedIn,
    PartyTo,
    CooperatesWith,
    ProvidesAidTo,
    Sanctions,
    Criticizes,
    Supports,
    Opposes,
    Threatens,
    Attacks,
}

impl RelationType {
    pub const ALL: [RelationType; 14] = [
        RelationType::MetWith,
        RelationType::Visited,
        RelationType::AffiliatedWith,
        RelationType::PartOf,
        RelationType::LocatedIn,
        RelationType::PartyTo,
        RelationType::CooperatesWith,
        RelationType::ProvidesAidTo,
        RelationType::Sanctions,
        RelationType::Criticizes,
        RelationType::Supports,
        RelationType::Opposes,
        RelationType::Threatens,
        RelationType::Attacks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::MetWith => "met_with",
            RelationType::Visited => "visited",
            RelationType::AffiliatedWith => "affiliated_with",
            RelationType::PartOf => "part_of",
            RelationType::LocatedIn => "located_in",
            RelationType::PartyTo => "party_to",
            RelationType::CooperatesWith => "cooperates_with",
            RelationType::ProvidesAidTo => "provides_aid_to",
            RelationType::Sanctions => "sanctions",
            RelationType::Criticizes => "criticizes",
            RelationType::Supports => "supports",
            RelationType::Opposes => "opposes",
            RelationType::Threatens => "threatens",
            RelationType::Attacks => "attacks",
        }
    }

    /// Symmetric relations have no direction: `A met_with B` is `B met_with A`.
    pub fn is_symmetric(self) -> bool {
        matches!(self, RelationType::MetWith | RelationType::CooperatesWith | RelationType::Opposes)
    }

    /// Standing relations (roles, membership, geography) carry no date.
    pub fn is_event(self) -> bool {
        !matches!(self, RelationType::AffiliatedWith | RelationType::PartOf | RelationType::LocatedIn)
    }

    /// The CAMEO event code an edge of this type gets when its rule names none.
    pub fn default_cameo(self) -> Option<&'static str> {
        Some(match self {
            RelationType::MetWith => "040",
            RelationType::Visited => "042",
            RelationType::PartyTo => "057",
            RelationType::CooperatesWith => "060",
            RelationType::ProvidesAidTo => "070",
            RelationType::Sanctions => "163",
            RelationType::Criticizes => "111",
            RelationType::Supports => "051",
            RelationType::Opposes => "120",
            RelationType::Threatens => "130",
            RelationType::Attacks => "190",
            RelationType::AffiliatedWith | RelationType::PartOf | RelationType::LocatedIn => {
                return None;
            }
        })
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RelationType {
    type Err = String;
    fn from_str(s: &str) -> Result<RelationType, String> {
        RelationType::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown relation type `{s}`"))
    }
}

/// A date known to the year, the month or the day: `2024`, `2024-03`, `2024-03-05`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl PartialDate {
    pub fn year(year: i16) -> PartialDate {
        PartialDate { year, month: None, day: None }
    }

    pub fn month(year: i16, month: i8) -> PartialDate {
        PartialDate { year, month: Some(month), day: None }
    }

    pub fn day(date: jiff::civil::Date) -> PartialDate {
        PartialDate { year: date.year(), month: Some(date.month()), day: Some(date.day()) }
    }

    /// The full date when the day is known.
    pub fn to_date(self) -> Option<jiff::civil::Date> {
        jiff::civil::Date::new(self.year, self.month?, self.day?).ok()
    }

    /// The first day of the period this date names.
    pub fn first_day(self) -> Option<jiff::civil::Date> {
        jiff::civil::Date::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1)).ok()
    }
}

impl PartialDate {
    /// The date as its `Display` writes it, without the formatting machinery (millions of
    /// edges are written with one).
    pub fn push_to(&self, out: &mut String) {
        fn two(out: &mut String, n: i8) {
            out.push(char::from(b'0' + (n / 10) as u8));
            out.push(char::from(b'0' + (n % 10) as u8));
        }
        let plain = (0..=9999).contains(&self.year)
            && self.month.is_none_or(|m| (0..=99).contains(&m))
            && self.day.is_none_or(|d| (0..=99).contains(&d));
        if !plain {
            out.push_str(&self.to_string());
            return;
        }
        let y = self.year as u16;
        for d in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            out.push(char::from(b'0' + d as u8));
        }
        if let Some(m) = self.month {
            out.push('-');
            two(out, m);
            if let Some(d) = self.day {
                out.push('-');
                two(out, d);
            }
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = String;
    fn from_str(s: &str) -> Result<PartialDate, String> {
        let bad = || format!("`{s}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<i64, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<i64>().map_err(|_| bad())
        };
        match parts.as_slice() {
            [y] => Ok(PartialDate::year(num(y, 4)? as i16)),
            [y, m] => {
                let m = num(m, 2)?;
                if !(1..=12).contains(&m) {
                    return Err(bad());
                }
                Ok(PartialDate::month(num(y, 4)? as i16, m as i8))
            }
            [y, m, d] => {
                let date =
                    jiff::civil::Date::new(num(y, 4)? as i16, num(m, 2)? as i8, num(d, 2)? as i8).map_err(|_| bad())?;
                Ok(PartialDate::day(date))
            }
            _ => Err(bad()),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::with_capacity(10);
        self.push_to(&mut text);
        s.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PartialDate, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a relation is stated: the document, the sentence, and its byte span in the article text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// Short ids are held inline; the sentence is shared by every edge it states.
    pub document: SmolStr,
    pub sentence: Arc<str>,
    pub start: usize,
    pub end: usize,
}

/// One actor as one article knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable, readable node id: `person:antony-blinken`, `country:united-states`.
    pub id: String,
    pub kind: Kind,
    /// The fullest proper name the article uses, or the standard name from the gazetteer.
    pub label: String,
    /// Every surface form seen, the label included.
    pub aliases: BTreeSet<String>,
    /// How many times the article mentions it.
    pub mentions: usize,
}

/// One typed edge between two entities of a document, with the sentence that states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub source: String,
    pub target: String,
    pub relation: RelationType,
    pub date: Option<PartialDate>,
    pub evidence: Evidence,
    /// The rule that made the edge (`relations.rules:42`, `title`, `gazetteer`...).
    pub rule: SmolStr,
    /// CAMEO event code, when the relation has one.
    pub cameo: Option<SmolStr>,
    /// How sure the rule is, from 0 to 1.
    pub confidence: f32,
}

/// What extraction makes of one article: its actors and their relations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub date: Option<PartialDate>,
    pub title: Option<String>,
    /// Entities sorted by id.
    pub entities: Vec<Entity>,
    /// Relations sorted by (source, relation, target, date, evidence).
    pub relations: Vec<Relation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_written_without_fmt_read_as_display_writes_them() {
        let dates = [
            PartialDate::year(2024),
            PartialDate::year(7),
            PartialDate::year(-44),
            PartialDate::year(i16::MAX),
            PartialDate::month(1999, 12),
            PartialDate::month(2024, 1),
            PartialDate::day(jiff::civil::date(2024, 2, 29)),
            PartialDate::day(jiff::civil::date(1, 1, 1)),
        ];
        for d in dates {
            let mut s = String::new();
            d.push_to(&mut s);
            assert_eq!(s, d.to_string());
            if (0..=9999).contains(&d.year) {
                assert_eq!(s.parse::<PartialDate>(), Ok(d));
            }
        }
    }
}
