import Foundation

/// The admin page's sign-ins: a random session id in an HttpOnly cookie. The store keeps the
/// id's hash with the hash of the sign-in device's token (never the token itself), so every
/// server process on the store knows the session. Every page authenticates the device again,
/// so revoking it or taking away the admin role ends the session at once.
struct AdminSessions: Sendable {
    struct Session: Sendable {
        var tokenHash: String
        /// Echoed in every form and checked on every POST.
        var csrf: String
    }

    static let cookieName = "fieldsync_admin"
    static let lifetime: Duration = .seconds(8 * 3600)

    let storage: any ServerStorage

    /// Starts a session for a sign-in device whose token has this hash; returns its id.
    func start(tokenHash: String) async throws -> (id: String, session: Session) {
        let id = Credentials.makeDeviceToken()
        let session = Session(tokenHash: tokenHash, csrf: Credentials.makeDeviceToken())
        let now = ServerClock.millisecondsSince1970()
        try await storage.saveAdminSession(StoredAdminSession(
            idHash: Credentials.tokenHash(id), tokenHash: tokenHash, csrf: session.csrf,
            expiresAt: now + Int64(Self.lifetime.components.seconds) * 1000, createdAt: now
        ))
        return (id, session)
    }

    func session(id: String) async throws -> Session? {
        try await storage.adminSession(idHash: Credentials.tokenHash(id), now: ServerClock.millisecondsSince1970())
            .map { Session(tokenHash: $0.tokenHash, csrf: $0.csrf) }
    }

    func end(id: String) async throws {
        try await storage.endAdminSession(idHash: Credentials.tokenHash(id))
    }
}

/// An `application/x-www-form-urlencoded` body or query.
struct FormBody: Sendable {
    var values: [String: String]

    init(_ text: String) {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.flatMap({ Self.decode($0) }) else { continue }
            values[name] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
        self.values = values
    }

    subscript(_ name: String) -> String? { values[name] }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Percent-encodes a query value.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
