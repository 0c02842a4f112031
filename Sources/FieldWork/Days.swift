import CRM
import Foundation
import SyncCore
import SyncStore

/// Calendar days and times as people type and read them.
///
/// Days ("YYYY-MM-DD") are the rep's local calendar days; times stored in records are UTC
/// ("YYYY-MM-DDTHH:MM:SSZ"), as the schema requires.
public enum Days {
    /// Today on the device's local calendar.
    public static func today(now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// The current time in the schema's UTC timestamp form.
    public static func nowTimestamp() -> String {
        Timestamps.string(milliseconds: DeviceStore.systemMilliseconds())
    }

    /// A day as typed: `YYYY-MM-DD`, `today`, `tomorrow`, `yesterday`, or `+Nd` / `-Nd`
    /// (also `+Nw` for weeks) counted from `today`.
    public static func parse(_ text: String, today: String = Days.today()) throws(SyncCore.ValidationError) -> String {
        let typed = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch typed {
        case "today": return today
        case "tomorrow": return try adding(1, to: today)
        case "yesterday": return try adding(-1, to: today)
        default: break
        }
        if let sign = typed.first, sign == "+" || sign == "-", let unit = typed.last, unit == "d" || unit == "w",
           let count = Int(typed.dropFirst().dropLast()), count <= 36_500 {
            let days = count * (unit == "w" ? 7 : 1) * (sign == "-" ? -1 : 1)
            return try adding(days, to: today)
        }
        guard Dates.isValidDay(typed) else {
            throw SyncCore.ValidationError(.typeMismatch, .notADayTyped, ["text": text])
        }
        return typed
    }

    /// A day as typed (as `parse` reads it), as a calendar day.
    public static func calendarDay(_ text: String, today: String = Days.today()) throws(SyncCore.ValidationError) -> CalendarDay {
        let day = try parse(text, today: today)
        guard let calendarDay = CalendarDay(day) else {
            throw SyncCore.ValidationError(.typeMismatch, .notADay, ["day": text])
        }
        return calendarDay
    }

    /// `day` moved by `days` calendar days (`CalendarDay`'s arithmetic).
    public static func adding(_ days: Int, to day: String) throws(SyncCore.ValidationError) -> String {
        guard let start = CalendarDay(day) else {
            throw SyncCore.ValidationError(.typeMismatch, .notADay, ["day": day])
        }
        return start.adding(days: days).description
    }

    /// An HLC's physical time as UTC text, for history and conflicts.
    public static func time(_ hlc: HLC) -> String {
        Timestamps.string(milliseconds: hlc.physical)
    }

    /// A UTC timestamp shortened for tables: "2026-11-23 09:12".
    public static func short(_ timestamp: String) -> String {
        guard timestamp.count == 20 else { return timestamp }
        return String(timestamp.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
