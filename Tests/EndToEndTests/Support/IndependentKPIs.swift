import CRM
import Foundation
import SyncCore

/// The KPIs of CRM-DOMAIN.md computed the simplest way straight from merged record states,
/// without the CRM report code: what a report answered is checked against these numbers.
struct IndependentKPIs {
    /// The visible records by entity.
    let records: [String: [RecordState]]

    init(_ states: [RecordState]) {
        var visible: [String: [RecordState]] = [:]
        for state in states {
            let policy = CRMSchema.schema.entity(state.entity)?.deletionPolicy ?? .updateWins
            if !state.isDeleted(policy: policy) { visible[state.entity, default: []].append(state) }
        }
        records = visible
    }

    /// The records a user covering `territories` sees (`ScopeOracle`).
    init(_ states: [RecordState], territories: Set<String>) {
        self.init(ScopeOracle.visible(states, territories: territories))
    }

    func all(_ entity: String) -> [RecordState] { records[entity] ?? [] }

    static func text(_ state: RecordState, _ field: String) -> String? { state.value(of: field).stringValue }

    static func decimal(_ text: String?) -> Decimal? {
        text.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// Per stage of the CNY pipeline (no currency counts as CNY): count, Σ amount, and
    /// Σ amount × probability / 100 with the stage's default probability when none is stored.
    struct StageFigures: Equatable {
        var count = 0
        var amount = Decimal(0)
        var weighted = Decimal(0)
    }

    static let defaultProbability = ["qualification": 10, "needs_analysis": 25, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0]

    func pipelineCNY() -> [String: StageFigures] {
        var stages: [String: StageFigures] = [:]
        for opportunity in all("opportunity") {
            guard (Self.text(opportunity, "currency") ?? "CNY") == "CNY", let stage = Self.text(opportunity, "stage") else { continue }
            var figures = stages[stage] ?? StageFigures()
            figures.count += 1
            if let amount = Self.decimal(Self.text(opportunity, "amount")) {
                let probability = opportunity.value(of: "probability").intValue.map(Int.init) ?? Self.defaultProbability[stage] ?? 0
                figures.amount += amount
                figures.weighted += amount * Decimal(probability) / 100
            }
            stages[stage] = figures
        }
        return stages
    }

    var leadCount: Int { all("lead").count }
    var convertedLeads: Int { all("lead").filter { Self.text($0, "status") == "converted" }.count }
    func opportunities(at stage: String) -> Int { all("opportunity").filter { Self.text($0, "stage") == stage }.count }

    /// Tickets, and those without a resolution time.
    var ticketCount: Int { all("ticket").count }
    var unresolvedTickets: Int { all("ticket").filter { $0.value(of: "resolved_at") == .null }.count }

    /// CSAT answers (1–5) and their mean; NPS answers (0–10), promoters (9–10), detractors (0–6).
    var csatScores: [Int64] {
        all("survey").filter { Self.text($0, "kind") == "csat" }.compactMap { $0.value(of: "score").intValue }.filter { (1...5).contains($0) }
    }

    var npsScores: [Int64] {
        all("survey").filter { Self.text($0, "kind") == "nps" }.compactMap { $0.value(of: "score").intValue }.filter { (0...10).contains($0) }
    }

    /// Visits (type visit with a time) by owner.
    var visitsByOwner: [String: Int] {
        var counts: [String: Int] = [:]
        for activity in all("activity") where Self.text(activity, "type") == "visit" && Self.text(activity, "at") != nil {
            counts[Self.text(activity, "owner") ?? "(unassigned)", default: 0] += 1
        }
        return counts
    }
}

/// Report JSON read as plain JSON values, not through the CRM types.
enum JSONValues {
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return object
    }

    static func array(_ text: String) throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return array
    }

    /// The value at a path of keys and array indexes: `["result", "rows", 0, "count"]`.
    static func value(_ root: Any, _ path: [Any]) -> Any? {
        var current: Any? = root
        for step in path {
            if let key = step as? String {
                current = (current as? [String: Any])?[key]
            } else if let index = step as? Int, let array = current as? [Any], array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    static func int(_ root: Any, _ path: [Any]) -> Int? { (value(root, path) as? NSNumber)?.intValue }
    static func double(_ root: Any, _ path: [Any]) -> Double? { (value(root, path) as? NSNumber)?.doubleValue }
    static func string(_ root: Any, _ path: [Any]) -> String? { value(root, path) as? String }

    static func decimal(_ root: Any, _ path: [Any]) -> Decimal? {
        string(root, path).flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// The `result` of a report document, re-serialised with sorted keys: equal for equal reports.
    static func canonicalResult(_ document: String) throws -> String {
        let object = try self.object(document)
        let data = try JSONSerialization.data(withJSONObject: object["result"] ?? NSNull(), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
