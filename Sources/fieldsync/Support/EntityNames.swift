import SyncCore

/// Finds the schema entity a person means: `account`, `accounts`, `Account`, `order-line`,
/// `opportunities`, or `visit` for activities.
enum EntityNames {
    static let aliases = [
        "visit": "activity", "call": "activity", "meeting": "activity", "followup": "activity",
        "line": "order_line", "orderline": "order_line", "customer": "account", "deal": "opportunity",
        "complaint": "ticket", "survey_response": "survey",
    ]

    static func resolve(_ text: String, in schema: Schema) throws(SyncCore.ValidationError) -> EntitySchema {
        let typed = text.lowercased().replacingOccurrences(of: "-", with: "_")
        var candidates = [typed]
        if typed.hasSuffix("ies") { candidates.append(String(typed.dropLast(3)) + "y") }
        if typed.hasSuffix("s") { candidates.append(String(typed.dropLast())) }
        for candidate in candidates {
            if let entity = schema.entity(aliases[candidate] ?? candidate) { return entity }
        }
        var message = "unknown entity '\(text)' (known: \(schema.entityNames.joined(separator: ", ")))"
        if let near = Suggestions.nearest(typed, among: schema.entityNames) {
            message = "unknown entity '\(text)'; did you mean '\(near)'? (known: \(schema.entityNames.joined(separator: ", ")))"
        }
        throw SyncCore.ValidationError(.unknownEntity, message)
    }
}

/// "Did you mean" for mistyped names.
enum Suggestions {
    /// The candidate closest to `text` by edit distance, if it is close enough to be a typo.
    static func nearest(_ text: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(text, $0)) }.filter { $0.1 <= max(1, min(2, text.count / 3)) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
