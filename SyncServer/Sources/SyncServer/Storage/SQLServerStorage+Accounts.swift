import SyncCore

extension SQLServerStorage {
    public func createUser(_ user: UserAccount, enrollmentCodeHash: String) async throws -> UserAccount {
        let team = try ServerJSON.encodeString(user.team)
        return try await write { db in
            if try await Bool.fetchOne(db, sql: AccountSQL.userExists, arguments: [user.name]) == true {
                throw ServerError(.userExists, .userExists, ["name": user.name])
            }
            var stored = user
            stored.territories = try await Self.resolveTerritories(user.territories, db)
            try await db.execute(
                sql: AccountSQL.insertUser,
                arguments: [user.name, user.role.rawValue, try ServerJSON.encodeString(stored.territories), team, enrollmentCodeHash, user.createdAt]
            )
            return stored
        }
    }

    public func setEnrollmentCode(user: String, codeHash: String) async throws {
        try await write { db in
            try await db.execute(sql: AccountSQL.setEnrollmentCode, arguments: [codeHash, user])
            if db.changesCount == 0 {
                throw ServerError(.notFound, .noUserNamed, ["name": user])
            }
        }
    }

    public func user(named name: String) async throws -> UserAccount? {
        try await read { db in
            try await SQLRow.fetchOne(db, sql: AccountSQL.userByName, arguments: [name])
                .map(Self.user(from:))
        }
    }

    public func updateUser(named name: String, territories: [String], team: [String]) async throws -> UserAccount {
        let teamText = try ServerJSON.encodeString(team)
        return try await write { db in
            let territoriesText = try ServerJSON.encodeString(try await Self.resolveTerritories(territories, db))
            try await db.execute(sql: AccountSQL.updateUserScope, arguments: [territoriesText, teamText, name])
            guard db.changesCount > 0,
                let row = try await SQLRow.fetchOne(db, sql: AccountSQL.userByName, arguments: [name])
            else {
                throw ServerError(.notFound, .noUserNamed, ["name": name])
            }
            return try Self.user(from: row)
        }
    }

    public func users() async throws -> [UserAccount] {
        try await read { db in
            try await SQLRow.fetchAll(db, sql: AccountSQL.allUsers).map(Self.user(from:))
        }
    }

    public func enrollDevice(codeHash: String, replica: ReplicaID, name: String, tokenHash: String, at time: Int64) async throws -> UserAccount {
        try await write { db in
            let existing = try await SQLRow.fetchOne(
                db,
                sql: AccountSQL.deviceEnrollment,
                arguments: [replica.rawValue]
            )
            if let existing, existing["wiped"] as Bool {
                throw ServerError.wipedDevice
            }
            if let row = try await SQLRow.fetchOne(
                db,
                sql: AccountSQL.userByEnrollmentCode,
                arguments: [codeHash]
            ) {
                // A fresh code: the replica's first enrollment, or a re-enrollment of its own
                // user's device (revoked, or one whose earlier answer was lost).
                let user = try Self.user(from: row)
                if let existing {
                    let owner: String = existing["user"]
                    guard owner == user.name else {
                        throw ServerError(.replicaAlreadyEnrolled, .replicaAlreadyEnrolled, ["replica": replica])
                    }
                }
                // The code is single use: consumed in the same transaction that enrolls the device,
                // and kept on the device row, bound to this replica, for a retry whose answer was lost.
                try await db.execute(sql: AccountSQL.clearEnrollmentCode, arguments: [user.name])
                if existing == nil {
                    try await db.execute(
                        sql: AccountSQL.insertDevice,
                        arguments: [replica.rawValue, user.name, name, tokenHash, time, codeHash]
                    )
                } else {
                    // The old token's hash is replaced: it stops working. Cursor and scope stay, so
                    // the device goes on from where it was (or resyncs, as any device would).
                    try await db.execute(
                        sql: AccountSQL.reenrollDevice,
                        arguments: [name, tokenHash, codeHash, replica.rawValue]
                    )
                }
                return user
            }
            // A consumed code works again only for the replica it enrolled, until that device's
            // first sync: the retry of an enrollment whose answer was lost. It gets a new token.
            guard let existing, let bound = existing["enrollment_code_hash"] as String?, Credentials.constantTimeEquals(bound, codeHash) else {
                throw ServerError(.invalidEnrollmentCode, .invalidEnrollmentCode)
            }
            guard !(existing["revoked"] as Bool) else {
                throw ServerError.revokedDevice
            }
            try await db.execute(sql: AccountSQL.renameDevice, arguments: [name, tokenHash, replica.rawValue])
            let owner: String = existing["user"]
            guard let userRow = try await SQLRow.fetchOne(
                db, sql: AccountSQL.userByName, arguments: [owner]
            ) else {
                throw ServerError(.internalError, .deviceWithoutUser, ["replica": replica])
            }
            return try Self.user(from: userRow)
        }
    }

