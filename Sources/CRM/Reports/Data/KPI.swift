/// A target a KPI is held against: a value and whether the KPI must reach it or stay under it.
public struct KPITarget: Hashable, Sendable, Codable {
    /// How a KPI value is compared with its target.
    public enum Comparison: String, Hashable, Sendable, Codable {
        /// Met when the value is at least the target (satisfaction, response rate).
        case atLeast = "at_least"
        /// Met when the value is at most the target (churn rate).
        case atMost = "at_most"
    }

    public var value: Double
    public var comparison: Comparison
    /// Where a target set by an admin comes from: "company" or "rep NAME"; nil for the
    /// handbook's default.
    public var source: String?

    public init(_ value: Double, _ comparison: Comparison = .atLeast, source: String? = nil) {
        self.value = value
        self.comparison = comparison
        self.source = source
    }

    /// Whether `actual` meets the target; nil when there is no value to judge.
    public func isMet(by actual: Double?) -> Bool? {
        guard let actual else { return nil }
        switch comparison {
        case .atLeast: return actual >= value
        case .atMost: return actual <= value
        }
    }
}

/// One key performance indicator: its value, its target if it has one, and whether it is met.
///
/// Rates are fractions from 0 to 1 (0.85 is 85%); NPS is a score from −100 to 100. The value
/// is nil when there is nothing to measure (no tickets, no surveys), and so is `isMet`.
public struct KPI: Hashable, Sendable, Codable {
    public var value: Double?
    public var target: KPITarget?
    public var isMet: Bool?

    public init(value: Double?, target: KPITarget? = nil) {
        self.value = value
        self.target = target
        self.isMet = target?.isMet(by: value)
    }

    /// The KPI `numerator / denominator`, nil when the denominator is zero.
    public static func rate(_ numerator: Int, of denominator: Int, target: KPITarget? = nil) -> KPI {
        KPI(value: denominator == 0 ? nil : Double(numerator) / Double(denominator), target: target)
    }
}
