/// Count, average, median and 90th percentile of a list of whole-number measurements
/// (seconds, days).
///
/// - The average is the sum divided by the count.
/// - The median is the middle value, or the mean of the two middle values for an even count.
/// - The 90th percentile uses the nearest-rank method: the smallest measurement such that at
///   least 90% of the measurements are less than or equal to it, i.e. the value at rank
///   ⌈0.9 × n⌉ in ascending order.
///
/// Every statistic is computed from the sorted measurements and an integer sum, so it does not
/// depend on the order the measurements were given in.
public struct DurationStatistics: Hashable, Sendable, Codable {
    public var count: Int
    public var average: Double?
    public var median: Double?
    public var percentile90: Double?
    public var minimum: Int64?
    public var maximum: Int64?

    public init(_ measurements: [Int64]) {
        let sorted = measurements.sorted()
        count = sorted.count
        guard let first = sorted.first, let last = sorted.last else { return }
        minimum = first
        maximum = last
        average = Double(sorted.reduce(0, +)) / Double(sorted.count)
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
        let rank = (9 * sorted.count + 9) / 10  // ⌈0.9 n⌉
        percentile90 = Double(sorted[rank - 1])
    }

    /// The same statistics with every value divided by `unit` (3600 turns seconds into hours).
    public func scaled(by unit: Double) -> ScaledStatistics {
        ScaledStatistics(
            count: count, average: average.map { $0 / unit }, median: median.map { $0 / unit },
            percentile90: percentile90.map { $0 / unit }
        )
    }
}

/// Statistics converted to a larger unit (hours), for JSON consumers and tables.
public struct ScaledStatistics: Hashable, Sendable, Codable {
    public var count: Int
    public var average: Double?
    public var median: Double?
    public var percentile90: Double?
}