    public func device(tokenHash: String) async throws -> StoredDeviceCredential? {
        try await read { db in
            guard let row = try await SQLRow.fetchOne(db, sql: AccountSQL.deviceByToken, arguments: [tokenHash]) else {
                return nil
            }
            return StoredDeviceCredential(device: try Self.device(from: row), tokenHash: row["token_hash"])
        }
    }

    public func devices() async throws -> [DeviceAccount] {
        try await read { db in
            try await SQLRow.fetchAll(db, sql: AccountSQL.allDevices).map(Self.device(from:))
        }
    }

    public func revokeDevice(_ replica: ReplicaID) async throws -> Bool {
        try await write { db in
            try await db.execute(sql: AccountSQL.revokeDevice, arguments: [replica.rawValue])
            return db.changesCount > 0
        }
    }

    public func reassignDevice(_ replica: ReplicaID, to user: String) async throws {
        try await write { db in
            guard let device = try await SQLRow.fetchOne(db, sql: AccountSQL.deviceStatus, arguments: [replica.rawValue]) else {
                throw ServerError(.notFound, .noDevice, ["replica": replica])
            }
            guard !(device["wiped"] as Bool) else {
                throw ServerError(.deviceWiped, .deviceWasWiped, ["replica": replica])
            }
            guard device["revoked"] as Bool else {
                throw ServerError(.deviceNotRevoked, .deviceInUse, ["replica": replica])
            }
            guard try await Bool.fetchOne(db, sql: AccountSQL.userExists, arguments: [user]) == true else {
                throw ServerError(.notFound, .noUserNamed, ["name": user])
            }
            try await db.execute(
                sql: AccountSQL.reassignDevice, arguments: [user, replica.rawValue]
            )
        }
    }

    public func wipeDevice(_ replica: ReplicaID) async throws -> Bool {
        let schema = self.schema
        return try await write { db in
            try await db.execute(sql: AccountSQL.wipeDevice, arguments: [replica.rawValue])
            guard db.changesCount > 0 else { return false }
            try await Self.releaseEscrow(of: replica, schema: schema, physicalTime: ServerClock.millisecondsSince1970(), db)
            return true
        }
    }

    // MARK: Row mapping

    static func user(from row: SQLRow) throws -> UserAccount {
        let roleText: String = row["role"]
        guard let role = Role(rawValue: roleText) else {
            throw ServerError(.internalError, .storedRole, ["role": roleText])
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
            throw ServerError(.internalError, .storedReplica, ["replica": replicaText])
        }
        return DeviceAccount(
            replica: replica,
            name: row["device_name"],
            user: try user(from: row),
            cursor: row["cursor"],
            lastSeen: row["last_seen"],
            enrolledAt: row["enrolled_at"],
            isRevoked: row["revoked"],
            isWiped: row["wiped"],
            replicatedScope: AccessScope(storedText: row["replicated_scope"]),
            resyncHighWater: row["resync_high_water"],
            enrollmentPending: row["enrollment_pending"]
        )
    }
}


