import SyncCore

extension SQLServerStorage {
    public func createUser(_ user: UserAccount, enrollmentCodeHash: String) async throws {
        let territories = try ServerJSON.encodeString(user.territories)
        let team = try ServerJSON.encodeString(user.team)
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?)", arguments: [user.name]) == true {
                throw ServerError(.userExists, "a user named '\(user.name)' already exists")
            }
            try db.execute(
                sql: "INSERT INTO users (name, role, territories, team, enrollment_code_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [user.name, user.role.rawValue, territories, team, enrollmentCodeHash, user.createdAt]
            )
        }
    }

    public func setEnrollmentCode(user: String, codeHash: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE users SET enrollment_code_hash = ? WHERE name = ?", arguments: [codeHash, user])
            if db.changesCount == 0 {
                throw ServerError(.notFound, "no user named '\(user)'")
            }
        }
    }

    public func user(named name: String) async throws -> UserAccount? {
        try await read { db in
            try SQLRow.fetchOne(db, sql: "SELECT name, role, territories, team, created_at FROM users WHERE name = ?", arguments: [name])
                .map(Self.user(from:))
        }
    }

    public func updateUser(named name: String, territories: [String], team: [String]) async throws -> UserAccount {
        let territoriesText = try ServerJSON.encodeString(territories)
        let teamText = try ServerJSON.encodeString(team)
        return try await write { db in
            try db.execute(sql: "UPDATE users SET territories = ?, team = ? WHERE name = ?", arguments: [territoriesText, teamText, name])
            guard db.changesCount > 0,
                let row = try SQLRow.fetchOne(db, sql: "SELECT name, role, territories, team, created_at FROM users WHERE name = ?", arguments: [name])
            else {
                throw ServerError(.notFound, "no user named '\(name)'")
            }
            return try Self.user(from: row)
        }
    }

    public func users() async throws -> [UserAccount] {
        try await read { db in
            try SQLRow.fetchAll(db, sql: "SELECT name, role, territories, team, created_at FROM users ORDER BY name").map(Self.user(from:))
        }
    }

    public func enrollDevice(codeHash: String, replica: ReplicaID, name: String, tokenHash: String, at time: Int64) async throws -> UserAccount {
        try await write { db in
            guard let row = try SQLRow.fetchOne(
                db,
                sql: "SELECT name, role, territories, team, created_at FROM users WHERE enrollment_code_hash = ?",
                arguments: [codeHash]
            ) else {
                throw ServerError(.invalidEnrollmentCode, "the enrollment code is unknown or was already used; ask an admin for a new one")
            }
            let user = try Self.user(from: row)
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM devices WHERE replica = ?)", arguments: [replica.rawValue]) == true {
                throw ServerError(.replicaAlreadyEnrolled, "replica \(replica) is already enrolled; a device database enrolls once")
            }
            // The code is single use: consumed in the same transaction that creates the device.
            try db.execute(sql: "UPDATE users SET enrollment_code_hash = NULL WHERE name = ?", arguments: [user.name])
            try db.execute(
                sql: "INSERT INTO devices (replica, \"user\", name, token_hash, enrolled_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [replica.rawValue, user.name, name, tokenHash, time]
            )
            return user
        }
    }

    public func device(tokenHash: String) async throws -> StoredDeviceCredential? {
        try await read { db in
            guard let row = try SQLRow.fetchOne(db, sql: ServerSQL.deviceByTokenHashSQL, arguments: [tokenHash]) else {
                return nil
            }
            return StoredDeviceCredential(device: try Self.device(from: row), tokenHash: row["token_hash"])
        }
    }

    public func devices() async throws -> [DeviceAccount] {
        try await read { db in
            try SQLRow.fetchAll(db, sql: ServerSQL.allDevicesSQL).map(Self.device(from:))
        }
    }

    public func revokeDevice(_ replica: ReplicaID) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE devices SET revoked = 1 WHERE replica = ?", arguments: [replica.rawValue])
            return db.changesCount > 0
        }
    }

    // MARK: Row mapping

    static func user(from row: SQLRow) throws -> UserAccount {
        let roleText: String = row["role"]
        guard let role = Role(rawValue: roleText) else {
            throw ServerError(.internalError, "stored user has unknown role '\(roleText)'")
        }
        return UserAccount(
            name: row["name"],
            role: role,
            territories: try ServerJSON.decode([String].self, from: row["territories"]),
            team: try ServerJSON.decode([String].self, from: row["team"]),
            createdAt: row["created_at"]
        )
    }

    static func device(from row: SQLRow) throws -> DeviceAccount {
        let replicaText: String = row["replica"]
        guard let replica = ReplicaID(string: replicaText) else {
            throw ServerError(.internalError, "stored device has an invalid replica id '\(replicaText)'")
        }
        return DeviceAccount(
            replica: replica,
            name: row["device_name"],
            user: try user(from: row),
            cursor: row["cursor"],
            lastSeen: row["last_seen"],
            enrolledAt: row["enrolled_at"],
            isRevoked: row["revoked"],
            replicatedScope: AccessScope(storedText: row["replicated_scope"]),
            resyncHighWater: row["resync_high_water"]
        )
    }
}

extension ServerSQL {
    static let deviceByTokenHashSQL = """
        SELECT d.replica, d.name AS device_name, d.token_hash, d.cursor, d.last_seen, d.enrolled_at, d.revoked,
               d.replicated_scope, d.resync_high_water, u.name, u.role, u.territories, u.team, u.created_at
        FROM devices d JOIN users u ON u.name = d.user
        WHERE d.token_hash = ?
        """

    static let allDevicesSQL = """
        SELECT d.replica, d.name AS device_name, d.token_hash, d.cursor, d.last_seen, d.enrolled_at, d.revoked,
               d.replicated_scope, d.resync_high_water, u.name, u.role, u.territories, u.team, u.created_at
        FROM devices d JOIN users u ON u.name = d.user
        ORDER BY d.user, d.enrolled_at, d.replica
        """
}
