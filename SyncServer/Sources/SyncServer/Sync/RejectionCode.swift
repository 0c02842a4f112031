import CRM
import SyncCore

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
    /// The record is (or would end up) outside the territories of the device's user. The device
    /// keeps the change and pushes it again on later syncs: it succeeds if the record comes
    /// back into the user's scope.
    case outOfScope = "out_of_scope"
    /// The change rewrites a field that is fixed once the record exists (a child record's
    /// account).
    case immutableField = "immutable_field"

    /// Whether the same change may succeed later without being edited.
    public var isRetryable: Bool {
        switch self {
        case .clockSkew, .missingDependency, .outOfScope: return true
        case .replicaMismatch, .immutableField: return false
        }
    }
}

extension ChangeResult {
    /// The result with its rejection message in `language`, said from its typed sentence
    /// (`RefusalSentence`, the one the device renders too).
    func message(in language: Language) -> ChangeResult {
        guard let refusal else { return self }
        var result = self
        result.message = refusal.text(language)
        return result
    }
}
