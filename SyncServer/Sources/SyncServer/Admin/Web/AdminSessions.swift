import Foundation
import Synchronization

/// The admin page's sign-ins: a random session id in an HttpOnly cookie maps to the admin's
/// device token, kept only in this process's memory. Every page authenticates the token again,
/// so revoking the device or taking away the admin role ends the session at once.
///
/// Sessions belong to one server process: behind several processes, pin admins to one.
final class AdminSessions: Sendable {
    struct Session: Sendable {
        var token: String
        /// Echoed in every form and checked on every POST.
        var csrf: String
        var expires: ContinuousClock.Instant
    }

    static let cookieName = "fieldsync_admin"
    static let lifetime: Duration = .seconds(8 * 3600)
    static let maxSessions = 1000

    private let sessions = Mutex<[String: Session]>([:])

    /// Starts a session for a token that already passed the admin check; returns its id.
    func start(token: String) -> (id: String, session: Session) {
        let id = Credentials.makeDeviceToken()
        let session = Session(token: token, csrf: Credentials.makeDeviceToken(), expires: .now + Self.lifetime)
        sessions.withLock { sessions in
            let now = ContinuousClock.now
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires })?.key {
                sessions[oldest] = nil
            }
            sessions[id] = session
        }
        return (id, session)
    }

    func session(id: String) -> Session? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expires > .now else {
                sessions[id] = nil
                return nil
            }
            return session
        }
    }

    func end(id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
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