extension ServerSQL {
    /// Migration v7 (both backends): the consumed enrollment code's hash stays on the device it
    /// enrolled until that device's first sync, so a retry whose answer was lost re-enrolls the
    /// same replica; `wiped` marks a device an admin wiped.
    static let enrollmentRecoverySQL = """
        ALTER TABLE devices ADD COLUMN enrollment_code_hash TEXT;
        ALTER TABLE devices ADD COLUMN wiped BIGINT NOT NULL DEFAULT 0;
        CREATE INDEX devices_by_enrollment_code ON devices (enrollment_code_hash) WHERE enrollment_code_hash IS NOT NULL
        """
}

/// The statements of SQLServerStorage+Accounts.swift, written for each backend (`SQLCatalog`).
enum AccountSQL: SQLCatalog {
    case deviceByToken, allDevices
    case userExists, insertUser, setEnrollmentCode, userByName, updateUserScope, allUsers, deviceEnrollment, userByEnrollmentCode, clearEnrollmentCode, insertDevice, reenrollDevice, renameDevice, revokeDevice, deviceStatus, reassignDevice, wipeDevice

    var statement: SQLStatement {
        switch self {
        case .deviceByToken: SQLStatement(Self.deviceColumns + "\nWHERE d.token_hash = $1")
        case .allDevices: SQLStatement(Self.deviceColumns + "\nORDER BY d.user, d.enrolled_at, d.replica")
        case .userExists: "SELECT EXISTS (SELECT 1 FROM users WHERE name = $1)"
        case .insertUser: "INSERT INTO users (name, role, territories, team, enrollment_code_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
        case .setEnrollmentCode: "UPDATE users SET enrollment_code_hash = $1 WHERE name = $2"
        case .userByName: "SELECT name, role, territories, team, created_at FROM users WHERE name = $1"
        case .updateUserScope: "UPDATE users SET territories = $1, team = $2 WHERE name = $3"
        case .allUsers: "SELECT name, role, territories, team, created_at FROM users ORDER BY name"
        case .deviceEnrollment: "SELECT \"user\", revoked, wiped, enrollment_code_hash FROM devices WHERE replica = $1"
        case .userByEnrollmentCode: "SELECT name, role, territories, team, created_at FROM users WHERE enrollment_code_hash = $1"
        case .clearEnrollmentCode: "UPDATE users SET enrollment_code_hash = NULL WHERE name = $1"
        case .insertDevice: "INSERT INTO devices (replica, \"user\", name, token_hash, enrolled_at, enrollment_code_hash) VALUES ($1, $2, $3, $4, $5, $6)"
        case .reenrollDevice: "UPDATE devices SET name = $1, token_hash = $2, revoked = 0, enrollment_code_hash = $3 WHERE replica = $4"
        case .renameDevice: "UPDATE devices SET name = $1, token_hash = $2 WHERE replica = $3"
        case .revokeDevice: "UPDATE devices SET revoked = 1 WHERE replica = $1"
        case .deviceStatus: "SELECT revoked, wiped FROM devices WHERE replica = $1"
        case .reassignDevice: "UPDATE devices SET \"user\" = $1, enrollment_code_hash = NULL WHERE replica = $2"
        case .wipeDevice: "UPDATE devices SET revoked = 1, wiped = 1 WHERE replica = $1"
        }
    }

    /// A device with its user, as `device(from:)` reads it.
    private static let deviceColumns = """
        SELECT d.replica, d.name AS device_name, d.token_hash, d.cursor, d.last_seen, d.enrolled_at, d.revoked, d.wiped,
               d.replicated_scope, d.resync_high_water,
               CASE WHEN d.enrollment_code_hash IS NULL THEN 0 ELSE 1 END AS enrollment_pending, u.name, u.role, u.territories, u.team, u.created_at
        FROM devices d JOIN users u ON u.name = d.user
        """
}
