import SyncCore

/// Which records a user covering some territories may see, by the rule SyncServer/README.md
/// states ("Scope"), worked out without the server's scope code so that tests can check it:
/// accounts and leads by their `territory`; products and campaigns by everyone; every other
/// record by the territory of the account its `account` field names (nobody but admins when
/// the account is missing).
enum ScopeOracle {
    static let global: Set<String> = ["product", "campaign", "target"]
    static let ownTerritory: Set<String> = ["account", "lead"]

    static func visible(_ records: [RecordState], territories: Set<String>) -> [RecordState] {
        var accountTerritory: [RecordID: String] = [:]
        for record in records where record.entity == "account" {
            if let territory = record.value(of: "territory").stringValue { accountTerritory[record.id] = territory }
        }
        return records.filter { record in
            if global.contains(record.entity) { return true }
            if ownTerritory.contains(record.entity) {
                return record.value(of: "territory").stringValue.map(territories.contains) ?? false
            }
            return record.value(of: "account").stringValue.flatMap { accountTerritory[$0] }.map(territories.contains) ?? false
        }
    }
}
