import CRM
import SyncCore

/// The server's part of the order, quote and contract status machines: a pushed change that moves a
/// status the way `CRMRules` does not allow (a delivered order cancelled, an accepted quote
/// sent again) is refused per change with `invalid_transition`, checked against the status
/// the server displays, so a device that skipped its own rules cannot get it through.
extension SQLServerStorage {
    /// Why a pushed change must be refused for its status move; nil to accept.
    static func statusMoveRefusal(of change: Change, current: RecordState?) -> ValidationError? {
        guard let current,
            case .assign(let proposed)? = change.operations.last(where: { $0.field == "status" })?.operation
        else { return nil }
        do throws(ValidationError) {
            try CRMRules.checkStatusMove(of: change.entity, from: current.value(of: "status"), to: proposed)
            return nil
        } catch {
            return error
        }
    }
}
