import Foundation

/// What a report request asks for, parsed from the key/value form both sides use: the
/// server's query string (`?as_of=2026-11-23&period=2026-Q4`) and the CLI's options, which the
/// CLI turns into the same keys (and sends as they are with `--server`). One parser, so the
/// device and the server accept and refuse the same requests.
///
/// Keys (every value is text):
/// - `as_of`: the day the report is for, `YYYY-MM-DD` (default: today where it is computed);
///   for complaint handling, the end of that day;
/// - `utc_offset`: minutes east of UTC of the days reports count in (default 480, China);
/// - `period`: `YYYY`, `YYYY-Qn`, `YYYY-MM`, `YYYY-MM-DD..YYYY-MM-DD`, or `Nd` for the N days
///   ending on `as_of`;
/// - `owner`: only this rep's records; `currency`: a currency code;
/// - `days`: churn risk after this many days without contact (default 90);
/// - `response_hours`: the response standard (default 24);
/// - `rule`: ABC by `revenue` share (default) or by share of `customers`; `cutoffs`: its
///   cut-offs in percent, `A,B` (defaults 80,95 by revenue, 20,50 by customers);
/// - `churned_after`, `loyal_purchases`: the lifecycle rules (defaults 180 days, 4 purchases);
/// - `types`: activity types counted as visits, comma-separated (default `visit`).
public struct ReportParameters: Hashable, Sendable {
    /// A parameter's key.
    public enum Key: String, CaseIterable, Sendable, Hashable, Codable {
        case asOf = "as_of"
        case utcOffset = "utc_offset"
        case period, owner, currency, days
        case responseHours = "response_hours"
        case cutoffs, rule
        case churnedAfter = "churned_after"
        case loyalPurchases = "loyal_purchases"
        case types
    }

    /// A period as asked: fixed days, or the days before `as_of`.
    public enum PeriodSpecification: Hashable, Sendable {
        case fixed(ReportPeriod)
        case trailing(days: Int)

        /// The days the period covers when the report is for `asOf`.
        public func resolved(asOf: CalendarDay) -> ReportPeriod {
            switch self {
            case .fixed(let period): return period
            case .trailing(let days): return .trailing(days: days, endingOn: asOf)
            }
        }
    }

    public var asOf: CalendarDay?
    public var utcOffsetMinutes: Int?
    public var period: PeriodSpecification?
    public var owner: String?
    public var currency: String?
    public var inactiveDays: Int?
    public var responseHours: Int?
    public var abcRule: ABCClassification.Rule?
    public var churnedAfterDays: Int?
    public var loyalMinimumPurchases: Int?
    public var activityTypes: [String]?

    /// The parameters as they were given, blank values dropped: what the report echoes and
    /// what the CLI sends to the server.
    public private(set) var query: [String: String]

    /// No parameters: every report with its defaults.
    public init() {
        query = [:]
    }

