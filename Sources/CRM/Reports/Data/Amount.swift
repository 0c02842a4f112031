import Foundation
import SyncCore

/// An exact decimal amount of money (or any decimal quantity) for reports.
///
/// Backed by Foundation's `Decimal`, parsed from the schema's canonical decimal strings, so
/// sums and products of amounts are exact: no binary floating point touches money. Encodes as
/// its canonical string ("1200.5"), the same form decimals travel in on the wire.
public struct Amount: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var decimal: Decimal

    public init(_ decimal: Decimal) {
        self.decimal = decimal
    }

    public init(_ integer: Int) {
        self.decimal = Decimal(integer)
    }

    public init(integerLiteral value: Int) {
        self.decimal = Decimal(value)
    }

    /// Parses a decimal in the schema's accepted forms ("1200.5", "-3", "0.25"); nil for
    /// anything else, including exponents and thousands separators.
    public init?(_ text: String) {
        guard let canonical = Decimals.canonical(text), let decimal = Decimal(string: canonical, locale: Locale(identifier: "en_US_POSIX")) else {
            return nil
        }
        self.decimal = decimal
    }

    public static let zero = Amount(0)

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.decimal < rhs.decimal }
    public static func + (lhs: Amount, rhs: Amount) -> Amount { Amount(lhs.decimal + rhs.decimal) }
    public static func - (lhs: Amount, rhs: Amount) -> Amount { Amount(lhs.decimal - rhs.decimal) }
    public static func * (lhs: Amount, rhs: Amount) -> Amount { Amount(lhs.decimal * rhs.decimal) }
    public static func += (lhs: inout Amount, rhs: Amount) { lhs = lhs + rhs }

    /// This amount times `percent` / 100, exactly: the weighted amount of a deal.
    public func applying(percent: Int64) -> Amount {
        Amount(decimal * Decimal(percent) / Decimal(100))
    }

    /// This amount divided by a count, rounded half away from zero to `scale` decimal places;
    /// nil for a zero count.
    public func divided(by count: Int, scale: Int = 2) -> Amount? {
        guard count != 0 else { return nil }
        return Amount(decimal / Decimal(count)).rounded(scale: scale)
    }

    /// Rounded half away from zero to `scale` decimal places.
    public func rounded(scale: Int = 2) -> Amount {
        var value = decimal
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, .plain)
        return Amount(result)
    }

    /// `numerator / denominator` as a Double, for shares and chart scaling (never for sums).
    public static func ratio(_ numerator: Amount, _ denominator: Amount) -> Double? {
        guard denominator.decimal != 0 else { return nil }
        return Double((numerator.decimal / denominator.decimal).description)
    }

    public var isZero: Bool { decimal == 0 }

    /// The canonical decimal text: no exponent, no trailing fraction zeros.
    public var description: String {
        let text = decimal.description
        return Decimals.canonical(text) ?? text
    }

    /// The amount with exactly `places` fraction digits ("1200.50"), for tables.
    public func formatted(places: Int = 2) -> String {
        let text = rounded(scale: places).description
        guard places > 0 else { return text }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return String(parts[0]) + "." + fraction + String(repeating: "0", count: max(0, places - fraction.count))
    }
}

extension Amount: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let amount = Amount(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an amount is a decimal string such as \"1200.5\", got '\(text)'")
        }
        self = amount
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Sequence where Element == Amount {
    /// The exact sum.
    public func sum() -> Amount { reduce(.zero, +) }
}
