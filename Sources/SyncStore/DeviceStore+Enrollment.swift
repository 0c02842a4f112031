import Foundation
import GRDB
import SyncCore

/// An enrollment whose outcome is not settled yet: kept in the store before its request leaves
/// and until the first sync with the token it produced, so that a process killed, or an answer
/// lost, in between can send the same enrollment again (the server re-enrolls the replica with
/// the same code until its first sync).
public struct PendingEnrollment: Sendable, Hashable {
    public var serverURL: String
    public var code: String
    public var deviceName: String
    /// The server's answer arrived and its token is stored; no sync has finished with it yet.
    public var answered: Bool

    public init(serverURL: String, code: String, deviceName: String, answered: Bool = false) {
        self.serverURL = serverURL
        self.code = code
        self.deviceName = deviceName
        self.answered = answered
    }
}

extension DeviceStore {
    static let pendingEnrollmentKeys = ["enrollment_server", "enrollment_code", "enrollment_name", "enrollment_answered"]

    /// The enrollment in progress, if any.
    public func pendingEnrollment() throws -> PendingEnrollment? {
        try database.read { db in
            guard let server = try Self.meta(db, "enrollment_server"), let code = try Self.meta(db, "enrollment_code"),
                let name = try Self.meta(db, "enrollment_name")
            else { return nil }
            return PendingEnrollment(serverURL: server, code: code, deviceName: name, answered: try Self.meta(db, "enrollment_answered") == "1")
        }
    }

    /// Keeps an enrollment before its request is sent (replacing any earlier one).
    public func beginEnrollment(_ enrollment: PendingEnrollment) throws {
        try database.write { db in
            try Self.setMeta(db, "enrollment_server", enrollment.serverURL)
            try Self.setMeta(db, "enrollment_code", enrollment.code)
            try Self.setMeta(db, "enrollment_name", enrollment.deviceName)
            try Self.setMeta(db, "enrollment_answered", nil)
        }
    }

    /// Stores what an enrollment answered (token, user, server…) and the server clock offset,
    /// and marks the pending enrollment answered, in one transaction.
    public func recordEnrollment(settings: [String: String?], clockOffset: Int64) throws {
        try database.write { db in
            for (key, value) in settings { try Self.setMeta(db, key, value) }
            try db.execute(sql: "UPDATE replica_clock SET clock_offset = ? WHERE id = 1", arguments: [clockOffset])
            if try Self.meta(db, "enrollment_code") != nil {
                try Self.setMeta(db, "enrollment_answered", "1")
            }
        }
    }

    /// Forgets the pending enrollment: a sync finished with its token, or the server refused it.
    public func clearPendingEnrollment() throws {
        try database.write { db in
            for key in Self.pendingEnrollmentKeys { try Self.setMeta(db, key, nil) }
        }
    }

    /// Deletes a device store's files (the database, its WAL and shared-memory files): what a
    /// device does when the server says an admin wiped it. Returns the paths removed.
    @discardableResult
    public static func deleteFiles(atPath path: String) throws -> [String] {
        var removed: [String] = []
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.removeItem(atPath: file)
            removed.append(file)
        }
        return removed
    }
}
