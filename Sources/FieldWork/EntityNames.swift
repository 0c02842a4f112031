import SyncCore

/// Finds the schema entity a person means: `account`, `accounts`, `Account`, `order-line`,
/// `opportunities`, or `visit` for activities.
public enum EntityNames {
    public static let aliases = [
        "visit": "activity", "call": "activity", "meeting": "activity", "followup": "activity",
        "line": "order_line", "orderline": "order_line", "quoteline": "quote_line", "customer": "account", "deal": "opportunity",
        "complaint": "ticket", "survey_response": "survey",
    ]

    public static func resolve(_ text: String, in schema: Schema) throws(SyncCore.ValidationError) -> EntitySchema {
        let typed = text.lowercased().replacingOccurrences(of: "-", with: "_")
        var candidates = [typed]
        if typed.hasSuffix("ies") { candidates.append(String(typed.dropLast(3)) + "y") }
        if typed.hasSuffix("s") { candidates.append(String(typed.dropLast())) }
        for candidate in candidates {
            if let entity = schema.entity(aliases[candidate] ?? candidate) { return entity }
        }
        let known = schema.entityNames.joined(separator: ", ")
        if let near = Suggestions.nearest(typed, among: schema.entityNames) {
            throw SyncCore.ValidationError(.unknownEntity, .unknownEntityDidYouMean, ["entity": text, "near": near, "known": known])
        }
        throw SyncCore.ValidationError(.unknownEntity, .unknownEntityListed, ["entity": text, "known": known])
    }
}
