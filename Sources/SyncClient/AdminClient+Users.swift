import Foundation

/// A user as `GET /v1/admin/users` lists it: what a tool needs to enroll devices for them.
public struct AdminUser: Codable, Sendable, Hashable {
    public var name: String
    /// `rep`, `manager` or `admin`.
    public var role: String
    public var territories: [String]
    public var team: [String]
}

extension AdminClient {
    /// Every user of the server.
    public func users() async throws -> [AdminUser] {
        try await send("GET", "/v1/admin/users", body: Optional<Int>.none)
    }

    /// A new one-time enrollment code for `user`: how a load generator or a provisioning tool
    /// enrolls many devices without the server's command line.
    public func issueEnrollmentCode(for user: String) async throws -> String {
        struct Issued: Decodable {
            var enrollmentCode: String
        }
        let issued: Issued = try await send("POST", "/v1/admin/users/\(Self.escape(user))/code", body: Optional<Int>.none)
        return issued.enrollmentCode
    }
}
