import SyncCore

/// The status of a quote version (报价状态).
///
/// A quote runs draft → sent → accepted, rejected or expired. Revising a quote makes a new
/// version and moves the old one to superseded (from draft, sent, rejected or expired), so a
/// chain of versions has one current version: the one not superseded. Accepted and superseded
/// are final. Moves to sent, accepted, rejected and expired stamp their day (`sent_on`,
/// `decided_on`).
public enum QuoteStatus: String, StatusMachine, Codable, CustomStringConvertible {
    case draft, sent, accepted, rejected, expired, superseded

    public static let subject = "quote"
    public var description: String { rawValue }

    public var allowedNextStatuses: [QuoteStatus] {
        switch self {
        case .draft: return [.sent, .superseded]
        case .sent: return [.accepted, .rejected, .expired, .superseded]
        case .rejected, .expired: return [.superseded]
        case .accepted, .superseded: return []
        }
    }

    public var dayField: String? {
        switch self {
        case .draft, .superseded: return nil
        case .sent: return "sent_on"
        case .accepted, .rejected, .expired: return "decided_on"
        }
    }

    /// True while lines may still be added or changed: a draft.
    public var isEditable: Bool { self == .draft }
}
