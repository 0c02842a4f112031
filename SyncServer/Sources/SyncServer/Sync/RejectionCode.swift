/// Reason codes of per-change rejections decided by the server (schema refusals use
/// `ValidationError.Code`). Stable: devices show them and decide whether to retry.
public enum RejectionCode: String, Sendable, Hashable, CaseIterable {
    /// The change's HLC is too far ahead of the server clock. Retryable once the device's
    /// clock estimate is corrected.
    case clockSkew = "clock_skew"
    /// The change's dot names another replica than the sending device.
    case replicaMismatch = "replica_mismatch"
    /// The change depends on writes the server does not have. Retryable.
    case missingDependency = "missing_dependency"

    /// Whether the same change may succeed later without being edited.
    public var isRetryable: Bool {
        switch self {
        case .clockSkew, .missingDependency: return true
        case .replicaMismatch: return false
        }
    }
}
