import SyncCore

/// How reports write numbers into table cells: plain digits without grouping, so that the CSV
/// form of a table stays numeric in a spreadsheet. The text form groups the digits of amount
/// columns (`ReportTable.Alignment.amount`), and prose names an amount with its currency
/// (`money`).
public enum ReportFormat {
    /// The text of a missing value.
    public static let missing = "—"

    /// A fraction as a percentage with one decimal: 0.857 → "85.7%".
    public static func percent(_ fraction: Double?) -> String {
        guard let fraction else { return missing }
        return fixed(fraction * 100, places: 1) + "%"
    }

    /// A number with a fixed count of decimals, rounded half away from zero.
    public static func fixed(_ value: Double?, places: Int = 1) -> String {
        guard let value, value.isFinite else { return missing }
        // Beyond 15 significant digits a Double has no exact cents to show (and Int64 would trap).
        guard abs(value) < 1e15 else { return String(value) }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled) - whole * Int64(scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: max(0, places - digits.count)) + digits
    }

    /// Seconds as hours with one decimal: 5400 → "1.5".
    public static func hours(_ seconds: Double?) -> String {
        fixed(seconds.map { $0 / 3600 }, places: 1)
    }

    /// An amount with two decimals.
    public static func amount(_ amount: Amount?) -> String {
        amount?.formatted(places: 2) ?? missing
    }

    /// An amount in a sentence, with its currency and its digits grouped by thousands:
    /// "CNY 1,380,000.00".
    public static func money(_ amount: Amount?, currency: String) -> String {
        guard let amount else { return missing }
        return currency + " " + grouped(amount.formatted(places: 2))
    }

    /// A plain decimal with its whole digits grouped by thousands ("-1234567.5" →
    /// "-1,234,567.5"); any other text (a missing value, a word) comes back as it is.
    public static func grouped(_ text: String) -> String {
        guard Decimals.canonical(text) != nil, let first = text.first else { return text }
        let sign = first == "-" || first == "+" ? String(first) : ""
        let unsigned = text.dropFirst(sign.count)
        let whole = unsigned.prefix { $0 != "." }
        guard !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return text }
        var groups: [Substring] = []
        var end = whole.endIndex
        while end > whole.startIndex {
            let start = whole.index(end, offsetBy: -3, limitedBy: whole.startIndex) ?? whole.startIndex
            groups.insert(whole[start..<end], at: 0)
            end = start
        }
        return sign + groups.joined(separator: ",") + unsigned[whole.endIndex...]
    }

    /// A KPI's target and verdict: "target ≥ 90.0%: met".
    public static func target(_ kpi: KPI, asPercent: Bool = true) -> String {
        guard let target = kpi.target else { return "no target" }
        let value = asPercent ? percent(target.value) : fixed(target.value, places: 1)
        let sign = target.comparison == .atLeast ? "≥" : "≤"
        let verdict: String
        switch kpi.isMet {
        case true?: verdict = "met"
        case false?: verdict = "not met"
        case nil: verdict = "nothing to measure"
        }
        return "target \(sign) \(value)\(target.source.map { " (\($0))" } ?? ""): \(verdict)"
    }

    /// The note a device report carries when it reads records with unsynced local edits.
    public static func unsyncedNote(_ count: Int) -> [String] {
        guard count > 0 else { return [] }
        return ["includes \(count) unsynced local edit\(count == 1 ? "" : "s")"]
    }
}
