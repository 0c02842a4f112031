import Foundation

/// A sales territory (销售区域) from the server's list: the key records store in their
/// territory field (`east`) and the title people read (`华东`).
public struct Territory: Codable, Sendable, Hashable {
    /// The key records use in their territory field, e.g. `east`.
    public var name: String
    /// The title people read, e.g. `华东 East China`.
    public var title: String

    public init(name: String, title: String) {
        self.name = name
        self.title = title
    }

    /// The two halves of a title that pairs two languages at its first space (`华东` and
    /// `east china` of `华东 East China`), lowercased; empty for a title of one word.
    var titleHalves: [String] {
        let parts = title.lowercased().split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty } ? parts : []
    }
}

/// The territories a server manages (`GET /v1/territories`, `fieldsync-server territory list`).
///
/// An empty list means the server manages none yet: any territory is taken, as before lists
/// existed. Once it holds one, a territory must be on it.
public struct TerritoryList: Codable, Sendable, Hashable {
    public var territories: [Territory]

    public init(territories: [Territory]) {
        self.territories = territories
    }

    /// The key of a territory typed as its key or its title, letter case ignored; throws
    /// `unknown_territory`, naming the nearest one, for a territory not on a non-empty list.
    public func resolve(_ text: String) throws(ValidationError) -> String {
        let typed = text.trimmingCharacters(in: .whitespaces)
        guard !territories.isEmpty else { return typed }
        let folded = typed.lowercased()
        if let match = territories.first(where: { $0.name.lowercased() == folded || $0.title.lowercased() == folded }) {
            return match.name
        }
        // A bilingual title (`华东 East China`) is also typed by either of its halves.
        let byHalf = territories.filter { $0.titleHalves.contains(folded) }
        if byHalf.count == 1, let match = byHalf.first {
            return match.name
        }
        let keys = territories.map(\.name)
        let near = Suggestions.nearest(folded, among: keys.map { $0.lowercased() } + territories.map { $0.title.lowercased() })
            .flatMap { near in territories.first { $0.name.lowercased() == near || $0.title.lowercased() == near }?.name }
        let listed = territories.map { $0.title == $0.name ? $0.name : "\($0.name) \($0.title)" }.joined(separator: ", ")
        if let near {
            throw ValidationError(.unknownTerritory, .unknownTerritoryDidYouMean, ["territory": typed, "near": near, "territories": listed])
        }
        throw ValidationError(.unknownTerritory, .unknownTerritoryListed, ["territory": typed, "territories": listed])
    }
}

extension TerritoryList {
    /// True when `change` assigns its entity's territory field (the field the scope follows).
    public static func assignsTerritory(_ change: Change, in entity: EntitySchema) -> Bool {
        guard case .territory(let field) = entity.scope else { return false }
        return change.operations.contains { $0.field == field && $0.operation.isAssignment }
    }

    /// The refusal of `change` when it assigns its entity's territory field a territory that
    /// is not a key on this non-empty list (`unknown_territory`, naming the nearest). Devices
    /// push keys, as `resolve` returns them; a title or another letter case is refused with
    /// the key it stands for.
    public func refusal(of change: Change, in entity: EntitySchema) -> ValidationError? {
        guard !territories.isEmpty, case .territory(let field) = entity.scope else { return nil }
        for operation in change.operations where operation.field == field {
            guard case .assign(let value) = operation.operation, case .string(let territory) = value else { continue }
            if territories.contains(where: { $0.name == territory }) { continue }
            do {
                let key = try resolve(territory)
                return ValidationError(.unknownTerritory, .territoryKeyExpected, ["entity": entity.name, "field": field, "key": key, "territory": territory])
            } catch {
                return error
            }
        }
        return nil
    }
}
