import Foundation

/// Why a sync or enrollment failed. Codes are stable; the CLI prints the message.
public struct SyncClientError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// How long the server asked the client to wait before retrying (`Retry-After`, 429).
    public var retryAfter: Duration?

    public init(code: String, message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String {
        status.map { "\(message) (HTTP \($0), \(code))" } ?? "\(message) (\(code))"
    }

    /// Network failures and server errors (5xx) are worth retrying; client errors are not.
    public var isRetryable: Bool {
        guard let status else { return code == "network_error" }
        return status >= 500 || status == 429
    }

    /// The server could not be reached, or failed (5xx) after the client's retries: the sync
    /// did not happen, and nothing the device holds is lost.
    public var isUnreachable: Bool {
        guard let status else { return code == "network_error" }
        return status >= 500
    }

    /// The server says an admin wiped this device: it accepts nothing more from it, and the
    /// device deletes its local store (`DeviceStore.deleteFiles(atPath:)`).
    public var isDeviceWiped: Bool { code == "device_wiped" }

    public static let notEnrolled = SyncClientError(code: "not_enrolled", message: "this device is not enrolled: run `fieldsync enroll --server URL --code CODE` first")

    /// A transport failure as `network_error` (retryable): why, from the code of the
    /// `URLError`, in our words (which the CLI's phrase book translates), never URLSession's
    /// English sentence.
    public static func unreachable(_ error: any Error) -> SyncClientError {
        SyncClientError(code: "network_error", message: "could not reach the server: \(networkReason(error))")
    }

    static func networkReason(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "the connection failed" }
        switch error.code {
        case .cannotConnectToHost: return "the connection was refused"
        case .timedOut: return "the request timed out"
        case .cannotFindHost, .dnsLookupFailed: return "the server's name was not found"
        case .notConnectedToInternet: return "there is no network connection"
        case .networkConnectionLost: return "the connection was lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot:
            return "the secure connection failed"
        default: return "the connection failed (URLError \(error.code.rawValue))"
        }
    }
}
