import Foundation
import SyncCore

/// The part of the data a device may read and write: everything (admins, and the server's own
/// writes) or the records of a set of territories (reps: theirs; managers: theirs and their
/// team's).
public enum AccessScope: Sendable, Hashable, CustomStringConvertible {
    case everything
    case territories(Set<String>)

    public var isEverything: Bool {
        if case .everything = self { return true }
        return false
    }

    /// Whether a record at `key` is inside this scope.
    public func covers(_ key: ScopeKey) -> Bool {
        switch (self, key) {
        case (.everything, _), (_, .global): return true
        case (.territories(let territories), .territory(let territory)): return territories.contains(territory)
        case (.territories, .unassigned): return false
        }
    }

    /// The territories, sorted, for SQL parameters and messages; nil for `.everything`.
    public var sortedTerritories: [String]? {
        switch self {
        case .everything: return nil
        case .territories(let territories): return territories.sorted()
        }
    }

    /// The stored form: `*` for everything, else a JSON array of the sorted territories.
    var storedText: String {
        guard let territories = sortedTerritories else { return "*" }
        return (try? ServerJSON.encodeString(territories)) ?? "[]"
    }

    /// Reads the stored form; an unreadable value reads as nil, which never equals a scope, so
    /// the device resyncs.
    init?(storedText: String) {
        if storedText == "*" {
            self = .everything
        } else if let territories = try? ServerJSON.decode([String].self, from: storedText) {
            self = .territories(Set(territories))
        } else {
            return nil
        }
    }

    public var description: String {
        sortedTerritories.map { "territories \($0.joined(separator: ", "))" } ?? "everything"
    }
}

extension AccessScope {
    /// What `user`'s devices may read and write: everything for an admin, the user's
    /// territories for a rep, and for a manager their own territories plus those of each team
    /// member (as the members' accounts say now; teams do not nest).
    public static func of<Storage: ServerStorage>(_ user: UserAccount, in storage: Storage) async throws -> AccessScope {
        switch user.role {
        case .admin:
            return .everything
        case .rep:
            return .territories(Set(user.territories))
        case .manager:
            var territories = Set(user.territories)
            for member in user.team {
                if let account = try await storage.user(named: member) {
                    territories.formUnion(account.territories)
                }
            }
            return .territories(territories)
        }
    }
}

/// Where a record sits in the scope tree, as the server resolves it from its own state.
public enum ScopeKey: Sendable, Hashable {
    /// Reference data: everyone sees it.
    case global
    /// Seen by whoever covers this territory: an account's or lead's own `territory`, or for a
    /// child record (contact, order…) the territory of the account it belongs to.
    case territory(String)
    /// No territory decides (a child whose account the server does not have): admins only.
    case unassigned

    /// The log's columns: the territory, and whether the record is global.
    var territory: String? {
        if case .territory(let territory) = self { return territory }
        return nil
    }

    var isGlobal: Bool { self == .global }
}
