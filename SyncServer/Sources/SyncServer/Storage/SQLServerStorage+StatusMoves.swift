import CRM
import SyncCore

/// The server's part of the CRM rules. The order, quote and contract status machines: a pushed
/// change that moves a status the way `CRMRules` does not allow (a delivered order cancelled,
/// an accepted quote sent again) is refused per change with `invalid_transition`, checked
/// against the status the server displays. The record invariants (a payment above zero, a
/// contract's end not before its start) are refused with `invalid_value`, judged on what the
/// change's writer saw. A device that skipped its own rules cannot get either through.
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

    /// Why a pushed change must be refused by the CRM rules its writer's device checks (a
    /// payment of zero, a contract ending before it starts), judged on what the writer saw:
    /// `CRMRules.checkPushedChange`. Nil to accept.
    static func recordRuleRefusal(of change: Change, current: RecordState?, entity: EntitySchema?) -> ValidationError? {
        guard let entity else { return nil }
        do throws(ValidationError) {
            try CRMRules.checkPushedChange(change, current: current, entity: entity)
            return nil
        } catch {
            return error
        }
    }
}
