import CRM
import Foundation
import SyncCore

/// A moment a workflow records (a visit, a ticket's acknowledgement, a deal's close), with the
/// UTC offset of the place it happened in.
///
/// Records store the moment in one canonical form, UTC `YYYY-MM-DDTHH:MM:SSZ` (`timestamp`);
/// the offset decides the calendar day of day-valued stamps (`closed_on`, `ordered_on`,
/// `created_on`), so a deal won at 00:30 in Shanghai closes on that Shanghai day.
public struct FieldTime: Hashable, Sendable, CustomStringConvertible {
    /// The moment, to the second.
    public let instant: Instant
    /// Minutes east of UTC of the place it happened in (480 for China Standard Time).
    public let utcOffsetMinutes: Int

    public init(instant: Instant, utcOffsetMinutes: Int = 0) {
        self.instant = instant
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// A Foundation date in a time zone (the device's by default), to the second.
    public init(_ date: Date, timeZone: TimeZone = .current) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        self.init(instant: Instant(secondsSinceEpoch: seconds), utcOffsetMinutes: timeZone.secondsFromGMT(for: date) / 60)
    }

    /// Now, in the device's time zone.
    public static func now() -> FieldTime {
        FieldTime(Date())
    }

    /// The canonical UTC timestamp records store.
    public var timestamp: String { instant.description }

    /// The calendar day it happened on, where it happened.
    public var day: CalendarDay { instant.day(utcOffsetMinutes: utcOffsetMinutes) }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(instant.secondsSinceEpoch)) }

    public var description: String { timestamp }

    /// Parses an ISO 8601 time with its zone: `2026-11-20T09:30+08:00`, `2026-11-20T01:30:00Z`,
    /// seconds and a fraction optional (the fraction is dropped), the offset as `Z`, `±HH:MM`,
    /// `±HHMM` or `±HH`. A time without a zone is refused: the day it falls on would depend on
    /// where it is read.
    public static func parse(_ text: String) throws(SyncCore.ValidationError) -> FieldTime {
        let typed = text.trimmingCharacters(in: .whitespaces)
        guard let time = Self.parsed(Array(typed.utf8)) else {
            throw SyncCore.ValidationError(
                .typeMismatch,
                .notATimeWithZone, ["text": text]
            )
        }
        return time
    }

    private static func parsed(_ bytes: [UInt8]) -> FieldTime? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + digits)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }
        func skip(_ character: Character) -> Bool {
            guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip("-"), let month = number(2), skip("-"), let dayOfMonth = number(2),
              let day = CalendarDay(year: year, month: month, day: dayOfMonth),
              skip("T") || skip("t"), let hour = number(2), hour < 24, skip(":"), let minute = number(2), minute < 60
        else { return nil }
        var second = 0
        if skip(":") {
            guard let seconds = number(2), seconds < 60 else { return nil }
            second = seconds
            if skip(".") || skip(",") {
                let start = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > start else { return nil }
            }
        }
        var offset = 0
        if skip("Z") || skip("z") {
            offset = 0
        } else {
            let sign: Int
            if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
            guard let hours = number(2), hours <= 14 else { return nil }
            var minutes = 0
            if skip(":") {
                guard let value = number(2) else { return nil }
                minutes = value
            } else if index < bytes.count {
                guard let value = number(2) else { return nil }
                minutes = value
            }
            guard minutes < 60 else { return nil }
            offset = sign * (hours * 60 + minutes)
        }
        guard index == bytes.count else { return nil }
        let local = Instant(startOf: day).adding(seconds: Int64(hour * 3600 + minute * 60 + second))
        return FieldTime(instant: local.adding(seconds: -Int64(offset) * 60), utcOffsetMinutes: offset)
    }
}
