import SyncCore

extension SQLServerStorage {
    public func territories() async throws -> TerritoryList {
        try await read { db in try await Self.territoryList(db) }
    }

    public func addTerritory(_ territory: Territory) async throws -> Bool {
        try await write { db in
            if let other = try await String.fetchOne(
                db, sql: TerritorySQL.otherWithTitle, arguments: [territory.title, territory.name]
            ) {
                throw ServerError(.territoryExists, .territoryTitleTaken, ["other": other, "title": territory.title])
            }
            let existed = try await Bool.fetchOne(db, sql: TerritorySQL.exists, arguments: [territory.name]) == true
            try await db.execute(
                sql: TerritorySQL.upsert,
                arguments: [territory.name, territory.title]
            )
            return !existed
        }
    }

    public func removeTerritory(named name: String) async throws {
        try await write { db in
            let list = try await Self.territoryList(db)
            let key = (try? list.resolve(name)) ?? name
            guard list.territories.contains(where: { $0.name == key }) else {
                throw ServerError(.notFound, .noTerritory, ["name": name])
            }
            let users = try await SQLRow.fetchAll(db, sql: AccountSQL.allUsers)
                .map(Self.user(from:)).filter { $0.territories.contains(key) }.map(\.name)
            if !users.isEmpty {
                throw ServerError(.territoryInUse, .territoryWorkedBy, ["name": key, "users": users.joined(separator: ", ")])
            }
            let accounts = try await Int.fetchOne(
                db, sql: TerritorySQL.accountCount, arguments: [key]
            ) ?? 0
            if accounts > 0 {
                throw ServerError(.territoryInUse, .territoryHasAccounts, ["name": key, "count": accounts])
            }
            try await db.execute(sql: TerritorySQL.delete, arguments: [key])
        }
    }

    static func territoryList(_ db: any SQLDatabase) async throws -> TerritoryList {
        TerritoryList(territories: try await SQLRow.fetchAll(db, sql: TerritorySQL.all).map {
            Territory(name: $0["name"], title: $0["title"])
        })
    }

    /// The keys of territories as typed (key or title), checked against the list in the
    /// same transaction that stores them.
    static func resolveTerritories(_ typed: [String], _ db: any SQLDatabase) async throws -> [String] {
        let list = try await territoryList(db)
        do {
            var keys: [String] = []
            for text in typed {
                let key = try list.resolve(text)
                if !keys.contains(key) { keys.append(key) }
            }
            return keys
        } catch let error as ValidationError {
            throw ServerError(.unknownTerritory, refusal: error.refusal)
        }
    }
}

extension ServerSQL {
    /// Migration v9: the territories the server manages (both backends).
    static let territoriesSQL = """
        CREATE TABLE territories (name TEXT PRIMARY KEY, title TEXT NOT NULL)
        """
}

/// The statements of SQLServerStorage+Territories.swift, written for each backend (`SQLCatalog`).
enum TerritorySQL: SQLCatalog {
    case otherWithTitle, exists, upsert, accountCount, delete, all

    var statement: SQLStatement {
        switch self {
        case .otherWithTitle: "SELECT name FROM territories WHERE title = $1 AND name <> $2"
        case .exists: "SELECT EXISTS (SELECT 1 FROM territories WHERE name = $1)"
        case .upsert: "INSERT INTO territories (name, title) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET title = excluded.title"
        case .accountCount: "SELECT COUNT(*) FROM records WHERE entity = 'account' AND territory = $1 AND deleted = 0"
        case .delete: "DELETE FROM territories WHERE name = $1"
        case .all: "SELECT name, title FROM territories ORDER BY name"
        }
    }
}