    /// Parses request parameters.
    ///
    /// - Parameters:
    ///   - query: keys and values; blank values count as absent.
    ///   - report: when given, keys this report does not read are refused.
    /// - Throws: `.unknownParameter` for a key no report (or not this report) reads,
    ///   `.invalidParameter` for a value that does not parse.
    public init(query: [String: String], for report: ReportName? = nil) throws(ReportParameterError) {
        self.init()
        let given = query.compactMapValues { value -> String? in
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        let accepted = report.map { Set($0.parameters) } ?? Set(Key.allCases)
        for (name, text) in given.sorted(by: { $0.key < $1.key }) {
            guard let key = Key(rawValue: name) else {
                let known = (report?.parameters ?? Key.allCases).map(\.rawValue).joined(separator: ", ")
                throw ReportParameterError(.unknownParameter, "unknown report parameter '\(name)' (known: \(known))")
            }
            guard accepted.contains(key) else {
                let reportName = report.map(\.rawValue) ?? ""
                let known = (report?.parameters ?? []).map(\.rawValue).joined(separator: ", ")
                throw ReportParameterError(.unknownParameter, "the \(reportName) report does not take '\(name)' (it takes: \(known))")
            }
            try set(key, text)
        }
        abcRule = try Self.abcRule(rule: given[Key.rule.rawValue], cutoffs: given[Key.cutoffs.rawValue])
        self.query = given
    }

    private mutating func set(_ key: Key, _ text: String) throws(ReportParameterError) {
        func invalid(_ message: String) -> ReportParameterError {
            ReportParameterError(.invalidParameter, "\(key.rawValue): \(message), got '\(text)'")
        }
        func integer(_ range: ClosedRange<Int>) throws(ReportParameterError) -> Int {
            guard let number = Int(text), range.contains(number) else {
                throw invalid("a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        switch key {
        case .asOf:
            guard let day = CalendarDay(text) else { throw invalid("a day YYYY-MM-DD") }
            asOf = day
        case .utcOffset:
            utcOffsetMinutes = try integer(-720...840)
        case .period:
            guard let period = Self.period(text) else {
                throw invalid("a period YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD..YYYY-MM-DD or Nd (the N days up to as_of)")
            }
            self.period = period
        case .owner:
            owner = text
        case .currency:
            let code = text.uppercased()
            guard CRMSchema.currencies.contains(code) else {
                throw invalid("one of \(CRMSchema.currencies.joined(separator: ", "))")
            }
            currency = code
        case .days:
            inactiveDays = try integer(1...3650)
        case .responseHours:
            responseHours = try integer(1...720)
        case .cutoffs, .rule:
            // Read together once every key is parsed: the rule decides the defaults of the other.
            break
        case .churnedAfter:
            churnedAfterDays = try integer(1...3650)
        case .loyalPurchases:
            loyalMinimumPurchases = try integer(2...1000)
        case .types:
            let types = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            guard !types.isEmpty, types.allSatisfy(CRMSchema.activityTypes.contains) else {
                throw invalid("activity types from \(CRMSchema.activityTypes.joined(separator: ", ")), comma-separated")
            }
            activityTypes = types
        }
    }

    /// The ABC rule from `rule` (revenue or customers) and `cutoffs` (A,B in percent); nil when
    /// neither is given.
    static func abcRule(rule: String?, cutoffs: String?) throws(ReportParameterError) -> ABCClassification.Rule? {
        guard rule != nil || cutoffs != nil else { return nil }
        let kind = rule ?? "revenue"
        guard kind == "revenue" || kind == "customers" else {
            throw ReportParameterError(.invalidParameter, "rule: revenue or customers, got '\(kind)'")
        }
        var a: Decimal = kind == "revenue" ? 80 : 20
        var b: Decimal = kind == "revenue" ? 95 : 50
        if let cutoffs {
            let parts = cutoffs.split(separator: ",", omittingEmptySubsequences: false)
                .map { Decimal(string: $0.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX")) }
            guard parts.count == 2, let first = parts[0], let second = parts[1], first > 0, first < second, second <= 100 else {
                throw ReportParameterError(.invalidParameter, "cutoffs: two percentages A,B with 0 < A < B ≤ 100, such as 80,95, got '\(cutoffs)'")
            }
            (a, b) = (first, second)
        }
        return kind == "customers" ? .customerShare(aPercent: a, bPercent: b) : .revenueShare(aPercent: a, bPercent: b)
    }

    /// Parses a period's text.
    static func period(_ text: String) -> PeriodSpecification? {
        let lowered = text.lowercased()
        if lowered.hasSuffix("d"), let days = Int(lowered.dropLast()), (1...3650).contains(days) {
            return .trailing(days: days)
        }
        if let range = lowered.range(of: "..") {
            guard let start = CalendarDay(String(lowered[..<range.lowerBound])),
                  let end = CalendarDay(String(lowered[range.upperBound...])) else { return nil }
            return .fixed(ReportPeriod(start: start, end: end))
        }
        let parts = lowered.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let year = parts.first.flatMap({ Int($0) }), parts[0].count == 4 else { return nil }
        switch parts.count {
        case 1:
            guard let first = CalendarDay(year: year, month: 1, day: 1), let last = CalendarDay(year: year, month: 12, day: 31) else { return nil }
            return .fixed(ReportPeriod(start: first, end: last))
        case 2 where parts[1].hasPrefix("q"):
            return Int(parts[1].dropFirst()).flatMap { ReportPeriod.quarter($0, of: year) }.map(PeriodSpecification.fixed)
        case 2 where parts[1].count == 2:
            return Int(parts[1]).flatMap { ReportPeriod.month($0, of: year) }.map(PeriodSpecification.fixed)
        default:
            return nil
        }
    }
}

extension ReportParameters: Codable {
    /// Encodes as the `query` it was parsed from, so that a report's JSON says what was asked.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(query)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let query = try container.decode([String: String].self)
        do throws(ReportParameterError) {
            try self.init(query: query)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }
}
