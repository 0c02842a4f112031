/// The status of a contract (合同状态): draft → active → terminated.
///
/// Expiry is not a status: an active contract whose `ends_on` has passed has expired, and one
/// ending within its renewal notice is due for renewal (`ContractRenewals`). Terminating stamps
/// `terminated_on`; activating stamps `signed_on` unless the contract has one.
public enum ContractStatus: String, StatusMachine, Codable, CustomStringConvertible {
    case draft, active, terminated

    public static let subject = "contract"
    public var description: String { rawValue }

    public var allowedNextStatuses: [ContractStatus] {
        switch self {
        case .draft: return [.active, .terminated]
        case .active: return [.terminated]
        case .terminated: return []
        }
    }

    public var dayField: String? {
        switch self {
        case .draft: return nil
        case .active: return "signed_on"
        case .terminated: return "terminated_on"
        }
    }
}
